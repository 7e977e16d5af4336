package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.klaviyosync.standin.KlaviyoStandIn;

/**
 * An event sync over a 1,000,000-row event table (run by {@code bench/events.sh}): the first run
 * (every event sent), a run over the whole table again (every event already sent: looked up, not
 * sent), and a run with a cursor and nothing new. The service runs as a child JVM with
 * {@code -Xmx256m}; the stand-in, with its rate limits lifted, in this one, and the service's own
 * event-create throttle raised, so the figures are the pipeline's, not Klaviyo's 150 requests a
 * minute (at which 1,000,000 events take at least 6.7 minutes).
 */
@Tag("benchmark")
class EventSyncBenchmark {

    private static final int ROWS = Integer.getInteger("bench.rows", 1_000_000);

    @TempDir
    Path work;

    @Test
    void firstRunRerunAndCursorRun() throws Exception {
        TestWarehouse warehouse = TestWarehouse.fresh();
        warehouse.execute("create table bench_orders (seq bigint primary key, order_id text, customer_id text,"
                + " ordered_at timestamptz, total numeric(12,2), sku text)",
                "insert into bench_orders select g, 'o-' || g, 'c-' || (g % 50000), timestamptz '2025-01-01 00:00:00+00'"
                        + " + g * interval '1 second', 10 + g % 500, 'SKU-' || (g % 40) from generate_series(1, "
                        + ROWS + ") g",
                "analyze bench_orders");
        List<String> report = new ArrayList<>();
        report.add(String.format("Event sync benchmark: %,d events, service JVM -Xmx256m, stand-in limits lifted", ROWS));
        try (KlaviyoStandIn klaviyo = KlaviyoStandIn.start()) {
            klaviyo.setRateLimitsEnabled(false);
            klaviyo.setRecordRequestBodies(false);
            CliHarness cli = CliHarness.connectedTo(work, warehouse, klaviyo)
                    .env("KLAVIYO_LIMITS_EVENT_CREATE_PER_SECOND", "1000")
                    .env("KLAVIYO_LIMITS_EVENT_CREATE_PER_MINUTE", "60000");
            String[] sync = {"model", "select seq, order_id, customer_id, ordered_at, total, sku from bench_orders",
                "metric", "Placed Order", "identifier", "external_id", "identifierColumn", "customer_id",
                "eventIdColumn", "order_id", "timeColumn", "ordered_at", "valueColumn", "total", "properties", "*"};
            cli.eventSync("bench", sync);
            report.add(phase("first run", cli, ROWS, ROWS, 0));
            report.add(phase("rerun, all sent", cli, ROWS, 0, ROWS));
            assertEquals(ROWS, klaviyo.events().size());
            List<String> withCursor = new ArrayList<>(List.of(sync));
            withCursor.addAll(List.of("cursorColumn", "seq"));
            cli.eventSync("bench", withCursor.toArray(new String[0]));
            // adding the cursor changes no event: the first run with it reads every row, all unchanged
            report.add(phase("cursor, first", cli, ROWS, 0, ROWS));
            report.add(phase("cursor, nothing new", cli, 0, 0, 0));
        }
        report.forEach(System.out::println);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "event-benchmark.txt"), report);
    }

    private String phase(String name, CliHarness cli, long read, long sent, long unchanged) throws Exception {
        ServiceRun measured = ServiceRun.measure(name, cli, "bench", "256m", work, System.getProperty("bench.jfr", ""), null, read);
        JsonNode run = measured.summary();
        assertEquals(read, run.get("read").asLong(), run.toString());
        assertEquals(sent, run.get("sent").asLong(), run.toString());
        assertEquals(unchanged, run.get("unchanged").asLong(), run.toString());
        double runSeconds = measured.runSeconds();
        return String.format("%-20s wall %6.1f s (process) | run %6.1f s | %,9.0f events/s read | sent %,d"
                + " unchanged %,d | peak heap %,d MB sampled", name, measured.wallSeconds(), runSeconds,
                read / Math.max(runSeconds, 0.001), run.get("sent").asLong(), run.get("unchanged").asLong(),
                measured.heapBytes() >> 20);
    }
}
