package org.klaviyosync.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.klaviyo.EventBulkCreateJobs;
import org.klaviyosync.klaviyo.RejectedProfile;
import org.klaviyosync.run.ProfileBatch;
import org.klaviyosync.run.RunRegistry;
import org.klaviyosync.run.SyncRun;

/**
 * Sends a batch of an event sync's events as Klaviyo bulk create events requests. Klaviyo's 202 is
 * the acknowledgement (event jobs have nothing to poll), so each event ends here: sent, or
 * rejected with Klaviyo's reason; the fingerprints of the answered events are stored at once.
 */
public final class EventJobSubmitter implements Processor {

    private final EventBulkCreateJobs jobs;
    private final RunRegistry runs;

    public EventJobSubmitter(EventBulkCreateJobs jobs, RunRegistry runs) {
        this.jobs = jobs;
        this.runs = runs;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        SyncRun run = exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
        ProfileBatch batch = exchange.getMessage().getBody(ProfileBatch.class);
        if (run.failed()) {
            run.partsDeferred(batch.rowKeys(), "not sent: the run failed: " + run.failure());
            return;
        }
        EventBulkCreateJobs.EventSubmission submission = jobs.submit(batch.profiles());
        for (RejectedProfile rejected : submission.rejected()) {
            run.partRejected(rejected.rowKey(), rejected.code(), rejected.detail());
        }
        for (String key : submission.accepted()) {
            run.partAcknowledged(key);
        }
        runs.commitFingerprints(run);
    }
}
