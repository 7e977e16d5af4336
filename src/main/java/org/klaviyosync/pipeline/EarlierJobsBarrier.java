package org.klaviyosync.pipeline;

import java.time.Duration;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.klaviyo.EarlierJobs;
import org.klaviyosync.run.SyncRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before a profile sync reads its model: waits until the bulk import jobs in progress on the key
 * have finished, so that a job left by an earlier run cannot land after this run's and overwrite
 * its newer values ({@link EarlierJobs}). Without a Klaviyo client (dry run) there is nothing to wait for.
 */
public final class EarlierJobsBarrier implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(EarlierJobsBarrier.class);

    private final EarlierJobs earlierJobs;
    private final Duration jobTimeout;

    public EarlierJobsBarrier(EarlierJobs earlierJobs, Duration jobTimeout) {
        this.earlierJobs = earlierJobs;
        this.jobTimeout = jobTimeout;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        SyncRun run = exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
        if (earlierJobs == null || run.dryRun()) {
            return;
        }
        long started = System.nanoTime();
        int earlier = earlierJobs.awaitFinished(Instant.now().plus(jobTimeout), run::stopping);
        if (earlier > 0) {
            LOG.info("Sync '{}' run {}: waited {} ms for {} bulk import job(s) in progress before sending",
                    run.sync().syncId(), run.runId(), (System.nanoTime() - started) / 1_000_000, earlier);
        }
    }
}
