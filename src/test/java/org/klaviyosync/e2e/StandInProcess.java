package org.klaviyosync.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.klaviyosync.standin.StandInServer;

/** A {@link StandInServer} in a JVM of its own, started and stopped by a benchmark or a test. */
final class StandInProcess implements AutoCloseable {

    private final Process process;
    private final String baseUrl;
    private final Path stats;

    private StandInProcess(Process process, String baseUrl, Path stats) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.stats = stats;
    }

    /**
     * @param completionMillis jobs complete when looked at this long after acceptance; negative: after two looks
     * @param stats            where the statistics are written when it stops
     */
    static StandInProcess start(Path work, String apiKey, long completionMillis, boolean rateLimits, Path stats)
            throws IOException, InterruptedException {
        return start(work, apiKey, completionMillis, rateLimits, stats, "1g");
    }

    static StandInProcess start(Path work, String apiKey, long completionMillis, boolean rateLimits, Path stats,
            String heap) throws IOException, InterruptedException {
        Path log = Files.createTempFile(work, "standin-", ".log");
        List<String> args = new ArrayList<>(List.of("--api-key", apiKey, "--rate-limits", rateLimits ? "on" : "off",
                "--stats", stats.toString()));
        if (completionMillis >= 0) {
            args.addAll(List.of("--job-completion-ms", Long.toString(completionMillis)));
        }
        Process p = ChildProcess.start(StandInServer.class.getName(), heap, Map.of(), log, args.toArray(String[]::new));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(log)) {
                if (line.startsWith(StandInServer.URL_LINE)) {
                    return new StandInProcess(p, line.substring(StandInServer.URL_LINE.length()), stats);
                }
            }
            if (!p.isAlive()) {
                throw new IllegalStateException("the stand-in exited: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new IllegalStateException("the stand-in did not start within 60 s: " + Files.readString(log));
    }

    String baseUrl() {
        return baseUrl;
    }

    /** Terminates it (SIGTERM) and returns the statistics file it wrote. */
    Path stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the stand-in did not stop within 60 s");
        }
        return stats;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
