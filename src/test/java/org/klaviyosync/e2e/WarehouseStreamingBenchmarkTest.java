package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.klaviyosync.settings.Settings;
import org.klaviyosync.warehouse.WarehouseConnections;

/**
 * On demand ({@code mvn -B -o test -Dtest=WarehouseStreamingBenchmarkTest -DexcludedTestGroups=}):
 * a large model read through the model pool with each engine's streaming rule. MariaDB: 1,000,000
 * rows of about 100 bytes read while the live heap stays far below the result's size. DuckDB keeps
 * results in native memory, so there the proof is time to the first row: streaming hands the first
 * chunk of a 20,000,000-row model at once, a materialised result only after computing all of it.
 */
@Tag("benchmark")
class WarehouseStreamingBenchmarkTest {

    @Test
    void mariaDbStreamsAMillionRowsWithoutHoldingThem() throws Exception {
        MariaDbServer.Start start = MariaDbServer.start();
        Assumptions.assumeTrue(start.server() != null, () -> "MariaDB benchmark skipped: " + start.reason());
        try (MariaDbServer mariadb = start.server()) {
            mariadb.createDatabase("big", "create table t (id int primary key, payload varchar(100))",
                    "insert into t select seq, repeat('x', 90) from seq_1_to_1000000");
            TestWarehouse state = TestWarehouse.fresh();
            Settings settings = Settings.of(Map.of("warehouse.fetch-size", "1000", "state.jdbc-url", state.jdbcUrl()),
                    Map.of());
            try (WarehouseConnections w = WarehouseConnections.open(settings, mariadb.jdbcUrl("big"), null,
                    Optional.empty()); Connection c = w.models().getConnection(); Statement s = c.createStatement()) {
                s.setFetchSize(w.statementFetchSize());
                long rows = 0;
                long maxUsed = 0;
                System.gc();
                long before = usedHeap();
                try (ResultSet rs = s.executeQuery("select id, payload from t")) {
                    while (rs.next()) {
                        rs.getString(2);
                        if (++rows % 100_000 == 0) {
                            System.gc();
                            maxUsed = Math.max(maxUsed, usedHeap() - before);
                        }
                    }
                }
                c.rollback();
                assertEquals(1_000_000, rows);
                System.out.printf("MariaDB: %d rows, live heap grew at most %d KB%n", rows, maxUsed / 1024);
                assertTrue(maxUsed < 30L * 1024 * 1024, "streamed, not loaded whole (about 100 MB): " + maxUsed);
            }
        }
    }

    @Test
    void duckDbHandsTheFirstRowsBeforeTheWholeResultExists() throws Exception {
        String model = "select range as id, md5(range::varchar) as h from range(20000000)";
        long streamed = timeToFirstRow("true", model);
        long materialised = timeToFirstRow("false", model);
        System.out.printf("DuckDB: first row after %d ms streaming, %d ms materialised%n", streamed, materialised);
        assertTrue(streamed * 5 < materialised, "streaming " + streamed + " ms vs materialised " + materialised + " ms");
    }

    private static long timeToFirstRow(String stream, String sql) throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("jdbc_stream_results", stream);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:", p); Statement s = c.createStatement()) {
            long t0 = System.nanoTime();
            try (ResultSet rs = s.executeQuery(sql)) {
                assertTrue(rs.next());
                return (System.nanoTime() - t0) / 1_000_000;
            }
        }
    }

    private static long usedHeap() {
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                used += pool.getUsage().getUsed();
            }
        }
        return used;
    }
}
