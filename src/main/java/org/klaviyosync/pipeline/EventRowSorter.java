package org.klaviyosync.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.mapping.MappedRow;
import org.klaviyosync.run.ProfileBatch;
import org.klaviyosync.run.RunRegistry;
import org.klaviyosync.run.SyncRun;
import org.klaviyosync.state.RowOutcome;
import org.klaviyosync.state.SentEvents;

/**
 * Sorts a chunk of an event sync's mapped rows by outcome. Events are append-only: an event id
 * Klaviyo acknowledged is never sent again. The same event again is unchanged; a different event
 * under that id is invalid with code {@value #IGNORED}, since Klaviyo keeps the first event it
 * recorded under an id and ignores later ones; an event Klaviyo rejected stays rejected until it
 * changes (or is replayed). The rest join the run's batch. The body becomes the batches the chunk
 * completed (often none).
 */
public final class EventRowSorter implements Processor {

    /** The code of an event changed under an id Klaviyo already holds: Klaviyo would ignore it. */
    public static final String IGNORED = "ignored";

    private static final int RESULTS_FLUSH_SIZE = 1000;

    private final RunRegistry runs;
    private final SentEvents sent;

    public EventRowSorter(RunRegistry runs, SentEvents sent) {
        this.runs = runs;
        this.sent = sent;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        SyncRun run = exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
        List<?> rows = exchange.getMessage().getBody(List.class);
        List<String> keys = new ArrayList<>(rows.size());
        for (Object row : rows) {
            MappedRow m = (MappedRow) row;
            if (m.valid()) {
                keys.add(m.identifierValue());
            }
        }
        Map<String, SentEvents.Sent> stored = sent.of(run.syncId(), keys);
        List<ProfileBatch> full = new ArrayList<>();
        for (Object row : rows) {
            full.addAll(sort(run, (MappedRow) row, stored));
        }
        exchange.getMessage().setBody(full);
        if (run.unstoredResultCount() >= RESULTS_FLUSH_SIZE) {
            runs.storeResults(run);
        }
    }

    private List<ProfileBatch> sort(SyncRun run, MappedRow row, Map<String, SentEvents.Sent> stored) {
        String key = row.identifierValue();
        String where = "sync '" + run.syncId() + "' row '" + key + "' field '" + run.sync().rowKeyColumn() + "'";
        if (!row.valid()) {
            run.settle(key, RowOutcome.INVALID, row.problem().field(), null, row.describe(run.syncId()));
            return List.of();
        }
        SentEvents.Sent before = stored.get(key);
        if (before != null && !before.rejected()) {
            if (before.fingerprint() == row.fingerprint()) {
                run.settle(key, RowOutcome.UNCHANGED, null, null, null);
            } else {
                run.settle(key, RowOutcome.INVALID, run.sync().rowKeyColumn(), IGNORED, where + ": ignored: the event"
                        + " changed since Klaviyo acknowledged event id '" + key + "' in run " + before.runId()
                        + "; Klaviyo keeps the first event recorded under an id and ignores later ones, so it is not"
                        + " sent; send the change as a new event under a new id");
            }
            return List.of();
        }
        if (before != null && before.fingerprint() == row.fingerprint() && !run.options().replay().contains(key)) {
            run.settle(key, RowOutcome.REJECTED, null, before.code(), where + ": not sent again: Klaviyo rejected this"
                    + " same event in run " + before.runId() + " (" + before.code() + "): " + before.detail()
                    + "; it is sent again when it changes, or by replay", before.detail());
            return List.of();
        }
        if (run.failed()) {
            run.settle(key, RowOutcome.DEFERRED, null, null, "not sent: the run failed: " + run.failure());
            return List.of();
        }
        if (!run.track(key, 1, row.fingerprint())) {
            run.settle(key, RowOutcome.INVALID, run.sync().rowKeyColumn(), null, where
                    + ": duplicate event id: another row of this run has the same event id");
            return List.of();
        }
        return run.batcher().add(null, key, row.profileJson());
    }
}
