package org.klaviyosync.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.klaviyo.ConsentChange;
import org.klaviyosync.mapping.ConsentValues;
import org.klaviyosync.mapping.MappedRow;
import org.klaviyosync.run.ListTargets;
import org.klaviyosync.run.ProfileBatch;
import org.klaviyosync.run.RunRegistry;
import org.klaviyosync.run.SyncRun;
import org.klaviyosync.state.RowOutcome;
import org.klaviyosync.state.StoredRejection;

/**
 * Decides where each mapped row of a chunk goes: invalid rows end here, rows whose list cannot be
 * used are rejected, the rest join the batch of each of their lists, or the batch without a list
 * when they have none (upserted without list membership). The body becomes the batches
 * the chunk completed (often none).
 */
public final class ProfileRowSorter implements Processor {

    /** Row results are written to the history in chunks of this size while the run goes on. */
    private static final int RESULTS_FLUSH_SIZE = 1000;

    private final RunRegistry runs;

    public ProfileRowSorter(RunRegistry runs) {
        this.runs = runs;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        SyncRun run = exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
        List<?> rows = exchange.getMessage().getBody(List.class);
        List<ProfileBatch> full = new ArrayList<>();
        for (Object row : rows) {
            full.addAll(sort(run, (MappedRow) row));
        }
        exchange.getMessage().setBody(full);
        if (run.unstoredResultCount() >= RESULTS_FLUSH_SIZE) {
            runs.storeResults(run);
        }
    }

    List<ProfileBatch> sort(SyncRun run, MappedRow row) throws Exception {
        String key = row.identifierValue();
        run.identifierRead(key);
        if (!row.valid()) {
            run.settle(key, RowOutcome.INVALID, row.problem().field(), null, row.describe(run.syncId()));
            return List.of();
        }
        switch (run.changes().verdict(key, row.fingerprint(), row.acknowledgedInWarehouse())) {
            case UNCHANGED -> {
                run.settle(key, RowOutcome.UNCHANGED, null, null, null);
                if (row.acknowledgedInWarehouse() != null && row.rowFingerprint() != null) {
                    // only a column outside the payload changed: next time the warehouse tells it unchanged
                    run.rowFingerprintChanged(key, row.fingerprint(), row.rowFingerprint());
                }
                return List.of();
            }
            case STILL_REJECTED -> {
                StoredRejection r = run.changes().rejection(key);
                run.settle(key, RowOutcome.REJECTED, null, r.code(), "sync '" + run.syncId() + "' row '" + key
                        + "': not sent again: Klaviyo rejected this same data in run " + r.runId() + " (" + r.code()
                        + "): " + r.detail() + "; it is sent again when it changes, or by replay", r.detail());
                return List.of();
            }
            default -> {
                // new or changed: on to Klaviyo
            }
        }
        if (run.failed()) {
            run.settle(key, RowOutcome.DEFERRED, null, null, "not sent: the run failed: " + run.failure());
            return List.of();
        }
        Set<String> listIds = new LinkedHashSet<>();
        Map<String, String> referenceOfList = new HashMap<>();
        try {
            for (String reference : row.lists()) {
                ListTargets.Target target = run.lists().resolve(reference);
                if (target.rejected()) {
                    run.settle(key, RowOutcome.REJECTED, null, "list", target.rejection());
                    return List.of();
                }
                listIds.add(target.listId());
                referenceOfList.putIfAbsent(target.listId(), reference);
            }
        } catch (RuntimeException e) {
            run.settle(key, RowOutcome.DEFERRED, null, null, "not sent: its lists could not be looked up: "
                    + e.getMessage());
            run.fail(e.getMessage());
            return List.of();
        }
        // a row without lists is still upserted: one bulk job without a list relationship
        if (!run.track(key, Math.max(1, listIds.size()), row.fingerprint(), row.rowFingerprint())) {
            run.settle(key, RowOutcome.INVALID, run.sync().identifierColumn(), null, "sync '" + run.syncId()
                    + "' row '" + key + "' field '" + run.sync().identifierColumn()
                    + "': duplicate identifier: another row of this run has the same value");
            return List.of();
        }
        if (run.memberships() != null) {
            run.memberships().sending(key, referenceOfList);
        }
        run.nullClears().register(key, row.nullsToClear());
        if (row.consent() != null) {
            ConsentValues c = row.consent();
            run.consentChanges().register(new ConsentChange(key, c.email(), c.phoneNumber(), c.emailConsent(),
                    c.smsConsent(), c.consentedAt()));
        }
        if (listIds.isEmpty()) {
            return run.batcher().add(null, key, row.profileJson());
        }
        List<ProfileBatch> full = new ArrayList<>();
        for (String listId : listIds) {
            full.addAll(run.batcher().add(listId, key, row.profileJson()));
        }
        return full;
    }
}
