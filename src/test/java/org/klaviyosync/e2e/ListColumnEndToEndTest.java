package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.standin.StandInProfile;

/**
 * A sync whose lists come only from its list column: rows without lists (NULL, {@code []},
 * empty text) are upserted without list membership, and a reference shaped like a list id that
 * names no list is rejected instead of becoming a new list.
 */
class ListColumnEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.freshWarehouse().jobPollsUntilComplete(1);

    @BeforeEach
    void setUp() throws Exception {
        e2e.warehouse().execute("drop table if exists members",
                "create table members (id text primary key, first_name text, lists text)",
                "insert into members values"
                        + " ('n1', 'Nia', null),"
                        + " ('n2', 'Ned', '[]'),"
                        + " ('n3', 'Noa', ''),"
                        + " ('v1', 'Val', '[\"VIP\"]')");
        e2e.cli().sync("members", "model", "select id, first_name, lists from members order by id",
                "identifier", "external_id", "identifierColumn", "id", "properties", "first_name=first_name",
                "listColumn", "lists");
    }

    private JsonNode run() throws Exception {
        CliHarness.Result r = e2e.cli().run("run", "--json", "members");
        assertEquals(0, r.exitCode(), r.err());
        return JSON.readTree(r.out().strip());
    }

    @Test
    void rowsWithoutListsAreUpsertedInNoListAndThenUnchanged() throws Exception {
        JsonNode first = run();

        assertEquals(4, first.get("read").asInt());
        assertEquals(4, first.get("sent").asInt(), first.toString());
        assertEquals(0, first.get("deferred").asInt());
        for (String id : List.of("n1", "n2", "n3")) {
            StandInProfile p = e2e.klaviyo().profileByExternalId(id)
                    .orElseThrow(() -> new AssertionError(id + " not sent"));
            assertEquals(Set.of(), p.listIds(), id + " joins no list");
        }
        String vip = e2e.klaviyo().listIdsNamed("VIP").get(0);
        assertEquals(Set.of(vip), e2e.klaviyo().profileByExternalId("v1").orElseThrow().listIds());
        assertEquals(2, e2e.klaviyo().count("POST", "/api/profile-bulk-import-jobs"),
                "one job without a list, one for VIP");

        JsonNode second = run();
        assertEquals(4, second.get("unchanged").asInt(), second.toString());
        assertEquals(0, second.get("sent").asInt() + second.get("deferred").asInt());
    }

    @Test
    void aDryRunWritesTheJobWithoutAListAndTheJobWithItsList() throws Exception {
        e2e.cli().env("KLAVIYO_API_KEY", null);
        JsonNode run = run();

        assertEquals("dry_run", run.get("status").asText());
        List<JsonNode> lines = Files.readAllLines(Path.of(run.get("dryRunFile").asText())).stream()
                .map(ListColumnEndToEndTest::tree).toList();
        assertEquals(2, lines.size(), lines.toString());
        JsonNode noList = lines.stream().filter(l -> l.get("list").isNull()).findFirst().orElseThrow();
        assertEquals(3, noList.get("profiles").asInt());
        assertTrue(noList.at("/request/data/relationships").isMissingNode(), noList.toString());
        JsonNode vip = lines.stream().filter(l -> !l.get("list").isNull()).findFirst().orElseThrow();
        assertEquals("VIP", vip.at("/request/data/relationships/lists/data/0/id").asText(), vip.toString());
    }

    @Test
    void aDeletedListIdIsRejectedAndNoListIsCreatedForIt() throws Exception {
        String kept = e2e.klaviyo().createList("Kept");
        String deleted = e2e.klaviyo().createList("Gone");
        e2e.klaviyo().deleteList(deleted);
        String gone = deleted;
        e2e.warehouse().execute("update members set lists = '[\"" + kept + "\"]' where id = 'n1'",
                "update members set lists = '[\"" + gone + "\"]' where id = 'n2'",
                "update members set lists = '[\"Summer\"]' where id = 'n3'");

        JsonNode run = run();

        assertEquals(3, run.get("sent").asInt(), run.toString());
        assertEquals(1, run.get("rejected").asInt());
        String reason = results(run, "rejected").get("n2");
        assertTrue(reason != null && reason.contains("no list with id or name '" + gone + "'"), String.valueOf(reason));
        assertTrue(e2e.klaviyo().listIdsNamed(gone).isEmpty(), "no list named after the id");
        assertTrue(e2e.klaviyo().profileByExternalId("n2").isEmpty());
        assertEquals(Set.of(kept), e2e.klaviyo().profileByExternalId("n1").orElseThrow().listIds());
        assertEquals(1, e2e.klaviyo().listIdsNamed("Summer").size(), "a plain name is still created");
        assertEquals(Set.of("Kept", "Summer", "VIP"), Set.copyOf(e2e.klaviyo().listsByIdToName().values()));
    }

    private static JsonNode tree(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> results(JsonNode run, String outcome) throws Exception {
        Map<String, String> out = new HashMap<>();
        try (Connection c = e2e.warehouse().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select identifier_value, reason from klaviyo_sync.row_results"
                        + " where run_id = " + run.get("runId").asLong() + " and outcome = '" + outcome + "'")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }
}
