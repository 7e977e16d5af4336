package org.klaviyosync.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code run --json} of the service as a child JVM ({@link PeakHeapMain}), measured: wall time from
 * launch to exit, the run's own duration, rows read, peak heap (sampled, and the sum of the heap pools'
 * peaks), CPU time and, when a first-row marker is
 * given, when the first row of the model was read.
 */
record ServiceRun(String name, long launchEpochMillis, double wallSeconds, double runSeconds, JsonNode summary,
        long heapBytes, long heapPoolBytes, double cpuSeconds, long firstRowEpochMillis) {

    private static final ObjectMapper JSON = new ObjectMapper();

    long read() {
        return summary.get("read").asLong();
    }

    double rowsPerSecond() {
        return read() / runSeconds;
    }

    /** Seconds from launch to the first row read; NaN when not probed. */
    double secondsToFirstRow() {
        return firstRowEpochMillis == 0 ? Double.NaN : (firstRowEpochMillis - launchEpochMillis) / 1000.0;
    }

    /**
     * Runs sync {@code syncId} once and checks that it read {@code expectedRows} and deferred none.
     *
     * @param jfr a folder for a flight recording of the run, or empty
     * @param firstRowMarker text of the model query whose first row is timed, or null
     */
    static ServiceRun measure(String name, CliHarness cli, String syncId, String heap, Path work, String jfr,
            String firstRowMarker, long expectedRows) throws Exception {
        Path log = work.resolve(syncId + "-" + System.nanoTime() + ".log");
        if (!jfr.isEmpty()) {
            Files.createDirectories(Path.of(jfr));
            cli.env("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=settings=profile,filename="
                    + Path.of(jfr).toAbsolutePath().resolve(name.replaceAll("[^A-Za-z0-9]+", "-") + ".jfr"));
        }
        cli.env(PeakHeapMain.FIRST_ROW_MARKER, firstRowMarker);
        long launch = System.currentTimeMillis();
        long start = System.nanoTime();
        Process p = ChildProcess.start(PeakHeapMain.class.getName(), heap, cli.env(), log, "run", "--json", syncId);
        if (!p.waitFor(90, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(name + " did not finish");
        }
        double wall = (System.nanoTime() - start) / 1e9;
        // kept for reading the phases' timestamps afterwards, named after the run, with the launch time first
        Path kept = Files.createDirectories(Path.of("target", "bench-logs"))
                .resolve(name.replaceAll("[^A-Za-z0-9]+", "-") + ".log");
        Files.writeString(kept, "LAUNCH_EPOCH_MS=" + launch + "\n" + Files.readString(log));
        List<String> lines = Files.readAllLines(log);
        JsonNode run = null;
        long heapBytes = 0;
        long heapPoolBytes = 0;
        double cpu = 0;
        long firstRow = 0;
        for (String line : lines) {
            if (line.startsWith("{\"sync\"")) {
                run = JSON.readTree(line);
            } else if (line.startsWith("PEAK_HEAP_SAMPLED=")) {
                heapBytes = Long.parseLong(value(line));
            } else if (line.startsWith("PEAK_HEAP_POOLS=")) {
                heapPoolBytes = Long.parseLong(value(line));
            } else if (line.startsWith("CPU_TIME_NANOS=")) {
                cpu = Long.parseLong(value(line)) / 1e9;
            } else if (line.startsWith("FIRST_ROW_EPOCH_MS=")) {
                firstRow = Long.parseLong(value(line));
            }
        }
        if (run == null || p.exitValue() != 0 || run.get("read").asLong() != expectedRows
                || run.get("deferred").asLong() != 0) {
            throw new AssertionError(name + " failed (exit " + p.exitValue() + ", expected " + expectedRows
                    + " rows read and none deferred):\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
        }
        return new ServiceRun(name, launch, wall, run.get("durationMs").asLong() / 1000.0, run, heapBytes, heapPoolBytes,
                cpu, firstRow);
    }

    private static String value(String line) {
        return line.substring(line.indexOf('=') + 1);
    }
}
