package org.klaviyosync.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.klaviyo.BulkImportJobs;
import org.klaviyosync.klaviyo.BulkProfile;
import org.klaviyosync.klaviyo.BulkSubmission;
import org.klaviyosync.klaviyo.RejectedProfile;
import org.klaviyosync.klaviyo.SubmittedJob;
import org.klaviyosync.run.ProfileBatch;
import org.klaviyosync.run.SyncRun;

/**
 * Submits a batch as a bulk import job. Profiles Klaviyo's synchronous validation refuses are
 * rejected with its reason; accepted jobs wait to be settled. When too many jobs are pending, the
 * oldest is settled first, which bounds memory and keeps pace with Klaviyo; otherwise the oldest is
 * looked at once now and then and settled if Klaviyo has finished it.
 */
public final class BulkImportSubmitter implements Processor {

    private final BulkImportJobs jobs;
    private final BulkJobSettler settler;
    private final int maxPendingJobs;

    public BulkImportSubmitter(BulkImportJobs jobs, BulkJobSettler settler, int maxPendingJobs) {
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
            run.addPendingJob(new SyncRun.PendingJob(job.jobId(), batch.list(), BulkProfile.rowKeys(job.profiles())));
        }
        while (run.pendingJobCount() > maxPendingJobs) {
            settler.settleOldest(run);
        }
        settler.settleOldestIfDone(run);
    }
}
