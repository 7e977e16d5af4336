package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Incremental runs against a real PostgreSQL and the stand-in: only new and changed rows are
 * sent, a mapping change or {@code --full} sends everything, duplicate identifiers are invalid,
 * rejected rows wait for a change or a replay, and every run's counts reconcile.
 */
class IncrementalSyncEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 200;

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.freshWarehouseForEachTest().jobPollsUntilComplete(1);

    @BeforeEach
    void setUp() throws Exception {
        e2e.warehouse().execute("create table people (id text, email text, plan text)",
                "insert into people select 'p-' || g, 'person' || g || '@example.com', 'basic' from generate_series(1, "
                        + ROWS + ") g");
        peopleSync("email=email,plan=plan");
    }

    private void peopleSync(String properties) throws Exception {
        e2e.cli().sync("people", "model", "select id, email, plan from people", "identifier", "external_id",
                "identifierColumn", "id", "properties", properties, "lists", "People");
    }

    @Test
    void anUnchangedRunCallsNoWriteEndpointAndOneChangedRowSendsOneProfile() throws Exception {
        JsonNode first = run("run", "--json", "people");
        assertCounts(first, ROWS, ROWS, 0, 0, 0, 0);
        assertEquals(ROWS, e2e.klaviyo().profiles().size());

        StandInTraffic quiet = StandInTraffic.mark(e2e.klaviyo());
        JsonNode second = run("run", "--json", "people");
        assertCounts(second, ROWS, 0, ROWS, 0, 0, 0);
        assertEquals(0, quiet.writeCalls(), "an unchanged run writes nothing to Klaviyo: " + quiet.since());

        e2e.warehouse().execute("update people set plan = 'gold' where id = 'p-7'");
        StandInTraffic one = StandInTraffic.mark(e2e.klaviyo());
        JsonNode third = run("run", "--json", "people");
        assertCounts(third, ROWS, 1, ROWS - 1, 0, 0, 0);
        assertEquals(List.of("p-7"), one.profilesSent());
        assertEquals("gold", e2e.klaviyo().profileByExternalId("p-7").orElseThrow().property("plan"));

        e2e.warehouse().execute("insert into people values ('p-new', 'new@example.com', 'basic')");
        StandInTraffic added = StandInTraffic.mark(e2e.klaviyo());
        assertCounts(run("run", "--json", "people"), ROWS + 1, 1, ROWS, 0, 0, 0);
        assertEquals(List.of("p-new"), added.profilesSent());

        CliHarness.Result history = e2e.cli().run("history", "people", "--json", "--limit", "3");
        assertEquals(0, history.exitCode(), history.err());
        List<JsonNode> runs = lines(history.out());
        assertEquals(3, runs.size());
        assertEquals(third.get("runId").asLong(), runs.get(1).get("runId").asLong());
        for (JsonNode r : runs) {
            assertEquals("completed", r.get("status").asText());
            assertEquals(r.get("read").asLong(), r.get("sent").asLong() + r.get("unchanged").asLong()
                    + r.get("invalid").asLong() + r.get("rejected").asLong() + r.get("deferred").asLong());
        }
        CliHarness.Result text = e2e.cli().run("history", "people");
        assertTrue(text.out().contains("UNCHANGED") && text.out().contains(String.valueOf(third.get("runId").asLong())),
                text.out());
    }

    @Test
    void aMappingChangeResendsEveryRowAndFullForcesIt() throws Exception {
        assertCounts(run("run", "--json", "people"), ROWS, ROWS, 0, 0, 0, 0);

        peopleSync("email=email,plan=plan,tier=plan");
        JsonNode changed = run("run", "--json", "people");
        assertCounts(changed, ROWS, ROWS, 0, 0, 0, 0);
        assertEquals("basic", e2e.klaviyo().profileByExternalId("p-1").orElseThrow().property("tier"));
        assertCounts(run("run", "--json", "people"), ROWS, 0, ROWS, 0, 0, 0);

        // writing out a default (createLists=true) does not change the mapping
        e2e.cli().sync("people", "model", "select id, email, plan from people", "identifier", "external_id",
                "identifierColumn", "id", "properties", "email=email,plan=plan,tier=plan", "lists", "People",
                "createLists", "true");
        assertCounts(run("run", "--json", "people"), ROWS, 0, ROWS, 0, 0, 0);

        StandInTraffic full = StandInTraffic.mark(e2e.klaviyo());
        assertCounts(run("run", "--full", "--json", "people"), ROWS, ROWS, 0, 0, 0, 0);
        assertEquals(ROWS, full.profilesSent().size());
        assertCounts(run("run", "--json", "people"), ROWS, 0, ROWS, 0, 0, 0);
    }

    @Test
    void rowsSharingAnIdentifierAreAllInvalidAndNoneIsSent() throws Exception {
        e2e.warehouse().execute("insert into people values ('p-3', 'other3@example.com', 'gold'),"
                + " (' p-9 ', 'other9@example.com', 'gold'), ('p-3', 'third3@example.com', 'pro')");

        JsonNode r = run("run", "--json", "people");

        assertCounts(r, ROWS + 3, ROWS - 2, 0, 5, 0, 0);
        assertTrue(e2e.klaviyo().profileByExternalId("p-3").isEmpty());
        assertTrue(e2e.klaviyo().profileByExternalId("p-9").isEmpty());
        CliHarness.Result rejections = e2e.cli().run("rejections", "people", "--json");
        assertEquals(0, rejections.exitCode(), rejections.err());
        List<JsonNode> rows = lines(rejections.out());
        assertEquals(5, rows.size());
        Set<String> ids = new TreeSet<>();
        for (JsonNode row : rows) {
            ids.add(row.get("identifier").asText());
            assertEquals("invalid", row.get("outcome").asText());
            assertEquals("id", row.get("field").asText());
            String reason = row.get("reason").asText();
            assertTrue(reason.contains("sync 'people'") && reason.contains("duplicate identifier '"
                    + row.get("identifier").asText() + "'"), reason);
        }
        assertEquals(Set.of("p-3", "p-9"), ids);
    }

    @Test
    void aRejectedRowWaitsForAChangeOrAReplay() throws Exception {
        e2e.warehouse().execute("update people set email = 'refused@import-error.test' where id = 'p-5'");
        JsonNode first = run("run", "--json", "people");
        assertCounts(first, ROWS, ROWS - 1, 0, 0, 1, 0);

        StandInTraffic quiet = StandInTraffic.mark(e2e.klaviyo());
        JsonNode second = run("run", "--json", "people");
        assertCounts(second, ROWS, 0, ROWS - 1, 0, 1, 0);
        assertEquals(0, quiet.writeCalls(), "an unchanged rejected row is not sent again");

        CliHarness.Result rejections = e2e.cli().run("rejections", "people", "--json");
        JsonNode rejected = lines(rejections.out()).get(0);
        assertEquals("p-5", rejected.get("identifier").asText());
        assertEquals("rejected", rejected.get("outcome").asText());
        assertEquals("invalid", rejected.get("code").asText());
        assertTrue(rejected.get("detail").asText().contains("rejected by the import"), rejected.toString());
        assertEquals(second.get("runId").asLong(), rejected.get("runId").asLong());
        CliHarness.Result firstRun = e2e.cli().run("rejections", "people", "--run", first.get("runId").asText());
        assertTrue(firstRun.out().contains("p-5") && firstRun.out().contains("Klaviyo rejected the profile (invalid)"),
                firstRun.out());

        StandInTraffic replay = StandInTraffic.mark(e2e.klaviyo());
        CliHarness.Result replayed = e2e.cli().run("replay", "people", "--json");
        assertEquals(0, replayed.exitCode(), replayed.err());
        assertCounts(JSON.readTree(replayed.out().strip()), ROWS, 0, ROWS - 1, 0, 1, 0);
        assertEquals(List.of("p-5"), replay.profilesSent());

        e2e.warehouse().execute("update people set email = 'fixed5@example.com' where id = 'p-5'");
        StandInTraffic fixed = StandInTraffic.mark(e2e.klaviyo());
        assertCounts(run("run", "--json", "people"), ROWS, 1, ROWS - 1, 0, 0, 0);
        assertEquals(List.of("p-5"), fixed.profilesSent());
        assertEquals("fixed5@example.com", e2e.klaviyo().profileByExternalId("p-5").orElseThrow().email());
        assertCounts(run("run", "--json", "people"), ROWS, 0, ROWS, 0, 0, 0);
    }

    @Test
    void theCommandsExplainWhatIsMissing() {
        CliHarness.Result none = e2e.cli().run("replay", "people");
        assertEquals(0, none.exitCode(), none.err());
        assertTrue(none.out().contains("no rejected rows"), none.out());
        CliHarness.Result wrongRun = e2e.cli().run("rejections", "people", "--run", "999999");
        assertEquals(2, wrongRun.exitCode());
        assertTrue(wrongRun.err().contains("run 999999 is not a run of sync 'people'"), wrongRun.err());
        CliHarness.Result usage = e2e.cli().run("history", "people", "--full");
        assertEquals(2, usage.exitCode());
        assertTrue(usage.err().contains("--full goes with run only"), usage.err());
    }

    private JsonNode run(String... args) throws Exception {
        CliHarness.Result r = e2e.cli().run(args);
        assertEquals(0, r.exitCode(), r.out() + r.err());
        return JSON.readTree(r.out().strip());
    }

    private static void assertCounts(JsonNode run, long read, long sent, long unchanged, long invalid, long rejected,
            long deferred) {
        String all = run.toString();
        assertEquals("completed", run.get("status").asText(), all);
        assertEquals(read, run.get("read").asLong(), all);
        assertEquals(sent, run.get("sent").asLong(), all);
        assertEquals(unchanged, run.get("unchanged").asLong(), all);
        assertEquals(invalid, run.get("invalid").asLong(), all);
        assertEquals(rejected, run.get("rejected").asLong(), all);
        assertEquals(deferred, run.get("deferred").asLong(), all);
    }

    private static List<JsonNode> lines(String out) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            if (!line.isBlank()) {
                nodes.add(JSON.readTree(line));
            }
        }
        return nodes;
    }
}
