package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.klaviyosync.standin.KlaviyoStandIn;

/**
 * An event sync over a 1,000,000-row event table (run by {@code bench/events.sh}). Phase "real": a
 * first run at Klaviyo's real limits, the stand-in enforcing 10 requests a second and 150 a minute
 * and the service's throttle at its defaults, so it measures how close the concurrent submitters
 * come to the ceiling (150 requests of 1,000 events a minute: 2,500 events/s). Phase "lifted": the
 * stand-in's limits lifted and the service's event-create throttle raised, so the figures are the
 * pipeline's: the first run (every event sent), a run over the whole table again (every event
 * already sent: looked up, not sent), and runs with a cursor. The service runs as a child JVM with
 * {@code -Xmx256m}, the stand-in in this one. {@code -Dbench.phases=real} or {@code lifted} runs one.
 */
@Tag("benchmark")
class EventSyncBenchmark {

    private static final int ROWS = Integer.getInteger("bench.rows", 1_000_000);
    private static final String PHASES = System.getProperty("bench.phases", "real,lifted");
    private static final String EVENTS = "/api/event-bulk-create-jobs";

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
        report.add(String.format("Event sync benchmark: %,d events, service JVM -Xmx256m, load average before: %s",
                ROWS, loadAverage()));
        String[] sync = {"model", "select seq, order_id, customer_id, ordered_at, total, sku from bench_orders",
            "metric", "Placed Order", "identifier", "external_id", "identifierColumn", "customer_id",
            "eventIdColumn", "order_id", "timeColumn", "ordered_at", "valueColumn", "total", "properties", "*"};
        try (KlaviyoStandIn klaviyo = KlaviyoStandIn.start()) {
            klaviyo.setRecordRequestBodies(false);
            if (PHASES.contains("real")) {
                report.add("At Klaviyo's real limits (stand-in enforcing 10/s and 150/min, service throttle at its"
                        + " defaults, klaviyo.event-submit-threads 4):");
                klaviyo.setRateLimitsEnabled(true);
                CliHarness real = CliHarness.connectedTo(Files.createDirectories(work.resolve("real")), warehouse,
                        klaviyo);
                real.eventSync("real", sync);
                // requests the stand-in answered in each 61 s window (the service's steady window): 150 in
                // a window means the throttle, not the pipeline, held the run back
                List<Integer> perWindow = java.util.Collections.synchronizedList(new ArrayList<>());
                ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
                int[] before = {0};
                sampler.scheduleAtFixedRate(() -> {
                    int now = klaviyo.count("POST", EVENTS);
                    perWindow.add(now - before[0]);
                    before[0] = now;
                }, 61, 61, TimeUnit.SECONDS);
                try {
                    report.add(phase("first run, real", real, "real", ROWS, ROWS, 0));
                } finally {
                    sampler.shutdownNow();
                }
                perWindow.add(klaviyo.count("POST", EVENTS) - before[0]);
                report.add(String.format("  %,d requests, %d answered 429, at most %d in flight at once; requests per"
                        + " 61 s window from the service's start: %s; load average after: %s",
                        klaviyo.count("POST", EVENTS), klaviyo.count429(),
                        klaviyo.concurrentRequests().most("POST", EVENTS), perWindow, loadAverage()));
                assertEquals(ROWS, klaviyo.events().size());
                klaviyo.reset();
            }
            if (!PHASES.contains("lifted")) {
                return;
            }
            report.add("Stand-in limits lifted, service event-create throttle raised:");
            klaviyo.setRateLimitsEnabled(false);
            CliHarness cli = CliHarness.connectedTo(work, warehouse, klaviyo)
                    .env("KLAVIYO_LIMITS_EVENT_CREATE_PER_SECOND", "1000")
                    .env("KLAVIYO_LIMITS_EVENT_CREATE_PER_MINUTE", "60000");
            cli.eventSync("bench", sync);
            report.add(phase("first run", cli, "bench", ROWS, ROWS, 0));
            report.add(phase("rerun, all sent", cli, "bench", ROWS, 0, ROWS));
            assertEquals(ROWS, klaviyo.events().size());
            List<String> withCursor = new ArrayList<>(List.of(sync));
            withCursor.addAll(List.of("cursorColumn", "seq"));
            cli.eventSync("bench", withCursor.toArray(new String[0]));
            // adding the cursor changes no event: the first run with it reads every row, all unchanged
            report.add(phase("cursor, first", cli, "bench", ROWS, 0, ROWS));
            report.add(phase("cursor, nothing new", cli, "bench", 0, 0, 0));
        } finally {
            report.add("load average at the end: " + loadAverage());
            report.forEach(System.out::println);
            Files.createDirectories(Path.of("target"));
            Files.write(Path.of("target", "event-benchmark.txt"), report);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private String phase(String name, CliHarness cli, String syncId, long read, long sent, long unchanged)
            throws Exception {
        ServiceRun measured = ServiceRun.measure(name, cli, syncId, "256m", work, System.getProperty("bench.jfr", ""), null, read);
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
