package org.klaviyosync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.klaviyosync.app.SyncApplication;
import org.klaviyosync.run.RunOptions;
import org.klaviyosync.run.RunSummary;
import org.klaviyosync.state.RowOutcome;
import org.klaviyosync.state.RowResult;

/**
 * {@code replay SYNC_ID [--run ID]}: runs the sync now with the rows Klaviyo rejected in that run
 * (default: the latest run with rejections) treated as changed, so they are sent again even if
 * their data did not change. Other rows behave as in any run: new and changed ones are sent too.
 */
final class ReplayCommand {

    private final SyncApplication app;
    private final ObjectMapper json;

    ReplayCommand(SyncApplication app, ObjectMapper json) {
        this.app = app;
        this.json = json;
    }

    int execute(String syncId, Optional<Long> requestedRun, boolean asJson, PrintStream out, PrintStream err)
            throws Exception {
        if (!app.syncs().containsKey(syncId)) {
            err.println("error: " + app.unknownSync(syncId));
            return ExitCodes.CONFIGURATION;
        }
        Optional<Long> runId = RejectionsCommand.resolveRun(app, syncId, requestedRun, err, RowOutcome.REJECTED);
        if (runId == null) {
            return ExitCodes.CONFIGURATION;
        }
        Set<String> identifiers = new LinkedHashSet<>();
        if (runId.isPresent()) {
            for (RowResult r : app.store().rowResults(runId.get(), RowOutcome.REJECTED)) {
                if (r.identifierValue() != null) {
                    identifiers.add(r.identifierValue());
                }
            }
        }
        if (identifiers.isEmpty()) {
            (asJson ? err : out).println("Sync '" + syncId + "' has no rejected rows to replay"
                    + runId.map(id -> " in run " + id).orElse("") + ".");
            return ExitCodes.OK;
        }
        if (!asJson) {
            out.printf("Replaying %d row(s) Klaviyo rejected in run %d of sync '%s'%n", identifiers.size(), runId.get(),
                    syncId);
        }
        RunSummary s = app.runNow(syncId, RunOptions.replaying(identifiers));
        new RunCommand(app, json).print(s, asJson, out);
        return s.failed() ? ExitCodes.RUN_FAILED : ExitCodes.OK;
    }
}
