package org.klaviyosync.pipeline;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.klaviyo.BulkImportJobs;
import org.klaviyosync.klaviyo.BulkProfile;
import org.klaviyosync.klaviyo.ImportError;
import org.klaviyosync.klaviyo.JobOutcome;
import org.klaviyosync.klaviyo.JobState;
import org.klaviyosync.run.SyncRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for bulk jobs to complete and maps their import errors back to the rows they came from.
 * A row is acknowledged only when its job completed and it is not among the import errors.
 */
public final class BulkJobSettler implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(BulkJobSettler.class);

    private final BulkImportJobs jobs;
    private final Duration pollInterval;
    private final Duration timeout;
    private final NullClearer nullClearer;
    private final FingerprintCommits commits;

    /**
     * With {@code nullClearer}, an acknowledged row that has nulls to clear gets them cleared first.
     * The fingerprints of the rows a job settled are stored by {@code commits}, on the settling thread.
     */
    public BulkJobSettler(BulkImportJobs jobs, Duration pollInterval, Duration timeout, NullClearer nullClearer,
            FingerprintCommits commits) {
        this.jobs = jobs;
        this.pollInterval = pollInterval;
        this.timeout = timeout;
        this.nullClearer = nullClearer;
        this.commits = commits;
    }

    /** Settles every pending job of the exchange's run. */
    @Override
    public void process(Exchange exchange) throws Exception {
        SyncRun run = exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
        while (run.pendingJobCount() > 0) {
            settleOldest(run);
        }
    }

    public void settleOldest(SyncRun run) throws Exception {
        SyncRun.PendingJob job = run.nextPendingJob();
        if (job == null) {
            return;
        }
        JobOutcome outcome;
        try {
            outcome = jobs.awaitCompletion(job.jobId(), pollInterval, timeout);
        } catch (Exception e) {
            run.partsDeferred(job.rowKeys(), "bulk job " + job.jobId() + " outcome unknown: " + e.getMessage());
            throw e;
        }
        if (outcome.timedOut() || !JobState.COMPLETE.equals(outcome.state().status())) {
            String how = outcome.timedOut() ? "did not complete within " + timeout.toMinutes() + " minutes"
                    : "ended " + outcome.state().status();
            run.partsDeferred(job.rowKeys(), "bulk job " + job.jobId() + " " + how);
            return;
        }
        String identifier = run.sync().identifier().attribute();
        Map<String, ImportError> errors = new HashMap<>();
        for (ImportError error : outcome.errors()) {
            String key = BulkImportJobs.identifierOf(error.originalPayload(), identifier);
            if (key != null) {
                errors.putIfAbsent(key, error);
            }
        }
        boolean unmatched = outcome.state().failedCount() > errors.size();
        if (unmatched) {
            LOG.warn("Sync '{}': bulk job {} reported {} failed profiles but only {} import errors could be matched to"
                    + " rows; the unmatched rows are deferred and sent again", run.syncId(), job.jobId(),
                    outcome.state().failedCount(), errors.size());
        }
        for (String rowKey : job.rowKeys()) {
            ImportError error = errors.get(rowKey);
            if (error != null) {
                run.partRejected(rowKey, error.code(), error.detail());
            } else if (unmatched) {
                run.partDeferred(rowKey, "bulk job " + job.jobId() + " reported failures it did not itemise");
            } else if (nullClearer != null) {
                nullClearer.acknowledge(run, rowKey);
            } else {
                run.partAcknowledged(rowKey);
            }
        }
        commits.whenDue(run);
    }
}
