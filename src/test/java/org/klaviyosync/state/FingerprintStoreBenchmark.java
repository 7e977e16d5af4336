package org.klaviyosync.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.klaviyosync.e2e.TestWarehouse;

/**
 * On demand ({@code mvn -B -o -q test -Dtest=FingerprintStoreBenchmark -DexcludedTestGroups=}
 * {@code -Dsurefire.failIfNoSpecifiedTests=false}; {@code -Dbench.argLine=-Dbench.rows=N} for
 * another size): stores 1,000,000 acknowledged fingerprints in embedded PostgreSQL through a
 * connection pool like the service's: as new rows in one call, as changed fingerprints over the
 * stored rows in one call, and again in calls of 1000 rows (how the service flushes by default,
 * {@code state.fingerprint-batch-size}). Then loads them back with
 * {@link FingerprintStore#acknowledged} and looks every row up. Prints wall times, rates and the
 * time PostgreSQL spent executing statements (its {@code pg_stat_database.active_time}); asserts
 * nothing about them.
 */
@Tag("benchmark")
class FingerprintStoreBenchmark {

    private interface Phase {
        void run(FingerprintStore store) throws SQLException;
    }

    private String url;

    @Test
    void applyAndLoadAMillionFingerprints() throws Exception {
        int rows = Integer.getInteger("bench.rows", 1_000_000);
        url = TestWarehouse.fresh().jdbcUrl();
        try (HikariDataSource state = pool()) {
            new StateStore(state).migrate();
        }
        List<FingerprintChange> changes = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            changes.add(FingerprintChange.acknowledged("customer-" + i + "@example.com", i * 0x9e3779b97f4a7c15L));
        }
        List<FingerprintChange> changed = changed(changes);
        List<FingerprintChange> changedAgain = changed(changed);

        measure("apply, new rows, one call", rows, store -> store.apply("bench", 1L, changes));
        measure("apply, changed rows, one call", rows, store -> store.apply("bench", 2L, changed));
        measure("apply, changed rows, 1000 per call", rows, store -> {
            for (int from = 0; from < rows; from += 1000) {
                store.apply("bench", 3L, changedAgain.subList(from, Math.min(rows, from + 1000)));
            }
        });

        AcknowledgedFingerprints[] loaded = new AcknowledgedFingerprints[1];
        for (int round = 1; round <= 3; round++) {
            measure("acknowledged() load #" + round, rows, store -> loaded[0] = store.acknowledged("bench"));
        }
        AcknowledgedFingerprints acknowledged = loaded[0];
        assertEquals(rows, acknowledged.size());
        System.out.printf("footprint: %d bytes, %.2f bytes per row%n", acknowledged.footprintBytes(),
                acknowledged.footprintBytes() / (double) rows);

        for (int round = 1; round <= 3; round++) {
            int hits = 0;
            long start = System.nanoTime();
            for (FingerprintChange ch : changedAgain) {
                hits += acknowledged.matches(ch.identifierValue(), ch.fingerprint()) ? 1 : 0;
            }
            long took = System.nanoTime() - start;
            assertEquals(rows, hits, "every row matches");
            System.out.printf("matches() #%d: %d lookups, %.0f ns each (identifier hashing included)%n", round, rows,
                    took / (double) rows);
        }
    }

    private static List<FingerprintChange> changed(List<FingerprintChange> changes) {
        List<FingerprintChange> out = new ArrayList<>(changes.size());
        for (FingerprintChange ch : changes) {
            out.add(FingerprintChange.acknowledged(ch.identifierValue(), ch.fingerprint() + 1));
        }
        return out;
    }

    /** Runs the phase on a pool of its own, closed afterwards so that its sessions report their time. */
    private void measure(String what, int rows, Phase phase) throws Exception {
        double activeBefore = activeMillis();
        long start = System.nanoTime();
        try (HikariDataSource state = pool()) {
            phase.run(new FingerprintStore(state));
        }
        long nanos = System.nanoTime() - start;
        double active = activeMillis() - activeBefore;
        System.out.printf("%s: %d rows in %d ms, %.0f rows/s; PostgreSQL active %.0f ms%n", what, rows,
                nanos / 1_000_000, rows / (nanos / 1e9), active);
    }

    private HikariDataSource pool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setAutoCommit(true);
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

    /** The database's accumulated statement time (sessions report it when they end, or every 500 ms). */
    private double activeMillis() throws Exception {
        Thread.sleep(1000);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "select active_time from pg_stat_database where datname = current_database()")) {
            rs.next();
            return rs.getDouble(1);
        }
    }
}
