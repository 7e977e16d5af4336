package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.standin.StandInProfile;

/**
 * Rows built to break the sync, through the real pipeline to the stand-in: each ends sent or
 * invalid with its reason, the rest of the run goes on, and the counts reconcile.
 */
class HostileInputEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LONG_NAME = "L\u00e9" + "x".repeat(996) + "\u2603!";
    private static final List<String> ODD_NAMES = List.of("Quote \"double\" and 'single'", "Back\\slash \\\\ two",
            "Comma, separated, name", "Unicode \u65e5\u672c \u00fc\u00df \ud83d\ude80", LONG_NAME);

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.freshWarehouse().jobPollsUntilComplete(1);

    @BeforeAll
    static void start() throws Exception {
        e2e.warehouse().execute("create table hostile (id text, email text, note text, lists text)");
        try (Connection c = e2e.warehouse().dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("insert into hostile values (?, ?, ?, ?)")) {
            int i = 0;
            for (String name : ODD_NAMES) {
                add(ps, "odd-" + i++, "odd" + i + "@example.com", "fine", JSON.writeValueAsString(List.of(name)));
            }
            add(ps, "all-odd", "all@example.com", "fine", JSON.writeValueAsString(ODD_NAMES));
            add(ps, "huge", "huge@example.com", "y".repeat(1_000_000), "[\"Plain\"]");
            add(ps, "bad-json", "bj@example.com", "fine", "[\"Plain\",");
            add(ps, "not-array", "na@example.com", "fine", "{\"list\":\"Plain\"}");
            add(ps, "", "empty@example.com", "fine", "[\"Plain\"]");
            add(ps, " \t ", "blank@example.com", "fine", "[\"Plain\"]");
            add(ps, null, "null@example.com", "fine", "[\"Plain\"]");
            add(ps, "bad-email", "not an email", "fine", "[\"Plain\"]");
            add(ps, "  padded-email ", "  padded@example.com  ", "fine", "[\"Plain\"]");
            add(ps, "nul-char", "nul@example.com", "a\u0001b\u001fc \u2028 \ud83d\ude80", "[\"Plain\"]");
            ps.executeBatch();
        }
    }

    private static void add(PreparedStatement ps, String id, String email, String note, String lists) throws Exception {
        ps.setString(1, id);
        ps.setString(2, email);
        ps.setString(3, note);
        ps.setString(4, lists);
        ps.addBatch();
    }

    @Test
    void everyHostileRowIsSentCorrectlyOrInvalidWithItsReasonAndTheRunGoesOn() throws Exception {
        e2e.cli().sync("hostile", "model", "select * from hostile", "identifier", "external_id",
                "identifierColumn", "id", "properties", "email=email,note=note", "listColumn", "lists",
                "lists", "Hostile");

        CliHarness.Result r = e2e.cli().run("run", "--json", "hostile");

        assertEquals(0, r.exitCode(), r.err());
        JsonNode run = JSON.readTree(r.out().strip());
        int read = run.get("read").asInt();
        assertEquals(15, read);
        assertEquals(read, run.get("sent").asInt() + run.get("invalid").asInt() + run.get("rejected").asInt()
                + run.get("deferred").asInt() + run.get("unchanged").asInt(), "counts reconcile: " + run);
        assertEquals(8, run.get("sent").asInt(), run.toString());
        assertEquals(7, run.get("invalid").asInt(), run.toString());

        Map<String, String> listNames = e2e.klaviyo().listsByIdToName();
        for (int i = 0; i < ODD_NAMES.size(); i++) {
            StandInProfile p = e2e.klaviyo().profileByExternalId("odd-" + i).orElseThrow();
            Set<String> names = p.listIds().stream().map(listNames::get).collect(Collectors.toSet());
            assertEquals(Set.of("Hostile", ODD_NAMES.get(i)), names, "the list name arrives exactly as written");
            assertEquals(1, e2e.klaviyo().listIdsNamed(ODD_NAMES.get(i)).size(), "each odd name is one list");
        }
        StandInProfile all = e2e.klaviyo().profileByExternalId("all-odd").orElseThrow();
        assertEquals(ODD_NAMES.size() + 1, all.listIds().size());
        assertEquals("padded@example.com", e2e.klaviyo().profileByExternalId("padded-email").orElseThrow().email(),
                "identifiers and emails are trimmed");
        assertEquals("a\u0001b\u001fc \u2028 \ud83d\ude80",
                e2e.klaviyo().profileByExternalId("nul-char").orElseThrow().property("note"));

        Map<String, String[]> invalid = invalidRows(run);
        assertReason(invalid, "huge", "profile", "100 KB");
        assertReason(invalid, "bad-json", "lists", "invalid JSON");
        assertReason(invalid, "not-array", "lists", "not an array");
        assertReason(invalid, "bad-email", "email", "not a valid email");
        long withoutIdentifier = invalid.entrySet().stream()
                .filter(e -> e.getKey().startsWith("(none)") && e.getValue()[1].contains("identifier column 'id'"))
                .count();
        assertEquals(3, withoutIdentifier, "empty, blank and null identifiers: " + invalid.keySet());
    }

    @Test
    void fiveHundredColumnRowsInSyncAllMode() throws Exception {
        StringBuilder model = new StringBuilder("select g::text as id, '[\"Wide\"]'::jsonb as lists");
        for (int c = 1; c <= 498; c++) {
            model.append(", g * ").append(c).append(" as c").append(c);
        }
        model.append(" from generate_series(1, 20) g");
        e2e.cli().sync("wide", "model", model.toString(), "identifier", "external_id", "identifierColumn", "id",
                "properties", "*", "listColumn", "lists");

        CliHarness.Result r = e2e.cli().run("run", "--json", "wide");

        assertEquals(0, r.exitCode(), r.err());
        JsonNode run = JSON.readTree(r.out().strip());
        assertEquals(20, run.get("read").asInt());
        assertEquals(20, run.get("sent").asInt(), run.toString());
        StandInProfile p = e2e.klaviyo().profileByExternalId("7").orElseThrow();
        assertEquals(498, p.properties().size());
        assertEquals(7 * 321, ((Number) p.property("c321")).intValue());
    }

    private static void assertReason(Map<String, String[]> invalid, String key, String field, String text) {
        String[] result = invalid.get(key);
        assertTrue(result != null, key + " is invalid: " + invalid.keySet());
        assertEquals(field, result[0], key);
        assertTrue(result[1].contains(text) && result[1].contains("sync 'hostile'"), result[1]);
    }

    private static Map<String, String[]> invalidRows(JsonNode run) throws Exception {
        Map<String, String[]> out = new HashMap<>();
        int none = 0;
        try (Connection c = e2e.warehouse().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select identifier_value, field, reason from klaviyo_sync.row_results"
                        + " where run_id = " + run.get("runId").asLong() + " and outcome = 'invalid'")) {
            while (rs.next()) {
                String key = rs.getString(1) == null ? "(none)" + none++ : rs.getString(1);
                out.put(key, new String[] {rs.getString(2), rs.getString(3)});
            }
        }
        return out;
    }
}
