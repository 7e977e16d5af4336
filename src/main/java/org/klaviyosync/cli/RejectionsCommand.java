package org.klaviyosync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.klaviyosync.app.SyncApplication;
import org.klaviyosync.state.RowOutcome;
import org.klaviyosync.state.RowResult;
import org.klaviyosync.state.RunRecord;

/**
 * {@code rejections SYNC_ID [--run ID]}: the rows of a run (default: the latest run that had any)
 * that were invalid or that Klaviyo rejected, with the reason, Klaviyo's code and its detail.
 */
final class RejectionsCommand {

    private final SyncApplication app;
    private final ObjectMapper json;

    RejectionsCommand(SyncApplication app, ObjectMapper json) {
        this.app = app;
        this.json = json;
    }

    int execute(String syncId, Optional<Long> requestedRun, boolean asJson, PrintStream out, PrintStream err)
            throws Exception {
        Optional<Long> runId = resolveRun(app, syncId, requestedRun, err, RowOutcome.INVALID, RowOutcome.REJECTED);
        if (runId == null) {
            return ExitCodes.CONFIGURATION;
        }
        if (runId.isEmpty()) {
            if (!asJson) {
                out.println("Sync '" + syncId + "' has no invalid or rejected rows in the history.");
            }
            return ExitCodes.OK;
        }
        List<RowResult> rows = app.store().rowResults(runId.get(), RowOutcome.INVALID, RowOutcome.REJECTED);
        if (asJson) {
            for (RowResult r : rows) {
                ObjectNode o = json.createObjectNode();
                o.put("sync", syncId);
                o.put("runId", runId.get());
                o.put("identifier", r.identifierValue());
                o.put("outcome", r.outcome().key());
                o.put("field", r.field());
                o.put("code", r.code());
                o.put("reason", r.reason());
                o.put("detail", r.detail());
                out.println(json.writeValueAsString(o));
            }
            return ExitCodes.OK;
        }
        out.printf("Sync '%s' run %d: %d invalid or rejected row(s)%n", syncId, runId.get(), rows.size());
        for (RowResult r : rows) {
            out.printf("  %-8s %s%s%n", r.outcome().key(), r.identifierValue() == null ? "(no identifier)"
                    : r.identifierValue(), r.code() == null ? "" : "  [" + r.code() + "]");
            out.println("           " + r.reason());
        }
        if (rows.stream().anyMatch(r -> r.outcome() == RowOutcome.REJECTED)) {
            out.printf("%nRejected rows are sent again when their data changes; to send them now: replay %s --run %d%n",
                    syncId, runId.get());
        }
        return ExitCodes.OK;
    }

    /**
     * The run to show: the requested one (which must be a run of the sync), else the sync's
     * latest run with a row of {@code outcomes}. Null after printing an error; empty when none.
     */
    static Optional<Long> resolveRun(SyncApplication app, String syncId, Optional<Long> requested, PrintStream err,
            RowOutcome... outcomes) throws Exception {
        if (requested.isPresent()) {
            Optional<RunRecord> run = app.store().run(requested.get());
            if (run.isEmpty() || !run.get().syncId().equals(syncId)) {
                err.println("error: run " + requested.get() + " is not a run of sync '" + syncId
                        + "' in the history; see: history " + syncId);
                return null;
            }
            return requested;
        }
        if (!app.syncs().containsKey(syncId) && app.store().recentRuns(syncId, 1).isEmpty()) {
            err.println("error: no sync named '" + syncId + "' and no runs of it in the history; the syncs are "
                    + String.join(", ", app.syncs().keySet()));
            return null;
        }
        return app.store().latestRunWith(syncId, outcomes);
    }
}
