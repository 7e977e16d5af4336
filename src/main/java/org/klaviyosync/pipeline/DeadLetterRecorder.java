package org.klaviyosync.pipeline;

import java.util.function.BooleanSupplier;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.klaviyo.ApiErrors;
import org.klaviyosync.klaviyo.KlaviyoAuthException;
import org.klaviyosync.run.ProfileBatch;
import org.klaviyosync.run.SyncRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter channel's end: a batch that could not be delivered has its rows deferred with
 * the last error, so the next run sends them again. Nothing is dropped.
 */
public final class DeadLetterRecorder implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRecorder.class);

    private final BooleanSupplier outage;

    /** @param outage whether Klaviyo currently looks down; then the run stops instead of trying more batches */
    public DeadLetterRecorder(BooleanSupplier outage) {
        this.outage = outage;
    }

    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // the message may quote an answer from Klaviyo: keep anything key-like out of logs and row results
        String reason = cause == null ? "delivery failed" : ApiErrors.scrub(cause.getMessage());
        Object body = exchange.getMessage().getBody();
        if (run == null || !(body instanceof ProfileBatch batch)) {
            LOG.error("Dead letter without a batch ({}): {}", body == null ? "no body" : body.getClass().getSimpleName(),
                    reason);
            return;
        }
        LOG.warn("Sync '{}' run {}: a batch of {} {}(s){} was not delivered and is deferred: {}", run.syncId(),
                run.runId(), batch.size(), run.sync().kind().noun(), batch.list() == null ? "" : " for list "
                + batch.list(), reason);
        run.partsDeferred(batch.rowKeys(), "not delivered: " + reason);
        if (cause instanceof KlaviyoAuthException) {
            run.fail(reason);
        } else if (outage.getAsBoolean()) {
            run.fail("Klaviyo is unavailable, the run stopped and its unsent rows are deferred: " + reason);
        }
    }
}
