package org.klaviyosync.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.run.ProfileBatch;
import org.klaviyosync.run.RunRegistry;
import org.klaviyosync.run.RunSummary;
import org.klaviyosync.run.SyncRun;

/**
 * Ends the run whatever happened, once the submitters are done with its batches: rows still
 * buffered or in unsettled jobs are deferred, the counts are reconciled, the run and its row
 * results are stored.
 */
public final class RunFinisher implements Processor {

    private final RunRegistry runs;
    private final BatchDeliveries deliveries;

    public RunFinisher(RunRegistry runs, BatchDeliveries deliveries) {
        this.runs = runs;
        this.deliveries = deliveries;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        SyncRun run = exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
        if (run == null) {
            return;
        }
        // a run that failed on its way may still have batches with the submitters
        deliveries.awaitAll(run);
        String reason = run.failed() ? "not sent: the run failed: " + run.failure() : "not sent: the run ended early";
        for (ProfileBatch batch : run.batcher().flush()) {
            run.partsDeferred(batch.rowKeys(), reason);
        }
        SyncRun.PendingJob job;
        while ((job = run.nextPendingJob()) != null) {
            run.partsDeferred(job.rowKeys(), "bulk job " + job.jobId() + " was not awaited: " + reason);
        }
        run.deferInFlight(reason);
        RunSummary summary = runs.close(run);
        exchange.setProperty(ExchangeKeys.SUMMARY, summary);
    }
}
