package org.klaviyosync.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.run.SyncBusyException;
import org.klaviyosync.warehouse.ConnectionFailure;
import org.klaviyosync.run.SyncRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Marks the run failed with the error that stopped it. */
public final class RunFailer implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RunFailer.class);

    @Override
    public void process(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = describe(cause);
        SyncRun run = exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
        if (run == null && cause instanceof SyncBusyException) {
            // not a failed run: another run of the sync holds it (here or on another instance)
            LOG.info("Sync '{}' not started: {}", exchange.getProperty(ExchangeKeys.SYNC_ID), cause.getMessage());
            exchange.setProperty(ExchangeKeys.SUMMARY + ".error", cause.getMessage());
            return;
        }
        if (run == null) {
            LOG.error("Sync '{}' did not start: {}", exchange.getProperty(ExchangeKeys.SYNC_ID), reason);
            exchange.setProperty(ExchangeKeys.SUMMARY + ".error", reason);
            return;
        }
        run.fail(reason);
    }

    static String describe(Throwable cause) {
        if (cause == null) {
            return "unknown error";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root
                && (root.getMessage() == null || root instanceof org.apache.camel.CamelExecutionException)) {
            root = root.getCause();
        }
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException sql && ConnectionFailure.is(sql)) {
                return "could not connect to the warehouse: " + ConnectionFailure.reason(sql);
            }
            if (t instanceof java.sql.SQLException sql) {
                return "the model failed in the warehouse: "
                        + org.klaviyosync.warehouse.ModelErrors.describe(null, sql, 0);
            }
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
