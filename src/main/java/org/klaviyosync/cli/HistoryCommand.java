package org.klaviyosync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;
import org.klaviyosync.app.SyncApplication;
import org.klaviyosync.state.RunRecord;

/** {@code history SYNC_ID [--limit N]}: the sync's recent runs, newest first, with their counts. */
final class HistoryCommand {

    private final SyncApplication app;
    private final ObjectMapper json;

    HistoryCommand(SyncApplication app, ObjectMapper json) {
        this.app = app;
        this.json = json;
    }

    int execute(String syncId, int limit, boolean asJson, PrintStream out, PrintStream err) throws Exception {
        List<RunRecord> runs = app.store().recentRuns(syncId, limit);
        if (runs.isEmpty() && !app.syncs().containsKey(syncId)) {
            err.println("error: no sync named '" + syncId + "' and no runs of it in the history; the syncs are "
                    + String.join(", ", app.syncs().keySet()));
            return ExitCodes.CONFIGURATION;
        }
        if (asJson) {
            for (RunRecord r : runs) {
                out.println(json.writeValueAsString(toJson(json, r)));
            }
            return ExitCodes.OK;
        }
        if (runs.isEmpty()) {
            out.println("Sync '" + syncId + "' has no runs in the history yet.");
            return ExitCodes.OK;
        }
        out.printf("Runs of sync '%s' (newest first)%n", syncId);
        out.printf("%8s  %-20s  %9s  %-9s %9s %9s %10s %9s %9s %9s %9s %9s%n", "RUN", "STARTED (UTC)", "SECONDS",
                "STATUS", "READ", "SENT", "WOULD SEND", "UNCHANGED", "INVALID", "REJECTED", "DEFERRED", "REMOVED");
        for (RunRecord r : runs) {
            String seconds = r.endedAt() == null ? "-"
                    : String.format("%.1f", (r.endedAt().toEpochMilli() - r.startedAt().toEpochMilli()) / 1000.0);
            out.printf("%8d  %-20s  %9s  %-9s %9d %9d %10d %9d %9d %9d %9d %9d%n", r.runId(),
                    r.startedAt().toString().replaceFirst("\\.\\d+Z$", "Z"), seconds, r.status(), r.read(), r.sent(),
                    r.wouldSend(), r.unchanged(), r.invalid(), r.rejected(), r.deferred(), r.removed());
            if (r.error() != null) {
                out.println("          error: " + r.error());
            }
        }
        return ExitCodes.OK;
    }

    static ObjectNode toJson(ObjectMapper json, RunRecord r) {
        ObjectNode o = json.createObjectNode();
        o.put("runId", r.runId());
        o.put("sync", r.syncId());
        o.put("startedAt", r.startedAt().toString());
        o.put("endedAt", r.endedAt() == null ? null : r.endedAt().toString());
        o.put("status", r.status());
        o.put("dryRun", r.dryRun());
        o.put("read", r.read());
        o.put("sent", r.sent());
        o.put("unchanged", r.unchanged());
        o.put("invalid", r.invalid());
        o.put("rejected", r.rejected());
        o.put("deferred", r.deferred());
        o.put("wouldSend", r.wouldSend());
        o.put("removed", r.removed());
        o.put("error", r.error());
        return o;
    }
}
