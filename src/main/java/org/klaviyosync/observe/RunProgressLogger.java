package org.klaviyosync.observe;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.klaviyosync.run.RunCounts;
import org.klaviyosync.run.RunRegistry;
import org.klaviyosync.run.SyncRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one progress line per running sync at a steady interval: rows read and sent, the rate
 * rows ended at since the last line, and the time left to send the rows read so far at that rate
 * (the model's total is unknown until it is read to the end). Counts only.
 */
public final class RunProgressLogger implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunProgressLogger.class);

    private record Mark(long runId, long settled, long atNanos) {
    }

    private final RunRegistry runs;
    private final Map<String, Mark> marks = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    public RunProgressLogger(RunRegistry runs, Duration interval) {
        this.runs = runs;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "klaviyo-sync-progress");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, interval.toMillis());
        timer.scheduleAtFixedRate(this::logAll, ms, ms, TimeUnit.MILLISECONDS);
    }

    void logAll() {
        try {
            for (String syncId : runs.syncs().keySet()) {
                runs.active(syncId).ifPresentOrElse(this::log, () -> marks.remove(syncId));
            }
        } catch (RuntimeException e) {
            LOG.debug("progress line failed", e);
        }
    }

    private void log(SyncRun run) {
        RunCounts c = run.counts();
        long now = System.nanoTime();
        long settled = c.settled();
        Mark previous = marks.put(run.syncId(), new Mark(run.runId(), settled, now));
        if (previous == null || previous.runId() != run.runId()) {
            previous = new Mark(run.runId(), 0, now - Duration.between(run.startedAt(), java.time.Instant.now()).toNanos());
        }
        double seconds = Math.max(1e-3, (now - previous.atNanos()) / 1e9);
        double rate = (settled - previous.settled()) / seconds;
        long left = c.read() - settled;
        String eta = left == 0 ? "0 s" : rate > 0 ? Math.round(left / rate) + " s" : "unknown";
        LOG.info("Sync '{}' run {} progress: read {}, sent {}, ended {} ({} rows/s), in flight {}, jobs pending {},"
                + " about {} left to send the rows read so far", run.syncId(), run.runId(), c.read(), c.sent(),
                settled, String.format(java.util.Locale.ROOT, "%.1f", rate), run.inFlightRows(),
                run.pendingJobCount(), eta);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
