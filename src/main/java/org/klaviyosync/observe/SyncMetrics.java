package org.klaviyosync.observe;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import org.klaviyosync.run.RunCounts;
import org.klaviyosync.run.RunRegistry;
import org.klaviyosync.run.RunSummary;
import org.klaviyosync.run.SyncRun;

/**
 * Per-sync row counters, run timer and gauges. A counter is the total of the ended runs plus the
 * live counts of the run in progress, so a long run shows its progress on every scrape. The only
 * labels are the sync id, the outcome and the status: never a row's values.
 */
public final class SyncMetrics {

    /** Row outcomes, and {@code removed}: list memberships a mirror sync removed (not rows, not in {@code read}). */
    static final String[] OUTCOMES = {"sent", "unchanged", "invalid", "rejected", "deferred", "would_send", "removed"};

    private final RunRegistry runs;
    private final MeterRegistry registry;
    private final Map<String, Totals> totals = new ConcurrentHashMap<>();

    /** What the ended runs of one sync added up to, and which run was folded in last. */
    private static final class Totals {
        final AtomicLong read = new AtomicLong();
        final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
        final AtomicLong lastSuccessEpochSeconds = new AtomicLong();
        volatile long lastFoldedRunId = -1;

        Totals() {
            for (String o : OUTCOMES) {
                outcomes.put(o, new AtomicLong());
            }
        }
    }

    public SyncMetrics(RunRegistry runs, MeterRegistry registry) {
        this.runs = runs;
        this.registry = registry;
        for (String syncId : runs.syncs().keySet()) {
            register(syncId);
        }
        runs.onRunEnded(this::runEnded);
    }

    private void register(String syncId) {
        Totals t = new Totals();
        totals.put(syncId, t);
        FunctionCounter.builder("klaviyosync.rows.read", t, x -> x.read.get() + live(syncId, x, RunCounts::read))
                .description("Rows read from the model").tag("sync", syncId).register(registry);
        for (String outcome : OUTCOMES) {
            ToLongFunction<RunCounts> count = countOf(outcome);
            FunctionCounter.builder("klaviyosync.rows.settled", t,
                    x -> x.outcomes.get(outcome).get() + live(syncId, x, count))
                    .description("Rows that ended with this outcome").tag("sync", syncId).tag("outcome", outcome)
                    .register(registry);
        }
        Gauge.builder("klaviyosync.last.success.timestamp", t, x -> x.lastSuccessEpochSeconds.get())
                .description("When the last successful run ended (Unix time; 0 = none since start)")
                .baseUnit("seconds").tag("sync", syncId).register(registry);
        Gauge.builder("klaviyosync.rows.in.flight", runs,
                r -> r.active(syncId).map(SyncRun::inFlightRows).orElse(0))
                .description("Rows sent to Klaviyo whose outcome is not known yet").tag("sync", syncId)
                .register(registry);
        Gauge.builder("klaviyosync.bulk.jobs.pending", runs,
                r -> r.active(syncId).map(SyncRun::pendingJobCount).orElse(0))
                .description("Bulk import jobs accepted by Klaviyo and not settled yet").tag("sync", syncId)
                .register(registry);
    }

    private long live(String syncId, Totals t, ToLongFunction<RunCounts> count) {
        Optional<SyncRun> run = runs.active(syncId);
        // the run-ended listener folds a run in before the registry forgets it: count it once
        return run.filter(r -> r.runId() != t.lastFoldedRunId).map(r -> count.applyAsLong(r.counts())).orElse(0L);
    }

    private void runEnded(RunSummary s) {
        Totals t = totals.get(s.sync());
        if (t == null) {
            return;
        }
        synchronized (t) {
            t.read.addAndGet(s.read());
            t.outcomes.get("sent").addAndGet(s.sent());
            t.outcomes.get("unchanged").addAndGet(s.unchanged());
            t.outcomes.get("invalid").addAndGet(s.invalid());
            t.outcomes.get("rejected").addAndGet(s.rejected());
            t.outcomes.get("deferred").addAndGet(s.deferred());
            t.outcomes.get("would_send").addAndGet(s.wouldSend());
            t.outcomes.get("removed").addAndGet(s.removed());
            t.lastFoldedRunId = s.runId();
        }
        if (!s.failed()) {
            t.lastSuccessEpochSeconds.set(System.currentTimeMillis() / 1000);
        }
        Timer.builder("klaviyosync.run.duration").description("How long runs took, by how they ended")
                .tag("sync", s.sync()).tag("status", s.status()).register(registry)
                .record(Duration.ofMillis(s.durationMs()));
        registry.counter("klaviyosync.runs", "sync", s.sync(), "status", s.status()).increment();
    }

    private static ToLongFunction<RunCounts> countOf(String outcome) {
        return switch (outcome) {
            case "sent" -> RunCounts::sent;
            case "unchanged" -> RunCounts::unchanged;
            case "invalid" -> RunCounts::invalid;
            case "rejected" -> RunCounts::rejected;
            case "deferred" -> RunCounts::deferred;
            case "would_send" -> RunCounts::wouldSend;
            case "removed" -> RunCounts::removed;
            default -> throw new IllegalArgumentException(outcome);
        };
    }
}
