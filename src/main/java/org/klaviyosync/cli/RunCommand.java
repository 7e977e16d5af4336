package org.klaviyosync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.klaviyosync.app.SyncApplication;
import org.klaviyosync.run.RunOptions;
import org.klaviyosync.run.RunSummary;

/** {@code run [SYNC_ID...]}: each sync once, now; exit 1 if any run failed. */
final class RunCommand {

    private final SyncApplication app;
    private final ObjectMapper json;

    RunCommand(SyncApplication app, ObjectMapper json) {
        this.app = app;
        this.json = json;
    }

    int execute(List<String> syncIds, boolean asJson, PrintStream out, PrintStream err) throws Exception {
        return execute(syncIds, false, asJson, out, err);
    }

    int execute(List<String> syncIds, boolean full, boolean asJson, PrintStream out, PrintStream err)
            throws Exception {
        return execute(syncIds, options(full, false), asJson, out, err);
    }

    /** {@code --full} and {@code --allow-removals} as run options. */
    static RunOptions options(boolean full, boolean allowRemovals) {
        RunOptions options = full ? RunOptions.FULL : RunOptions.INCREMENTAL;
        return allowRemovals ? options.allowingRemovals() : options;
    }

    int execute(List<String> syncIds, RunOptions options, boolean asJson, PrintStream out, PrintStream err)
            throws Exception {
        List<String> ids = syncIds.isEmpty() ? new ArrayList<>(app.syncs().keySet()) : syncIds;
        for (String id : ids) {
            if (!app.syncs().containsKey(id)) {
                err.println("error: " + app.unknownSync(id));
                return ExitCodes.CONFIGURATION;
            }
        }
        boolean anyFailed = false;
        List<RunSummary> dryRuns = new ArrayList<>();
        for (String id : ids) {
            RunSummary s = app.runNow(id, options);
            anyFailed |= s.failed();
            if (s.dryRun()) {
                dryRuns.add(s);
            }
            print(s, asJson, out);
        }
        if (!dryRuns.isEmpty()) {
            PrintStream notice = asJson ? err : out;
            notice.println();
            notice.println("DRY RUN: nothing was sent to Klaviyo, because KLAVIYO_API_KEY is not set.");
            for (RunSummary s : dryRuns) {
                notice.printf("  %s: %d %s(s) would be sent; the requests are in %s%n", s.sync(), s.wouldSend(),
                        app.syncs().get(s.sync()).kind().noun(),
                        s.dryRunFile() == null ? "(no file: nothing to send)" : s.dryRunFile());
            }
            boolean events = dryRuns.stream().anyMatch(s -> app.syncs().get(s.sync()).event() != null);
            boolean consent = dryRuns.stream().anyMatch(s -> app.syncs().get(s.sync()).consent() != null);
            notice.println("To send for real: export KLAVIYO_API_KEY=pk_... (a private key with profiles:read,"
                    + " profiles:write, lists:read, lists:write" + (events ? ", events:write" : "")
                    + (consent ? ", subscriptions:write" : "") + ") and run again.");
        }
        return anyFailed ? ExitCodes.RUN_FAILED : ExitCodes.OK;
    }

    void print(RunSummary s, boolean asJson, PrintStream out) throws Exception {
        if (asJson) {
            out.println(json.writeValueAsString(s));
        } else {
            out.printf("%s: %s  read=%d %s unchanged=%d invalid=%d rejected=%d deferred=%d%s  (%d ms)%s%n",
                    s.sync(), s.status(), s.read(), s.dryRun() ? "wouldSend=" + s.wouldSend() : "sent=" + s.sent(),
                    s.unchanged(), s.invalid(), s.rejected(), s.deferred(),
                    s.removed() == 0 ? "" : "  removed=" + s.removed(), s.durationMs(),
                    s.error() == null ? "" : "\n  error: " + s.error());
        }
    }
}
