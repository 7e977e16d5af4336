package org.klaviyosync.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.klaviyo.BulkJobReader;
import org.klaviyosync.klaviyo.BulkJobWatch;
import org.klaviyosync.klaviyo.BulkProfile;
import org.klaviyosync.klaviyo.ImportError;
import org.klaviyosync.klaviyo.JobOutcome;
import org.klaviyosync.klaviyo.JobReconciliation;
import org.klaviyosync.klaviyo.JobState;
import org.klaviyosync.klaviyo.SubmittedJob;
import org.klaviyosync.run.SyncRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for bulk jobs to complete and maps their import errors back to the rows they came from.
 * Job states come from a {@link BulkJobWatch}, which learns many jobs' states a call.
 * A row is acknowledged only when its job completed, the job accounts for every row it carried
 * ({@link JobReconciliation}) and the row has no import error; a row with an import error is
 * rejected; the other rows of a job that does not account for them are deferred.
 */
public final class BulkJobSettler implements Processor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BulkJobSettler.class);

    private final BulkJobWatch watch;
    private final BulkJobReader reader;
    private final Duration timeout;
    private final NullClearer nullClearer;
    private final ConsentSender consentSender;
    private final FingerprintCommits commits;
    private final int threads;
    private final ExecutorService workers;
    /** Settling the submitters handed over, per run, waited for at the run's end. */
    private final Map<SyncRun, List<Future<?>>> inBackground = new ConcurrentHashMap<>();

    /**
     * With {@code nullClearer}, an acknowledged row that has nulls to clear gets them cleared first.
     * The fingerprints of the rows a job settled are stored by {@code commits}, on the settling thread.
     * At a run's end its jobs are settled {@code threads} at a time.
     */
    public BulkJobSettler(BulkJobWatch watch, BulkJobReader reader, Duration timeout, NullClearer nullClearer,
            FingerprintCommits commits, int threads) {
        this(watch, reader, timeout, nullClearer, null, commits, threads);
    }

    /** With {@code consentSender}, the acknowledged rows that change consent get it changed too. */
    public BulkJobSettler(BulkJobWatch watch, BulkJobReader reader, Duration timeout, NullClearer nullClearer,
            ConsentSender consentSender, FingerprintCommits commits, int threads) {
        this.watch = watch;
        this.reader = reader;
        this.timeout = timeout;
        this.nullClearer = nullClearer;
        this.consentSender = consentSender;
        this.commits = commits;
        this.threads = Math.max(1, threads);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "klaviyo-sync-settle-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    /** A job Klaviyo accepted for the run: it is watched and waits to be settled. */
    public void accepted(SyncRun run, SubmittedJob job, String list) {
        watch.watch(job);
        run.addPendingJob(new SyncRun.PendingJob(job.jobId(), list, BulkProfile.rowKeys(job.profiles())));
    }

    /**
     * Settles every pending job of the exchange's run, up to {@code threads} jobs at a time; the
     * first failure is thrown once every job is settled or has failed.
     */
    @Override
    public void process(Exchange exchange) throws Exception {
        SyncRun run = exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
        awaitSettling(run);
        int parallel = Math.min(threads, run.pendingJobCount());
        if (parallel <= 1) {
            while (run.pendingJobCount() > 0) {
                settleOldest(run);
            }
            return;
        }
        List<Callable<Void>> settlers = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            settlers.add(() -> {
                SyncRun.PendingJob job;
                while ((job = run.nextPendingJob()) != null) {
                    settle(run, job);
                }
                return null;
            });
        }
        Exception first = null;
        for (Future<Void> done : workers.invokeAll(settlers)) {
            try {
                done.get();
            } catch (ExecutionException e) {
                if (first == null) {
                    first = e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    public void settleOldest(SyncRun run) throws Exception {
        SyncRun.PendingJob job = run.nextPendingJob();
        if (job != null) {
            settle(run, job);
        }
    }

    /**
     * Settles the run's pending jobs Klaviyo has finished, after a look at them if one is due, on the
     * settler's own threads: the submitters that call it as they go keep submitting while the rows of
     * finished jobs are ended and their fingerprints stored. A failed look leaves the jobs to be
     * settled later; a failed settling defers the job's rows.
     */
    public void settleFinished(SyncRun run) {
        if (run.pendingJobCount() == 0) {
            return;
        }
        watch.lookIfDue();
        List<SyncRun.PendingJob> finished = run.takePendingJobs(j -> watch.isFinished(j.jobId()));
        if (finished.isEmpty()) {
            return;
        }
        List<Future<?>> settling = inBackground.computeIfAbsent(run, r -> new ArrayList<>());
        synchronized (settling) {
            settling.add(workers.submit(() -> {
                for (SyncRun.PendingJob job : finished) {
                    try {
                        settle(run, job);
                    } catch (Exception e) {
                        LOG.warn("Sync '{}': settling bulk job {} failed: {}", run.syncId(), job.jobId(),
                                e.getMessage());
                    }
                }
            }));
        }
    }

    /** Waits for the run's settling in the background to end. */
    private void awaitSettling(SyncRun run) throws InterruptedException {
        List<Future<?>> settling = inBackground.remove(run);
        if (settling == null) {
            return;
        }
        List<Future<?>> all;
        synchronized (settling) {
            all = List.copyOf(settling);
        }
        for (Future<?> f : all) {
            try {
                f.get();
            } catch (ExecutionException e) {
                LOG.warn("Sync '{}': settling finished bulk jobs failed: {}", run.syncId(), e.getCause().getMessage());
            }
        }
    }

    private void settle(SyncRun run, SyncRun.PendingJob job) throws Exception {
        JobOutcome outcome;
        try {
            JobState state = watch.await(job.jobId(), Instant.now().plus(timeout), run::stopping);
            outcome = state.isFinished() ? reader.finished(state) : new JobOutcome(state, List.of(), true);
        } catch (Exception e) {
            run.partsDeferred(job.rowKeys(), "bulk job " + job.jobId() + " outcome unknown: " + e.getMessage());
            throw e;
        } finally {
            watch.forget(job.jobId());
        }
        if (outcome.timedOut() && run.stopping()) {
            run.partsDeferred(job.rowKeys(), "bulk job " + job.jobId() + " was still " + outcome.state().status()
                    + " when the run stopped (" + run.failure() + "); sent again by the next run");
            return;
        }
        apply(run, job, outcome);
    }

    /** Ends the job's rows as its outcome says, then stores their fingerprints when enough are waiting. */
    private void apply(SyncRun run, SyncRun.PendingJob job, JobOutcome outcome) throws Exception {
        if (outcome.timedOut() || !JobState.COMPLETE.equals(outcome.state().status())) {
            String how = outcome.timedOut() ? "did not complete within " + timeout.toMinutes() + " minutes"
                    : "ended " + outcome.state().status();
            run.partsDeferred(job.rowKeys(), "bulk job " + job.jobId() + " " + how);
            return;
        }
        JobReconciliation rows = JobReconciliation.of(job.rowKeys(), run.sync().identifier().attribute(),
                outcome.state(), outcome.errors());
        String deferral = null;
        if (!rows.accountsForEveryRow()) {
            LOG.warn("Sync '{}': bulk job {} does not account for its rows ({}); the rows without an import error"
                    + " are deferred and sent again", run.syncId(), job.jobId(), rows.mismatch());
            deferral = "bulk job " + job.jobId() + " does not account for its rows: " + rows.mismatch();
        }
        List<String> imported = new ArrayList<>();
        for (String rowKey : job.rowKeys()) {
            Optional<ImportError> error = rows.errorOf(rowKey);
            if (error.isPresent()) {
                run.partRejected(rowKey, error.get().code(), error.get().detail());
            } else if (deferral != null) {
                run.partDeferred(rowKey, deferral);
            } else {
                imported.add(rowKey);
            }
        }
        if (consentSender != null) {
            consentSender.imported(run, imported, rowKey -> importAcknowledged(run, rowKey));
        } else {
            imported.forEach(rowKey -> importAcknowledged(run, rowKey));
        }
        commits.whenDue(run);
    }

    private void importAcknowledged(SyncRun run, String rowKey) {
        if (nullClearer != null) {
            nullClearer.acknowledge(run, rowKey);
        } else {
            run.partAcknowledged(rowKey);
        }
    }
}
