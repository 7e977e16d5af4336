package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * {@code listMode=add}: the stored state of an identifier that left the model goes once it left
 * more than {@code STATE_RETENTION_DAYS} ago; younger state stays, a return within the retention
 * keeps it, and only a run that read the whole model says who left. The runs compare in the
 * warehouse (the bookkeeping is in the PostgreSQL warehouse), and a run after state went is still
 * told unchanged there.
 */
class DepartedStateEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "select id, tier from members";

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.freshWarehouseForEachTest().jobPollsUntilComplete(1);

    @BeforeEach
    void tenMembers() throws Exception {
        e2e.warehouse().execute("create table members (id text primary key, tier text)",
                "insert into members select 'm' || lpad(g::text, 2, '0'), 'gold' from generate_series(1, 10) g");
        sync(MODEL);
    }

    private static void sync(String model) throws Exception {
        e2e.cli().sync("members", "model", model, "identifier", "external_id", "identifierColumn", "id",
                "properties", "tier=tier", "lists", "Members");
    }

    private static JsonNode run(int exitCode) throws Exception {
        CliHarness.Result r = e2e.cli().run("run", "--json", "members");
        assertEquals(exitCode, r.exitCode(), r.out() + r.err());
        return JSON.readTree(r.out().strip());
    }

    /** The stored identifiers, each with whether it is marked as having left. */
    private static Set<String> stored() throws Exception {
        Set<String> out = new TreeSet<>();
        try (Connection c = e2e.warehouse().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select identifier_value, left_at is not null"
                        + " from klaviyo_sync.fingerprints where sync_id = 'members'")) {
            while (rs.next()) {
                out.add(rs.getString(1) + (rs.getBoolean(2) ? " left" : ""));
            }
        }
        return out;
    }

    private static Set<String> expected(String... entries) {
        return new TreeSet<>(List.of(entries));
    }

    private static List<String> present(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add("m" + (i < 10 ? "0" : "") + i);
        }
        return out;
    }

    private static Set<String> withPresent(int from, int to, String... others) {
        Set<String> out = new TreeSet<>(present(from, to));
        out.addAll(List.of(others));
        return out;
    }

    private static void leftDaysAgo(int days, String... ids) throws Exception {
        e2e.warehouse().execute("update klaviyo_sync.fingerprints set left_at = now() - interval '" + days
                + " days' where sync_id = 'members' and identifier_value in ('" + String.join("', '", ids) + "')");
    }

    private static void assertNoChange(JsonNode summary, int rows) {
        assertEquals("completed", summary.get("status").asText(), summary.toString());
        assertEquals(rows, summary.get("read").asInt(), summary.toString());
        assertEquals(rows, summary.get("unchanged").asInt(), summary.toString());
        assertEquals(0, summary.get("sent").asInt(), summary.toString());
    }

    @Test
    void stateOlderThanTheRetentionGoesAndYoungerStays() throws Exception {
        assertEquals(10, run(0).get("sent").asInt());
        e2e.warehouse().execute("delete from members where id > 'm06'");

        assertNoChange(run(0), 6);
        assertEquals(withPresent(1, 6, "m07 left", "m08 left", "m09 left", "m10 left"), stored(),
                "left just now: younger than the retention, kept");

        leftDaysAgo(31, "m07", "m08");
        assertNoChange(run(0), 6);
        assertEquals(withPresent(1, 6, "m09 left", "m10 left"), stored(), "30 days (the default) passed for m07, m08");

        // the warehouse still tells every row unchanged after the state went
        assertNoChange(run(0), 6);

        // a return within the retention keeps its state and is unchanged; a return after it is new
        e2e.warehouse().execute("insert into members values ('m09', 'gold'), ('m07', 'gold')");
        JsonNode back = run(0);
        assertEquals(1, back.get("sent").asInt(), "m07 only: " + back);
        assertEquals(7, back.get("unchanged").asInt(), back.toString());
        assertEquals(withPresent(1, 7, "m09", "m10 left"), stored());
        assertNoChange(run(0), 8);
    }

    @Test
    void theRetentionIsStateRetentionDays() throws Exception {
        run(0);
        e2e.warehouse().execute("delete from members where id > 'm08'");
        run(0);
        leftDaysAgo(6, "m09");
        leftDaysAgo(4, "m10");
        e2e.cli().env("STATE_RETENTION_DAYS", "5");

        assertNoChange(run(0), 8);

        assertEquals(withPresent(1, 8, "m10 left"), stored());
    }

    @Test
    void onlyARunThatReadTheWholeModelSaysWhoLeft() throws Exception {
        run(0);
        sync("select id, tier from members where 1 / (case when id = 'm08' then 0 else 1 end) = 1 order by id");

        JsonNode failed = run(1);

        assertEquals("failed", failed.get("status").asText(), failed.toString());
        assertEquals(withPresent(1, 10), stored(), "a failed model says nothing about who left");

        sync("select id, tier from members where id <= 'm08'");
        assertNoChange(run(0), 8);
        assertEquals(withPresent(1, 8, "m09 left", "m10 left"), stored());
    }

    @Test
    void aFullRunSaysWhoLeftWithoutTheWarehouseComparing() throws Exception {
        run(0);
        e2e.warehouse().execute("delete from members where id = 'm10'");

        assertEquals(9, fullRun().get("sent").asInt());
        assertEquals(withPresent(1, 9, "m10 left"), stored(), "a full run reads every identifier itself");

        leftDaysAgo(40, "m10");
        assertEquals(9, fullRun().get("sent").asInt());
        assertEquals(withPresent(1, 9), stored());
    }

    private static JsonNode fullRun() throws Exception {
        CliHarness.Result full = e2e.cli().run("run", "--json", "--full", "members");
        assertEquals(0, full.exitCode(), full.out() + full.err());
        return JSON.readTree(full.out().strip());
    }
}
