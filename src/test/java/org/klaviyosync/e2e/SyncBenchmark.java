package org.klaviyosync.e2e;


import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.klaviyosync.klaviyo.KlaviyoApi;
import org.klaviyosync.klaviyo.KlaviyoRequest;
import org.klaviyosync.klaviyo.KlaviyoResponse;
import org.klaviyosync.klaviyo.KlaviyoTransport;
import org.klaviyosync.klaviyo.ProfileImports;
import org.klaviyosync.klaviyo.RateLimit;
import org.klaviyosync.klaviyo.RetryPolicy;
import org.klaviyosync.standin.KlaviyoStandIn;

/**
 * The speed benchmark ({@code bench/sync-benchmark.sh}): N rows (default 1,000,000) in PostgreSQL,
 * the service as a child JVM with {@code -Xmx256m}, the Klaviyo stand-in in this JVM. Prints wall
 * time, rows/s, peak heap and CPU time for: the first run at Klaviyo's real limits; the first run
 * with the limits lifted; a no-change run and a 1%-changed run; and a per-row baseline (one
 * profile-import request per row at its documented limit), extrapolated from a fixed sample.
 */
@Tag("benchmark")
class SyncBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = Integer.getInteger("bench.rows", 1_000_000);
    private static final int BASELINE_SAMPLE = Integer.getInteger("bench.baseline-sample", 300);
    private static final String HEAP = System.getProperty("bench.heap", "256m");
    /** Which runs to measure: limits, lifted, unchanged, changed, baseline (all by default). */
    private static final Set<String> PHASES = Set.of(System.getProperty("bench.phases", "").isBlank()
            ? new String[] {"limits", "lifted", "unchanged", "changed", "baseline"}
            : System.getProperty("bench.phases").split(","));
    /** Klaviyo's bulk import ceiling: 150 jobs of 10,000 profiles a minute. */
    private static final double CEILING = 150 * 10_000 / 60.0;

    @TempDir
    Path work;

    @Test
    void benchmark() throws Exception {
        TestWarehouse warehouse = BenchPeople.warehouse(ROWS);
        List<String> report = new ArrayList<>();
        report.add(String.format("klaviyo-sync benchmark: %,d rows, service JVM -Xmx%s, %d cores", ROWS, HEAP,
                Runtime.getRuntime().availableProcessors()));
        report.add(String.format("%-32s %9s %9s %11s %9s %9s %10s", "run", "wall s", "run s", "rows/s", "heap MB",
                "CPU s", "vs ceiling"));
        double limitedRate = Double.NaN;
        try (KlaviyoStandIn klaviyo = KlaviyoStandIn.start()) {
            klaviyo.setJobPollsUntilComplete(1);
            // the requests are counted, their bodies not kept: 1.5 MB per bulk job adds up
            klaviyo.setRecordRequestBodies(false);
            CliHarness cli = CliHarness.connectedTo(work, warehouse, klaviyo)
                    .env("KLAVIYO_JOB_POLL_INTERVAL_MS", "200");
            for (String id : List.of("at-limits", "lifted")) {
                BenchPeople.sync(cli, id);
            }

            if (PHASES.contains("limits")) {
                klaviyo.setRateLimitsEnabled(true);
                ServiceRun limited = phase("1. first run, real limits", cli, "at-limits");
                limitedRate = limited.rowsPerSecond();
                report.add(line(limited, klaviyo.count429()));
            }

            klaviyo.reset();
            klaviyo.setJobPollsUntilComplete(1);
            klaviyo.setRateLimitsEnabled(false);
            BenchPeople.liftServiceLimits(cli);
            if (PHASES.contains("lifted")) {
                report.add(line(phase("2. first run, limits lifted", cli, "lifted"), -1));
            }
            if (PHASES.contains("unchanged")) {
                report.add(line(phase("3a. no-change run", cli, "lifted"), -1));
            }
            if (PHASES.contains("changed")) {
                warehouse.execute("update bench_people set plan = 'gold' where score % 100 = 0");
                report.add(line(phase("3b. 1% changed run", cli, "lifted"), -1));
            }
            klaviyo.reset();
            if (PHASES.contains("baseline")) {
                report.addAll(baselineLines(klaviyo, limitedRate));
            }
        }
        report.forEach(System.out::println);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "sync-benchmark.txt"), report);
    }

    /** The per-row baseline's lines, and run 1's ratio to it when run 1 was measured. */
    private List<String> baselineLines(KlaviyoStandIn klaviyo, double limitedRate) throws Exception {
        List<String> report = new ArrayList<>();
        klaviyo.setRateLimitsEnabled(true);
        double baselineRate = baseline(klaviyo);
        double steady = RateLimit.PROFILE_IMPORT.steadyPerMinute() / 60.0;
        double perRow = Math.min(baselineRate, steady);
        report.add(String.format("%-32s %9s %9.0f %,11.1f %9s %9s %9.4f%%",
                "4. per-row baseline (extrap.)", "-", ROWS / perRow, perRow, "-", "-", 100 * perRow / CEILING));
        report.add(String.format("baseline: %d profile-import calls measured at %.1f rows/s (burst %d/s); at the"
                + " steady %d/min that is %.1f rows/s, %.1f hours for %,d rows",
                BASELINE_SAMPLE, baselineRate, RateLimit.PROFILE_IMPORT.burstPerSecond(),
                RateLimit.PROFILE_IMPORT.steadyPerMinute(), perRow, ROWS / perRow / 3600, ROWS));
        if (!Double.isNaN(limitedRate)) {
            report.add(String.format("run 1 / per-row baseline: %,.0fx", limitedRate / perRow));
        }
        return report;
    }

    private static String line(ServiceRun run, int count429) {
        return String.format("%-32s %9.1f %9.1f %,11.0f %9d %9.1f %9.1f%%%s", run.name(), run.wallSeconds(),
                run.runSeconds(), run.rowsPerSecond(), run.heapBytes() >> 20, run.cpuSeconds(),
                100 * run.rowsPerSecond() / CEILING, count429 >= 0 ? "  (429s: " + count429 + ")" : "");
    }

    private ServiceRun phase(String name, CliHarness cli, String syncId) throws Exception {
        return ServiceRun.measure(name, cli, syncId, HEAP, work, System.getProperty("bench.jfr", ""), null, ROWS);
    }

    /** One profile-import request per row, paced to the endpoint's documented burst, for a fixed sample. */
    private double baseline(KlaviyoStandIn klaviyo) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        KlaviyoTransport transport = request -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(klaviyo.baseUrl() + request.pathAndQuery()))
                    .header("Authorization", "Klaviyo-API-Key " + klaviyo.apiKey())
                    .header("revision", "2026-07-15")
                    .header("Accept", "application/vnd.api+json")
                    .timeout(Duration.ofSeconds(30));
            if (request.body() != null) {
                b.header("Content-Type", "application/vnd.api+json")
                        .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
            } else {
                b.method(request.method(), HttpRequest.BodyPublishers.noBody());
            }
            try {
                HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                return new KlaviyoResponse(r.statusCode(), Map.of(), r.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        };
        ProfileImports imports = new ProfileImports(new KlaviyoApi(transport, JSON, RetryPolicy.defaults()), JSON);
        long intervalNanos = 1_000_000_000L / RateLimit.PROFILE_IMPORT.burstPerSecond();
        long start = System.nanoTime();
        for (int i = 0; i < BASELINE_SAMPLE; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            var profile = JSON.createObjectNode();
            profile.put("type", "profile");
            profile.putObject("attributes").put("external_id", "baseline-" + i)
                    .put("email", "baseline" + i + "@example.com");
            imports.upsert(profile);
        }
        return BASELINE_SAMPLE / ((System.nanoTime() - start) / 1e9);
    }
}
