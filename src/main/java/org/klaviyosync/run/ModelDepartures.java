package org.klaviyosync.run;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.klaviyosync.config.ListMode;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.state.DepartedIdentifiers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end of a profile sync run that read the whole model: the stored state of identifiers that
 * left the model is marked, and dropped once nothing more is owed for them (see
 * {@link DepartedIdentifiers}), so the fingerprint store does not grow with churn. A run that
 * failed, was stopped or is a dry run concludes nothing; nor does an event sync, whose model is
 * read from a cursor.
 */
public final class ModelDepartures {

    private static final Logger LOG = LoggerFactory.getLogger(ModelDepartures.class);

    /** The identifier values of a sync's model rows as stored, as SQL the warehouse runs (it holds the state). */
    @FunctionalInterface
    public interface PresentIdentifiers {
        String query(SyncDefinition sync) throws SQLException;
    }

    private final DepartedIdentifiers store;
    private final Duration retention;
    private final PresentIdentifiers presentIdentifiers;

    /**
     * @param retention how long {@code listMode=add} keeps the state of an identifier that left
     * @param presentIdentifiers for runs compared in the warehouse; null when none are
     */
    public ModelDepartures(DepartedIdentifiers store, Duration retention, PresentIdentifiers presentIdentifiers) {
        this.store = store;
        this.retention = retention;
        this.presentIdentifiers = presentIdentifiers;
    }

    public void forgetWhatLeft(SyncRun run) throws SQLException {
        SyncDefinition sync = run.sync();
        if (run.failed() || run.stopping() || run.dryRun() || sync.event() != null) {
            return;
        }
        long left;
        if (run.changes().comparesInWarehouse()) {
            left = store.markInWarehouse(sync.syncId(), run.runId(), run.counts().unchanged(),
                    presentIdentifiers.query(sync));
        } else {
            left = store.markFromIdentifiersRead(sync.syncId(), run.identifiersRead()::contains);
        }
        int forgotten = sync.listMode() == ListMode.MIRROR ? store.forgetLeftWithoutMemberships(sync.syncId())
                : store.forgetLeftBefore(sync.syncId(), Instant.now().minus(retention));
        if (left > 0 || forgotten > 0) {
            LOG.info("Sync '{}' run {}: {} stored identifier(s) not in the model; the state of {} of them is"
                    + " forgotten ({})", sync.syncId(), run.runId(), left, forgotten,
                    sync.listMode() == ListMode.MIRROR ? "no membership left to remove"
                            : "left more than " + retention.toDays() + " days ago");
        }
    }
}
