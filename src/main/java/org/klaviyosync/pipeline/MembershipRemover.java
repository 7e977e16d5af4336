package org.klaviyosync.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.run.ListMirror;
import org.klaviyosync.run.ModelDepartures;
import org.klaviyosync.run.RunRegistry;
import org.klaviyosync.run.SyncRun;

/**
 * Once every job of a run is settled: for a {@code listMode=mirror} sync, records the memberships
 * Klaviyo acknowledged, then removes those the model no longer names ({@link ListMirror}); for
 * every profile sync, then forgets the state of identifiers that left the model and are owed
 * nothing more ({@link ModelDepartures}).
 */
public final class MembershipRemover implements Processor {

    private final RunRegistry runs;
    private final ListMirror mirror;
    private final ModelDepartures departures;

    public MembershipRemover(RunRegistry runs, ListMirror mirror, ModelDepartures departures) {
        this.runs = runs;
        this.mirror = mirror;
        this.departures = departures;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        SyncRun run = exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
        if (run == null) {
            return;
        }
        runs.commitFingerprints(run);
        if (run.memberships() != null) {
            mirror.removeWhatLeft(run);
        }
        departures.forgetWhatLeft(run);
    }
}
