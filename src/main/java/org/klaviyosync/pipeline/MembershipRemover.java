package org.klaviyosync.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.run.ListMirror;
import org.klaviyosync.run.RunRegistry;
import org.klaviyosync.run.SyncRun;

/**
 * Once every job of a {@code listMode=mirror} run is settled: records the memberships Klaviyo
 * acknowledged, then removes those the model no longer names ({@link ListMirror}).
 */
public final class MembershipRemover implements Processor {

    private final RunRegistry runs;
    private final ListMirror mirror;

    public MembershipRemover(RunRegistry runs, ListMirror mirror) {
        this.runs = runs;
        this.mirror = mirror;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        SyncRun run = exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
        if (run == null || run.memberships() == null) {
            return;
        }
        runs.commitFingerprints(run);
        mirror.removeWhatLeft(run);
    }
}
