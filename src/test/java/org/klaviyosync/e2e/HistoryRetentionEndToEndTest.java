package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.app.SyncApplication;
import org.klaviyosync.settings.Settings;

/** The service purges the run history on its schedule while it runs, not only when it starts. */
class HistoryRetentionEndToEndTest {

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.withDemoCustomers(10);

    @Test
    void aRunningServicePurgesRunsOlderThanTheRetention() throws Exception {
        CliHarness files = e2e.cli();
        files.sync("members", "model", "select customer_id, email from customers", "identifier", "external_id",
                "identifierColumn", "customer_id", "properties", "email=email", "lists", "Members");
        Map<String, String> env = new HashMap<>(files.env());
        env.put("MANAGEMENT_ENABLED", "false");
        env.put("STATE_RETENTION_DAYS", "7");
        env.put("STATE_PURGE_INTERVAL_SECONDS", "1");
        Settings settings = Settings.load(Path.of("application.properties"), env);
        try (SyncApplication app = SyncApplication.prepare(settings, Path.of("").toAbsolutePath(),
                SyncApplication.Mode.SERVICE)) {
            app.start();
            // history written after start-up's purge: two runs past the retention, one within it
            e2e.warehouse().execute(
                    "insert into klaviyo_sync.runs (sync_id, started_at, ended_at, status) values"
                            + " ('members', now() - interval '30 days', now() - interval '30 days', 'completed'),"
                            + " ('members', now() - interval '8 days', now() - interval '8 days', 'failed'),"
                            + " ('members', now() - interval '6 days', now() - interval '6 days', 'completed')",
                    "insert into klaviyo_sync.row_results (run_id, sync_id, identifier_value, outcome, reason)"
                            + " select run_id, sync_id, 'cust-1', 'deferred', 'old' from klaviyo_sync.runs");
            assertEquals(3, ages(e2e.warehouse()).size());
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (ages(e2e.warehouse()).size() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(List.of(6), ages(e2e.warehouse()), "the runs older than 7 days are gone, without a restart");
            assertEquals(1, count(e2e.warehouse(), "select count(*) from klaviyo_sync.row_results"),
                    "their row results went with them");
        }
    }

    private static List<Integer> ages(TestWarehouse warehouse) throws Exception {
        List<Integer> out = new ArrayList<>();
        try (Connection c = warehouse.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select extract(day from now() - started_at)::int from klaviyo_sync.runs"
                        + " order by started_at")) {
            while (rs.next()) {
                out.add(rs.getInt(1));
            }
        }
        return out;
    }

    private static long count(TestWarehouse warehouse, String sql) throws Exception {
        try (Connection c = warehouse.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
