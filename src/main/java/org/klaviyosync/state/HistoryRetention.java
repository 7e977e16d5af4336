package org.klaviyosync.state;

import java.sql.SQLException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the run history (runs and their row results) for a number of days: called at start-up and,
 * in the service, on a schedule (routes/klaviyo-sync-housekeeping.yaml), so a service that runs
 * for months does not grow its history without bound. Fingerprints are state, not history: they go
 * with their identifier once it left the model ({@link DepartedIdentifiers}).
 */
public final class HistoryRetention {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryRetention.class);

    private final StateStore store;
    private final int days;

    public HistoryRetention(StateStore store, int days) {
        this.store = store;
        this.days = days;
    }

    /** Removes the runs started more than the retention before now; returns how many. */
    public int purge() throws SQLException {
        int purged = store.purgeOlderThan(Duration.ofDays(days));
        if (purged > 0) {
            LOG.info("Removed {} runs older than {} days from the history", purged, days);
        }
        return purged;
    }
}
