package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code listMode=mirror}: a list follows the model. Memberships the sync added are removed when
 * their row leaves the model or stops naming the list; memberships it did not add stay; a run that
 * did not read the whole model removes nothing; the removal guard stops a run that would empty a
 * list until {@code run --allow-removals}.
 */
class AudienceMirrorEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "select id, tier, lists from audience order by id";

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.freshWarehouse().jobPollsUntilComplete(1);

    @BeforeEach
    void tenVips() throws Exception {
        StringBuilder rows = new StringBuilder();
        for (int i = 1; i <= 10; i++) {
            rows.append(i == 1 ? "" : ",").append("('r").append(i < 10 ? "0" : "").append(i)
                    .append("', 'gold', '[\"VIP\"]')");
        }
        e2e.warehouse().execute("drop table if exists audience",
                "create table audience (id text primary key, tier text, lists text)",
                "insert into audience values " + rows);
        mirrorSync(MODEL, "mirror");
    }

    private static void mirrorSync(String model, String listMode) throws Exception {
        e2e.cli().sync("vips", "model", model, "identifier", "external_id", "identifierColumn", "id",
                "properties", "tier=tier", "listColumn", "lists", "listMode", listMode);
    }

    private static JsonNode run(int exitCode, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--json"));
        args.addAll(List.of(flags));
        args.add("vips");
        CliHarness.Result r = e2e.cli().run(args.toArray(new String[0]));
        assertEquals(exitCode, r.exitCode(), r.out() + r.err());
        JsonNode summary = JSON.readTree(r.out().strip());
        long read = summary.get("read").asLong();
        long ended = 0;
        for (String outcome : List.of("sent", "unchanged", "invalid", "rejected", "deferred", "wouldSend")) {
            ended += summary.get(outcome).asLong();
        }
        assertEquals(read, ended, "rows reconcile apart from removals: " + summary);
        return summary;
    }

    private static String list(String name) {
        List<String> ids = e2e.klaviyo().listIdsNamed(name);
        assertEquals(1, ids.size(), name);
        return ids.get(0);
    }

    private static Set<String> members(String listName) {
        Set<String> externalIds = new TreeSet<>();
        for (String profileId : e2e.klaviyo().listMembers(list(listName))) {
            externalIds.add(e2e.klaviyo().profileById(profileId).orElseThrow().externalId());
        }
        return externalIds;
    }

    private static Set<String> ids(int from, int to) {
        Set<String> out = new TreeSet<>();
        for (int i = from; i <= to; i++) {
            out.add("r" + (i < 10 ? "0" : "") + i);
        }
        return out;
    }

    private static long managed() throws Exception {
        try (Connection c = e2e.warehouse().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from klaviyo_sync.list_memberships"
                        + " where sync_id = 'vips'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long fingerprints() throws Exception {
        try (Connection c = e2e.warehouse().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from klaviyo_sync.fingerprints where sync_id = 'vips'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theStateOfRowsThatLeftGoesOnceTheirRemovalsAreAcknowledgedAndAReturnIsSentAsNew() throws Exception {
        run(0);
        assertEquals(10, fingerprints());
        e2e.warehouse().execute("delete from audience where id in ('r09', 'r10')");
        e2e.klaviyo().faults().onlyForPathsStartingWith("/api/lists/" + list("VIP") + "/relationships")
                .serverErrors(1.0);

        JsonNode refused = run(1);

        assertEquals("failed", refused.get("status").asText(), refused.toString());
        assertEquals(10, fingerprints(), "removals still owed: the state stays");
        assertEquals(10, managed());

        e2e.klaviyo().faults().clear();
        JsonNode retried = run(0);
        assertEquals(2, retried.get("removed").asInt(), retried.toString());
        assertEquals(8, fingerprints(), "nothing more is owed for r09 and r10: their state went");
        assertEquals(8, managed());

        e2e.warehouse().execute("insert into audience values ('r10', 'gold', '[\"VIP\"]')");
        JsonNode back = run(0);
        assertEquals(1, back.get("sent").asInt(), "a return is new: " + back);
        assertEquals(8, back.get("unchanged").asInt(), back.toString());
        assertEquals(ids(1, 8).size() + 1, members("VIP").size());
        assertTrue(members("VIP").contains("r10"));
        assertEquals(9, fingerprints());
        assertEquals(9, managed());
    }

    @Test
    void rowsThatLeaveTheModelAreRemovedFromTheListAndMembershipsTheSyncDidNotAddStay() throws Exception {
        JsonNode first = run(0);
        assertEquals(10, first.get("sent").asInt(), first.toString());
        assertEquals(0, first.get("removed").asInt());
        assertEquals(ids(1, 10), members("VIP"));
        assertEquals(10, managed());
        // another sync (add mode) puts o1 in VIP; a person adds r10 to Newsletter in Klaviyo
        e2e.warehouse().execute("drop table if exists others", "create table others (id text)",
                "insert into others values ('o1')");
        e2e.cli().sync("others", "model", "select id, 'silver' as tier from others", "identifier", "external_id",
                "identifierColumn", "id", "properties", "tier=tier", "lists", list("VIP"));
        assertEquals(0, e2e.cli().run("run", "others").exitCode());
        String newsletter = e2e.klaviyo().createList("Newsletter");
        String r10 = e2e.klaviyo().profileByExternalId("r10").orElseThrow().id();
        e2e.klaviyo().addToList(newsletter, r10);

        e2e.warehouse().execute("delete from audience where id in ('r09', 'r10')");
        JsonNode second = run(0);

        assertEquals("completed", second.get("status").asText(), second.toString());
        assertEquals(8, second.get("read").asInt());
        assertEquals(8, second.get("unchanged").asInt());
        assertEquals(2, second.get("removed").asInt(), "a membership each");
        Set<String> expected = ids(1, 8);
        expected.add("o1");
        assertEquals(expected, members("VIP"), "o1 was added by another sync: it stays");
        assertEquals(Set.of(r10), e2e.klaviyo().listMembers(newsletter), "only the sync's membership goes");
        assertTrue(e2e.klaviyo().profileByExternalId("r09").isPresent(), "the profile itself is never deleted");
        assertEquals(8, managed());
        assertEquals(1, e2e.klaviyo().count("DELETE", "/api/lists/"), "one call for both");
        assertEquals(1, e2e.klaviyo().count("GET", "/api/profiles"), "one look-up for both");

        CliHarness.Result history = e2e.cli().run("history", "--json", "vips");
        assertTrue(history.out().lines().findFirst().orElseThrow().contains("\"removed\":2"), history.out());
        CliHarness.Result table = e2e.cli().run("history", "vips");
        assertTrue(table.out().contains("REMOVED"), table.out());
        JsonNode third = run(0);
        assertEquals(0, third.get("removed").asInt(), "nothing is removed twice");
    }

    @Test
    void checkAndPreviewShowTheListMode() throws Exception {
        CliHarness.Result check = e2e.cli().run("check");
        assertTrue(check.out().contains("List mode:    mirror: memberships it added are removed")
                && check.out().contains("at most 20% of a list's managed memberships a run"), check.out());
        CliHarness.Result preview = e2e.cli().run("preview", "vips", "--limit", "1");
        assertEquals(0, preview.exitCode(), preview.err());
        assertTrue(preview.out().contains("List mode: mirror"), preview.out());
        CliHarness.Result previewJson = e2e.cli().run("preview", "vips", "--limit", "1", "--json");
        assertEquals("mirror", JSON.readTree(previewJson.out().lines().findFirst().orElseThrow()).get("listMode")
                .asText(), previewJson.out());

        mirrorSync(MODEL, "add");
        assertTrue(e2e.cli().run("check").out().contains("List mode:    add: profiles are only added to lists"));
    }

    @Test
    void aRowThatStopsNamingAListLeavesThatListOnly() throws Exception {
        e2e.warehouse().execute("update audience set lists = '[\"VIP\",\"Gold\"]' where id = 'r01'");
        run(0);
        assertEquals(Set.of("r01"), members("Gold"));

        e2e.warehouse().execute("update audience set lists = '[\"Gold\"]' where id = 'r01'");
        JsonNode second = run(0);

        assertEquals(1, second.get("sent").asInt(), second.toString());
        assertEquals(1, second.get("removed").asInt(), second.toString());
        assertEquals(ids(2, 10), members("VIP"));
        assertEquals(Set.of("r01"), members("Gold"));
        assertEquals(10, managed());
    }

    @Test
    void aRowThatIsInvalidThisRunKeepsItsMemberships() throws Exception {
        run(0);
        e2e.warehouse().execute("update audience set lists = 'VIP, but not JSON' where id = 'r01'");

        JsonNode second = run(0);

        assertEquals(1, second.get("invalid").asInt(), second.toString());
        assertEquals(0, second.get("removed").asInt(), second.toString());
        assertEquals(ids(1, 10), members("VIP"));
        assertEquals(10, managed());
    }

    @Test
    void theGuardStopsARunThatWouldEmptyAListUntilRemovalsAreAllowed() throws Exception {
        run(0);
        e2e.warehouse().execute("delete from audience where id > 'r05'");

        JsonNode guarded = run(1);

        assertEquals("failed", guarded.get("status").asText());
        String error = guarded.get("error").asText();
        assertTrue(error.contains("list " + list("VIP") + ": 5 of the 10 memberships") && error.contains("50%")
                && error.contains("maxRemovalPercent=20") && error.contains("run --allow-removals vips"), error);
        assertEquals(0, guarded.get("removed").asInt());
        assertEquals(ids(1, 10), members("VIP"), "nothing removed");
        assertEquals(0, e2e.klaviyo().count("DELETE", "/api/lists/"));

        JsonNode allowed = run(0, "--allow-removals");
        assertEquals(5, allowed.get("removed").asInt(), allowed.toString());
        assertEquals(ids(1, 5), members("VIP"));
    }

    @Test
    void aModelThatFailsMidReadRemovesNothing() throws Exception {
        run(0);
        e2e.warehouse().execute("delete from audience where id in ('r09', 'r10')");
        mirrorSync("select id, tier, lists from audience where 1 / (case when id = 'r08' then 0 else 1 end) = 1"
                + " order by id", "mirror");

        JsonNode failed = run(1);

        assertEquals("failed", failed.get("status").asText(), failed.toString());
        assertTrue(failed.get("error").asText().contains("division by zero"), failed.toString());
        assertEquals(0, failed.get("removed").asInt());
        assertEquals(ids(1, 10), members("VIP"));
        assertEquals(10, managed());

        mirrorSync(MODEL, "mirror");
        assertEquals(2, run(0).get("removed").asInt(), "the next whole read removes them");
        assertEquals(ids(1, 8), members("VIP"));
    }

    @Test
    void switchingBackToAddStopsRemovals() throws Exception {
        run(0);
        e2e.warehouse().execute("delete from audience where id in ('r09', 'r10')");
        mirrorSync(MODEL, "add");

        JsonNode added = run(0);

        assertEquals(0, added.get("removed").asInt(), added.toString());
        assertEquals(ids(1, 10), members("VIP"));
        assertEquals(0, e2e.klaviyo().count("DELETE", "/api/lists/"));
    }

    @Test
    void aDryRunWritesTheRemovalsItWouldMake() throws Exception {
        run(0);
        e2e.warehouse().execute("delete from audience where id in ('r09', 'r10')");
        e2e.cli().env("KLAVIYO_API_KEY", null);

        JsonNode dry = run(0);

        assertEquals("dry_run", dry.get("status").asText(), dry.toString());
        List<JsonNode> removals = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(dry.get("dryRunFile").asText()))) {
            JsonNode l = JSON.readTree(line);
            if (l.get("endpoint").asText().startsWith("DELETE")) {
                removals.add(l);
            }
        }
        assertEquals(1, removals.size(), removals.toString());
        assertEquals("DELETE /api/lists/" + list("VIP") + "/relationships/profiles",
                removals.get(0).get("endpoint").asText());
        assertEquals("[\"r09\",\"r10\"]", removals.get(0).get("remove").toString());
        assertEquals(ids(1, 10), members("VIP"));
        assertEquals(10, managed());
    }

    @Test
    void aDryRunWritesEveryRemovalARealRunWouldSendIncludingRowsThatChangedLists() throws Exception {
        e2e.warehouse().execute("update audience set lists = '[\"VIP\",\"Gold\"]' where id in ('r01', 'r02')");
        run(0);
        e2e.warehouse().execute("update audience set lists = '[\"Gold\"]' where id = 'r01'",
                "update audience set lists = '[\"Silver\"]' where id = 'r02'",
                "update audience set lists = '[\"VIP\",\"Silver\"]' where id = 'r03'",
                "delete from audience where id = 'r10'");
        e2e.cli().env("KLAVIYO_API_KEY", null);

        // 3 of VIP's 10 and 1 of Gold's 2 memberships go: past the guard
        JsonNode dry = run(0, "--allow-removals");

        assertEquals("dry_run", dry.get("status").asText(), dry.toString());
        List<String> removals = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(dry.get("dryRunFile").asText()))) {
            JsonNode l = JSON.readTree(line);
            if (l.get("endpoint").asText().startsWith("DELETE")) {
                removals.add(l.get("endpoint").asText() + " " + l.get("identifier").asText() + " " + l.get("remove"));
            }
        }
        assertEquals(List.of("DELETE /api/lists/" + list("Gold") + "/relationships/profiles external_id [\"r02\"]",
                "DELETE /api/lists/" + list("VIP") + "/relationships/profiles external_id [\"r01\",\"r02\",\"r10\"]")
                .stream().sorted().toList(), // list ids are random: compare in one order
                removals.stream().sorted().toList(), "what the real run below removes");
        assertEquals(12, managed(), "a dry run removes nothing");

        e2e.cli().env("KLAVIYO_API_KEY", e2e.klaviyo().apiKey());
        JsonNode real = run(0, "--allow-removals");
        assertEquals(4, real.get("removed").asInt(), real.toString());
        assertEquals(ids(3, 9), members("VIP"));
        assertEquals(Set.of("r01"), members("Gold"));
        assertEquals(2, e2e.klaviyo().count("DELETE", "/api/lists/"), "one call per list; the dry run sent none");
        assertEquals(10, managed());
    }

    @Test
    void aRemovalKlaviyoDidNotAcknowledgeIsMadeByTheNextRun() throws Exception {
        run(0);
        e2e.warehouse().execute("delete from audience where id in ('r09', 'r10')");
        e2e.klaviyo().faults().onlyForPathsStartingWith("/api/lists/" + list("VIP") + "/relationships")
                .serverErrors(1.0);

        JsonNode refused = run(1);

        assertEquals(0, refused.get("removed").asInt(), refused.toString());
        assertTrue(refused.get("error").asText().contains("removing memberships from list " + list("VIP")),
                refused.toString());
        assertEquals(10, managed(), "still owed");

        e2e.klaviyo().faults().clear();
        JsonNode retried = run(0);
        assertEquals(2, retried.get("removed").asInt(), retried.toString());
        assertEquals(ids(1, 8), members("VIP"));
        assertEquals(8, managed());
    }

    @Test
    void aProfileKlaviyoNoLongerHasIsForgotten() throws Exception {
        run(0);
        e2e.klaviyo().deleteProfile(e2e.klaviyo().profileByExternalId("r10").orElseThrow().id());
        e2e.warehouse().execute("delete from audience where id in ('r09', 'r10')");

        JsonNode second = run(0);

        assertEquals(1, second.get("removed").asInt(), "r10 is gone, only r09 was removed: " + second);
        assertEquals(ids(1, 8), members("VIP"));
        assertEquals(8, managed());
    }
}
