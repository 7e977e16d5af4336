package org.klaviyosync.cli;

import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.klaviyosync.app.SyncApplication;
import org.klaviyosync.config.ListMode;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.klaviyo.KeyCheck;
import org.klaviyosync.settings.KlaviyoSettings;
import org.klaviyosync.warehouse.ConnectionFailure;
import org.klaviyosync.warehouse.ModelColumns;
import org.quartz.CronExpression;

/**
 * {@code check}: the recap of every sync (like Census's "Confirm Details"), then the connections:
 * the warehouse runs each model's column probe, Klaviyo answers cheap authenticated calls that
 * show a wrong key or a missing scope.
 */
final class CheckCommand {

    private final SyncApplication app;

    CheckCommand(SyncApplication app) {
        this.app = app;
    }

    int execute(PrintStream out) throws Exception {
        boolean ok = true;
        out.println("klaviyo-sync: " + app.syncs().size() + " sync(s)");
        out.println();
        ModelColumns columns = new ModelColumns(app.connections().models());
        for (SyncDefinition s : app.syncs().values()) {
            out.println("Sync '" + s.syncId() + "'  (" + s.sourceFile() + ")");
            out.println("  Source:       " + app.connections().describeWarehouse()
                    + (app.embeddedWarehouse() ? " (embedded demo warehouse)" : ""));
            out.println("  Model:        " + describeModel(s));
            if (s.event() != null) {
                describeEvents(s, out);
            } else {
                describeProfiles(s, out);
            }
            out.println("  Schedule:     " + s.schedule().map(c -> c + " (next: " + next(c) + ")")
                    .orElse("on demand only"));
            try {
                List<String> cols = columns.of(s.modelSql());
                out.println("  Warehouse:    OK, the model returns " + cols.size() + " columns: " + String.join(", ", cols));
            } catch (SQLException e) {
                ok = false;
                out.println("  Warehouse:    FAILED: " + (ConnectionFailure.is(e)
                        ? "could not connect: " + ConnectionFailure.reason(e) : e.getMessage().replace('\n', ' ')));
            }
            out.println();
        }
        List<String> unknown = app.settings().unknown();
        if (unknown.isEmpty()) {
            out.println("Settings:       OK");
        } else {
            // a warning, not a failure: a setting of another version or a misspelling, ignored either way
            out.println("Settings:       " + unknown.size() + " given that match no setting (ignored):");
            unknown.forEach(n -> out.println("  - " + n));
        }
        return finish(ok, out);
    }

    private static void describeProfiles(SyncDefinition s, PrintStream out) {
        out.println("  Destination:  Klaviyo Profile (" + s.kind().klaviyoRequest() + ")");
        out.println("  Behaviour:    Update or Create");
        out.println("  Match on:     " + s.identifier().attribute() + " <- column " + s.identifierColumn());
        if (s.properties().syncAll()) {
            out.println("  Properties:   all columns (standard attributes by name, the rest as custom properties)");
        } else {
            out.println("  Properties:   " + (s.properties().fieldToColumn().isEmpty() ? "(identifier only)" : ""));
            s.properties().fieldToColumn().forEach((f, c) -> out.println("                  " + f + " <- " + c));
        }
        out.println("  Lists:        " + describeLists(s) + (s.createLists() ? "; missing list names are created"
                : "; missing list names are rejected (createLists=false)"));
        out.println("  List mode:    " + describeListMode(s));
        if (s.consent() != null) {
            List<String> channels = new java.util.ArrayList<>();
            if (s.consent().emailColumn() != null) {
                channels.add("email <- column " + s.consent().emailColumn());
            }
            if (s.consent().smsColumn() != null) {
                channels.add("SMS <- column " + s.consent().smsColumn());
            }
            out.println("  Consent:      " + String.join(", ", channels) + " (true subscribes, false unsubscribes,"
                    + " NULL leaves it alone), through list " + s.consent().list() + "; "
                    + (s.consent().consentedAtColumn() == null ? "consent given now (double opt-in lists send a"
                            + " confirmation)" : "historical, consented at column " + s.consent().consentedAtColumn()));
        }
    }

    private static void describeEvents(SyncDefinition s, PrintStream out) {
        out.println("  Destination:  Klaviyo Event (" + s.kind().klaviyoRequest() + ")");
        out.println("  Behaviour:    Create; an event id sent once is never sent again");
        out.println("  Metric:       " + (s.event().metric() != null ? s.event().metric()
                : "from column " + s.event().metricColumn()));
        out.println("  Profile:      " + s.identifier().attribute() + " <- column " + s.identifierColumn());
        out.println("  Event id:     column " + s.event().eventIdColumn());
        out.println("  Time:         " + (s.event().timeColumn() == null ? "when Klaviyo receives the event"
                : "column " + s.event().timeColumn()));
        out.println("  Value:        " + (s.event().valueColumn() == null ? "none" : "column " + s.event().valueColumn()));
        out.println("  Cursor:       " + (s.event().cursorColumn() == null ? "none: every run reads the whole model"
                : "column " + s.event().cursorColumn() + ": each run reads only the rows past the last one completed"));
        if (s.properties().syncAll()) {
            out.println("  Properties:   every other column");
        } else {
            out.println("  Properties:   " + (s.properties().fieldToColumn().isEmpty() ? "(none)" : ""));
            s.properties().fieldToColumn().forEach((f, c) -> out.println("                  " + f + " <- " + c));
        }
    }

    private int finish(boolean ok, PrintStream out) {
        out.println("Bookkeeping:    klaviyo_sync schema, OK");
        if (app.klaviyo().isEmpty()) {
            out.println("Klaviyo:        KLAVIYO_API_KEY is not set: runs are dry runs and send nothing."
                    + " Set it to a private key (pk_...) to send for real.");
        } else {
            Set<String> scopes = SyncDefinition.scopesOf(app.syncs().values());
            List<String> problems = new KeyCheck(app.klaviyo().get()).problems(scopes);
            if (problems.isEmpty()) {
                List<String> checked = new ArrayList<>(List.of("profiles:read", "profiles:write", "lists:read",
                        "lists:write"));
                Stream.of("events:write", "subscriptions:write").filter(scopes::contains).forEach(checked::add);
                out.println("Klaviyo:        OK, " + app.settings().get(KlaviyoSettings.BASE_URL)
                        + " accepted the key with " + String.join(", ", checked.subList(0, checked.size() - 1))
                        + " and " + checked.get(checked.size() - 1));
            } else {
                ok = false;
                out.println("Klaviyo:        FAILED");
                problems.forEach(p -> out.println("  - " + p));
            }
        }
        out.println();
        out.println(ok ? "All checks passed." : "Some checks failed; see above.");
        return ok ? ExitCodes.OK : ExitCodes.RUN_FAILED;
    }

    private static String describeModel(SyncDefinition s) {
        if (s.model().startsWith("file:")) {
            return s.model();
        }
        String oneLine = s.model().replaceAll("\\s+", " ").trim();
        return oneLine.length() > 100 ? oneLine.substring(0, 97) + "..." : oneLine;
    }

    /** How a sync treats list membership, for check and preview. */
    static String describeListMode(SyncDefinition s) {
        return s.listMode() == ListMode.MIRROR
                ? "mirror: memberships it added are removed when a row no longer names the list or leaves the"
                        + " model (at most " + s.maxRemovalPercent() + "% of a list's managed memberships a run)"
                : "add: profiles are only added to lists, never removed";
    }

    private static String describeLists(SyncDefinition s) {
        StringBuilder sb = new StringBuilder();
        if (!s.lists().isEmpty()) {
            sb.append("every row joins ").append(String.join(", ", s.lists()));
        }
        if (s.listColumn() != null) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append("plus the lists named in column ").append(s.listColumn());
        }
        return sb.append(" (profiles are only added, never removed)").toString();
    }

    private static String next(String cron) {
        try {
            Date next = new CronExpression(cron).getNextValidTimeAfter(new Date());
            return next == null ? "never" : next.toInstant().toString();
        } catch (Exception e) {
            return "?";
        }
    }
}
