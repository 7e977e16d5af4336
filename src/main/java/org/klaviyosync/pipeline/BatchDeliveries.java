package org.klaviyosync.pipeline;

import java.time.Duration;
import org.apache.camel.Exchange;
import org.klaviyosync.run.SyncRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The join of the asynchronous bulk import: the sync route counts each batch it hands to the
 * submitters' queue, the submitters count each batch they are done with, and the run settles its
 * jobs and ends only when every batch is done.
 */
public final class BatchDeliveries {

    private static final Logger LOG = LoggerFactory.getLogger(BatchDeliveries.class);

    private final Duration patienceAfterFailure;

    /** {@code patienceAfterFailure}: how long a failed run waits for batches still queued. */
    public BatchDeliveries(Duration patienceAfterFailure) {
        this.patienceAfterFailure = patienceAfterFailure;
    }

    public void handedOver(Exchange exchange) {
        run(exchange).batchHandedOver();
    }

    public void delivered(Exchange exchange) {
        SyncRun run = run(exchange);
        if (run != null) {
            run.batchDelivered();
        }
    }

    public void awaitAll(Exchange exchange) throws InterruptedException {
        awaitAll(run(exchange));
    }

    /** Waits for the run's batches; a failed run's batches not done in time are left to the run's end to defer. */
    public void awaitAll(SyncRun run) throws InterruptedException {
        if (run != null && !run.awaitDeliveries(patienceAfterFailure)) {
            LOG.warn("Sync '{}' run {}: {} batch(es) were still queued for submission when the run ended; their rows"
                    + " are deferred", run.syncId(), run.runId(), run.batchesOutstanding());
        }
    }

    private static SyncRun run(Exchange exchange) {
        return exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
    }
}
