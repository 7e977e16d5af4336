package org.klaviyosync.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.run.SyncRun;

/** After the last row: releases the batches still open, as the body. */
public final class BatchFlusher implements Processor {

    @Override
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
        exchange.getMessage().setBody(run.batcher().flush());
    }
}
