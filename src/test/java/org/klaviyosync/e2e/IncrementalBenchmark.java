package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.klaviyosync.standin.KlaviyoStandIn;
import org.klaviyosync.warehouse.DuplicateIdentifierQuery;

/**
 * Incremental runs over a 1,000,000-row model (run by {@code bench/incremental.sh}): the first
 * run, a run with no change and a run with 1% of the rows changed. The service runs as a child
 * JVM with {@code -Xmx256m}; the stand-in, with its rate limits lifted, in this one. Prints wall
 * time, rows/s and the service's peak heap for each, and the cost of the duplicate-identifier count.
 */
@Tag("benchmark")
class IncrementalBenchmark {

    private static final int ROWS = Integer.getInteger("bench.rows", 1_000_000);
    private static final String MODEL = "select id, email, plan, score from bench_people";

    @TempDir
    Path work;

    @Test
    void firstNoChangeAndOnePercentChangedRuns() throws Exception {
        TestWarehouse warehouse = TestWarehouse.fresh();
        warehouse.execute("create table bench_people (id text, email text, plan text, score int)",
                "insert into bench_people select 'b-' || g, 'bench' || g || '@example.com', 'basic', g"
                        + " from generate_series(1, " + ROWS + ") g",
                "analyze bench_people");
        List<String> report = new ArrayList<>();
        report.add(String.format("Incremental benchmark: %,d rows, service JVM -Xmx256m, stand-in limits lifted", ROWS));
        report.add(modelReadCost(warehouse));
        try (KlaviyoStandIn klaviyo = KlaviyoStandIn.start()) {
            klaviyo.setRateLimitsEnabled(false);
            klaviyo.setJobPollsUntilComplete(1);
            CliHarness cli = CliHarness.connectedTo(work, warehouse, klaviyo)
                    .env("KLAVIYO_MAX_PENDING_JOBS", "4");
            cli.sync("bench", "model", MODEL, "identifier", "external_id", "identifierColumn", "id",
                    "properties", "email=email,plan=plan,score=score", "lists", "Bench");

            report.add(phase("first run", cli, ROWS, 0));
            report.add(phase("no-change run", cli, 0, ROWS));
            warehouse.execute("update bench_people set plan = 'gold' where score % 100 = 0");
            report.add(phase("1% changed run", cli, ROWS / 100, ROWS - ROWS / 100));
            assertEquals(ROWS, klaviyo.profiles().size());
        }
        report.forEach(System.out::println);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "incremental-benchmark.txt"), report);
    }

    private String phase(String name, CliHarness cli, long sent, long unchanged) throws Exception {
        ServiceRun measured = ServiceRun.measure(name, cli, "bench", "256m", work, "", null, ROWS);
        JsonNode run = measured.summary();
        assertEquals(sent, run.get("sent").asLong(), run.toString());
        assertEquals(unchanged, run.get("unchanged").asLong(), run.toString());
        double runSeconds = measured.runSeconds();
        return String.format("%-15s wall %6.1f s (process, incl. JVM and Camel start) | run %6.1f s | %,9.0f rows/s"
                + " | sent %,d unchanged %,d | peak heap %,d MB sampled, %,d MB sum of pool peaks",
                name, measured.wallSeconds(), runSeconds, ROWS / runSeconds, run.get("sent").asLong(),
                run.get("unchanged").asLong(), measured.heapBytes() >> 20, measured.heapPoolBytes() >> 20);
    }

    /** Streams the model with and without the duplicate-identifier count, to price the window. */
    private static String modelReadCost(TestWarehouse warehouse) throws Exception {
        double plain = readAll(warehouse, MODEL);
        double counted = readAll(warehouse, new DuplicateIdentifierQuery(warehouse.dataSource()).wrap(MODEL, "id"));
        return String.format("reading the model over JDBC: %.1f s plain, %.1f s with the duplicate-identifier count",
                plain, counted);
    }

    private static double readAll(TestWarehouse warehouse, String sql) throws Exception {
        long start = System.nanoTime();
        try (Connection c = warehouse.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.setFetchSize(1000);
                try (ResultSet rs = s.executeQuery(sql)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            rs.getObject(i);
                        }
                    }
                }
            }
            c.rollback();
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
