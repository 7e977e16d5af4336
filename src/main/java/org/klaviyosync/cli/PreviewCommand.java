package org.klaviyosync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.klaviyosync.app.SyncApplication;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.mapping.ConsentValues;
import org.klaviyosync.mapping.MappedRow;
import org.klaviyosync.mapping.PayloadMapper;
import org.klaviyosync.mapping.PayloadMappers;
import org.klaviyosync.warehouse.ModelRowMapper;

/**
 * {@code preview SYNC_ID [--limit N]}: the model's first rows, the payload each becomes and its
 * verdict. Reads through the same read-only pool and row mapping as a run; sends nothing.
 */
final class PreviewCommand {

    private final SyncApplication app;
    private final ObjectMapper json;

    PreviewCommand(SyncApplication app, ObjectMapper json) {
        this.app = app;
        this.json = json;
    }

    int execute(String syncId, int limit, boolean asJson, PrintStream out, PrintStream err) throws Exception {
        SyncDefinition sync = app.syncs().get(syncId);
        if (sync == null) {
            err.println("error: " + app.unknownSync(syncId));
            return ExitCodes.CONFIGURATION;
        }
        PayloadMapper mapper = PayloadMappers.of(sync, json);
        ModelRowMapper rows = new ModelRowMapper(json);
        if (!asJson) {
            out.printf("Preview of sync '%s' (first %d rows of its model; nothing is sent)%n", syncId, limit);
            out.printf("List mode: %s%n%n", CheckCommand.describeListMode(sync));
        }
        int n = 0;
        int invalid = 0;
        try (Connection c = app.connections().models().getConnection(); Statement s = c.createStatement()) {
            s.setMaxRows(limit);
            s.setFetchSize(Math.min(limit, 1000));
            try (ResultSet rs = s.executeQuery(app.runs().modelSql(sync))) {
                while (rs.next() && n < limit) {
                    n++;
                    Map<String, Object> row = rows.mapRow(rs, n);
                    MappedRow mapped = mapper.map(row);
                    if (!mapped.valid()) {
                        invalid++;
                    }
                    print(n, row, mapped, sync, asJson, out);
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            err.println("error: the model of sync '" + syncId + "' failed in the warehouse: " + e.getMessage());
            return ExitCodes.RUN_FAILED;
        }
        if (!asJson) {
            out.printf("%d row(s) shown: %d valid, %d invalid.%n", n, n - invalid, invalid);
        }
        return ExitCodes.OK;
    }

    private void print(int n, Map<String, Object> row, MappedRow mapped, SyncDefinition sync, boolean asJson,
            PrintStream out) throws Exception {
        ObjectNode columns = json.createObjectNode();
        row.forEach((k, v) -> columns.put(k, v == null ? null : String.valueOf(v)));
        if (asJson) {
            ObjectNode o = json.createObjectNode();
            o.put("row", n);
            o.put("identifier", mapped.identifierValue());
            o.set("columns", columns);
            o.set("payload", mapped.profile());
            ArrayNode lists = o.putArray("lists");
            mapped.lists().forEach(lists::add);
            o.put("listMode", sync.listMode().key());
            if (sync.consent() != null && mapped.valid()) {
                o.set("consent", consent(mapped));
            }
            o.put("valid", mapped.valid());
            if (!mapped.valid()) {
                o.put("field", mapped.problem().field());
                o.put("reason", mapped.describe(sync.syncId()));
            }
            out.println(json.writeValueAsString(o));
            return;
        }
        out.printf("Row %d  %s=%s  %s%n", n, sync.rowKeyColumn(), mapped.identifierValue(),
                mapped.valid() ? "VALID" : "INVALID: " + mapped.describe(sync.syncId()));
        out.println("  columns: " + json.writeValueAsString(columns));
        out.println("  payload: " + (mapped.profile() == null ? "(none)" : json.writeValueAsString(mapped.profile())));
        if (sync.event() == null) {
            out.println("  lists:   " + String.join(", ", mapped.lists()));
        }
        if (sync.consent() != null && mapped.valid()) {
            out.println("  consent: " + json.writeValueAsString(consent(mapped)) + " (through list "
                    + sync.consent().list() + ")");
        }
        out.println();
    }

    /** The row's consent change per channel: subscribe, unsubscribe or unchanged (NULL), and its time. */
    private ObjectNode consent(MappedRow mapped) {
        ObjectNode o = json.createObjectNode();
        ConsentValues c = mapped.consent();
        o.put("email", c == null ? "unchanged" : word(c.emailConsent()));
        o.put("sms", c == null ? "unchanged" : word(c.smsConsent()));
        if (c != null && c.consentedAt() != null) {
            o.put("consentedAt", c.consentedAt());
        }
        return o;
    }

    private static String word(Boolean consent) {
        return consent == null ? "unchanged" : consent ? "subscribe" : "unsubscribe";
    }
}
