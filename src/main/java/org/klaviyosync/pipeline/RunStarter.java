package org.klaviyosync.pipeline;

import java.util.Date;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.run.RunRegistry;
import org.klaviyosync.run.SyncRun;

/** Opens a run of the exchange's sync and puts the model's SQL in the body for camel-sql. */
public final class RunStarter implements Processor {

    private final RunRegistry runs;

    public RunStarter(RunRegistry runs) {
        this.runs = runs;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String syncId = exchange.getProperty(ExchangeKeys.SYNC_ID, String.class);
        // camel-quartz puts the trigger's scheduled fire time on the message; on-demand runs have none
        Date fireTime = exchange.getMessage().getHeader(ExchangeKeys.SCHEDULED_FIRE_TIME, Date.class);
        SyncRun run = runs.open(syncId, fireTime == null ? null : fireTime.toInstant());
        exchange.setProperty(ExchangeKeys.RUN, run);
        exchange.getMessage().setBody(runs.modelSql(run.sync()));
    }
}
