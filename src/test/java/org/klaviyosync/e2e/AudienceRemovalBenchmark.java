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
 * A {@code listMode=mirror} audience of 1,000,000 rows (run by {@code bench/audience.sh}): the
 * first run (every profile imported into the list, every membership recorded) and a run with no
 * change (1,000,000 managed memberships checked), with the stand-in's rate limits lifted; then 10%
 * of the rows leave the model and a run removes them at Klaviyo's real limits (the stand-in's, which
 * are Klaviyo's: profile look-ups 75/s and 750/min, list removals 10/s and 150/min). The service runs
 * as a child JVM with {@code -Xmx256m}.
 */
@Tag("benchmark")
class AudienceRemovalBenchmark {

    private static final int ROWS = Integer.getInteger("bench.rows", 1_000_000);
    private static final String HEAP = System.getProperty("bench.heap", "256m");

    @TempDir
    Path work;

    @Test
    void removingTenPercentOfAMillionRowAudience() throws Exception {
        TestWarehouse warehouse = TestWarehouse.fresh();
        warehouse.execute("create table audience (id text primary key, tier text)",
                "insert into audience select 'c-' || g, 'gold' from generate_series(1, " + ROWS + ") g",
                "analyze audience");
        List<String> report = new ArrayList<>();
        report.add(String.format("Audience removal benchmark: %,d rows in list mode mirror, service JVM -Xmx%s,"
                + " %d cores, load average at start %s", ROWS, HEAP, Runtime.getRuntime().availableProcessors(),
                loadAverage()));
        try (KlaviyoStandIn klaviyo = KlaviyoStandIn.start()) {
            klaviyo.setRateLimitsEnabled(false);
            klaviyo.setRecordRequestBodies(false);
            CliHarness cli = CliHarness.connectedTo(work, warehouse, klaviyo);
            cli.sync("audience", "model", "select id, tier from audience", "identifier", "external_id",
                    "identifierColumn", "id", "properties", "tier=tier", "lists", "Audience", "listMode", "mirror");
            report.add(phase("first run, limits lifted", cli, klaviyo, ROWS, ROWS, 0, 0));
            report.add(phase("no-change run", cli, klaviyo, ROWS, 0, ROWS, 0));

            warehouse.execute("delete from audience where right(id, 1) = '0'");
            long leaving = ROWS / 10;
            klaviyo.setRateLimitsEnabled(true);
            report.add(phase("10% leave, real limits", cli, klaviyo, ROWS - leaving, 0, ROWS - leaving, leaving));
            assertEquals(0, klaviyo.count429(), "the service keeps to the limits");
        }
        report.add("load average at end " + loadAverage());
        report.forEach(System.out::println);
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "audience-benchmark.txt"), report);
    }

    private String phase(String name, CliHarness cli, KlaviyoStandIn klaviyo, long read, long sent, long unchanged,
            long removed) throws Exception {
        int lookupsBefore = klaviyo.count("GET", "/api/profiles");
        int removalsBefore = klaviyo.count("DELETE", "/api/lists/");
        ServiceRun measured = ServiceRun.measure(name, cli, "audience", HEAP, work,
                System.getProperty("bench.jfr", ""), null, read);
        JsonNode run = measured.summary();
        assertEquals(sent, run.get("sent").asLong(), run.toString());
        assertEquals(unchanged, run.get("unchanged").asLong(), run.toString());
        assertEquals(removed, run.get("removed").asLong(), run.toString());
        return String.format("%-26s wall %6.1f s | run %6.1f s | sent %,d unchanged %,d removed %,d | profile"
                + " look-ups %,d, list removals %,d | peak heap %,d MB sampled", name, measured.wallSeconds(),
                measured.runSeconds(), sent, unchanged, removed, klaviyo.count("GET", "/api/profiles") - lookupsBefore,
                klaviyo.count("DELETE", "/api/lists/") - removalsBefore, measured.heapBytes() >> 20);
    }

    private static String loadAverage() throws java.io.IOException {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }
}
