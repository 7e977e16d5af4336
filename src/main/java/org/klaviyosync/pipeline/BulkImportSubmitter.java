package org.klaviyosync.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.klaviyo.ApiErrors;
import org.klaviyosync.klaviyo.BulkImportSubmissions;
import org.klaviyosync.klaviyo.BulkSubmission;
import org.klaviyosync.klaviyo.KlaviyoAuthException;
import org.klaviyosync.klaviyo.RejectedProfile;
import org.klaviyosync.klaviyo.SubmittedJob;
import org.klaviyosync.run.ProfileBatch;
import org.klaviyosync.run.SyncRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits a batch as a bulk import job. Profiles Klaviyo's synchronous validation refuses are
 * rejected with its reason; accepted jobs wait to be settled. When too many jobs are pending, the
 * oldest is settled first, which bounds memory and keeps pace with Klaviyo; otherwise the jobs
 * Klaviyo has finished are settled as they are found. Settling an older job that
 * fails is that job's failure alone: its rows are deferred with its reason, while the jobs just
 * submitted stay pending and are settled as usual (never recorded as not delivered).
 */
public final class BulkImportSubmitter implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(BulkImportSubmitter.class);

    private final BulkImportSubmissions jobs;
    private final BulkJobSettler settler;
    private final int maxPendingJobs;

    public BulkImportSubmitter(BulkImportSubmissions jobs, BulkJobSettler settler, int maxPendingJobs) {
        this.jobs = jobs;
        this.settler = settler;
        this.maxPendingJobs = maxPendingJobs;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        SyncRun run = exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
        ProfileBatch batch = exchange.getMessage().getBody(ProfileBatch.class);
        if (run.failed()) {
            run.partsDeferred(batch.rowKeys(), "not sent: the run failed: " + run.failure());
            return;
        }
        BulkSubmission submission = jobs.submit(batch.profiles(), batch.list());
        for (RejectedProfile rejected : submission.rejected()) {
            run.partRejected(rejected.rowKey(), rejected.code(), rejected.detail());
        }
        for (SubmittedJob job : submission.jobs()) {
            settler.accepted(run, job, batch.list());
        }
        while (run.pendingJobCount() > maxPendingJobs) {
            settleOlderJob(run);
        }
        settler.settleFinished(run);
    }

    /**
     * Settles the oldest pending job. If that fails, the settler has deferred the job's rows with
     * the reason; the failure does not reach the dead-letter channel, which would defer the batch
     * this exchange carries although its jobs are pending. A refused key still fails the run.
     */
    private void settleOlderJob(SyncRun run) {
        try {
            settler.settleOldest(run);
        } catch (KlaviyoAuthException e) {
            run.fail(ApiErrors.scrub(e.getMessage()));
        } catch (Exception e) {
            LOG.warn("Sync '{}' run {}: settling an earlier bulk job failed, its rows are deferred: {}", run.syncId(),
                    run.runId(), ApiErrors.scrub(String.valueOf(e.getMessage())));
        }
    }
}
