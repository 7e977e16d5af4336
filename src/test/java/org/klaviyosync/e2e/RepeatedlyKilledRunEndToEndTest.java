package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.standin.StandInProfile;

/**
 * {@code run} killed with SIGKILL at random moments, the model changing between the kills (updates,
 * inserts, deletes, rows moved to other lists, new lists), then run to completion: the stand-in
 * holds exactly the model (rows deleted from the model stay in Klaviyo: syncs never delete, and
 * list memberships are only ever added), every list exists once and no run is left running.
 */
class RepeatedlyKilledRunEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 2000;
    private static final int KILLS = 4;
    private static final String[] LISTS = {"Members", "Gold", "Silver", "Bronze"};

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.freshWarehouse();

    @Test
    void killedAtRandomMomentsWhileTheModelChangesThenRunToCompletion() throws Exception {
        long seed = Long.getLong("kills.seed", System.nanoTime());
        Random random = new Random(seed);
        String about = "seed " + seed + " (-Dkills.seed=" + seed + " repeats it)";
        e2e.warehouse().execute("create table members (id text, email text, score int, lists jsonb)",
                "insert into members select 'm-' || g, 'member' || g || '@example.com', g,"
                        + " jsonb_build_array(case g % 3 when 0 then 'Members' when 1 then 'Gold' else 'Silver' end)"
                        + " from generate_series(1, " + ROWS + ") g");
        e2e.klaviyo().setJobPollsUntilComplete(2);
        CliHarness cli = e2e.cli()
                .env("KLAVIYO_BATCH_MAX_PROFILES", "100")
                .env("KLAVIYO_MAX_PENDING_JOBS", "2")
                .env("STATE_FINGERPRINT_BATCH_SIZE", "100");
        cli.sync("members", "model", "select id, email, score, lists from members", "identifier", "external_id",
                "identifierColumn", "id", "properties", "email=email,score=score", "listColumn", "lists");

        List<String> moments = new ArrayList<>();
        for (int kill = 1; kill <= KILLS; kill++) {
            Path log = e2e.work().resolve("run-" + kill + ".log");
            long runsBefore = runs(e2e.warehouse());
            // short-lived: C1 only, which starts faster
            Process run = ChildProcess.start("org.klaviyosync.KlaviyoSync", "256m",
                    List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), cli.env(), log, "run", "members");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (runs(e2e.warehouse()) == runsBefore && run.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            // a random moment of the run, by its progress whatever the machine's speed: as it starts, or
            // once Klaviyo acknowledged some random share of the model, plus a random few milliseconds
            long target = random.nextInt(4) == 0 ? 0 : random.nextInt(ROWS / 3);
            while (acknowledgedInLastRun(e2e.warehouse()) < target && run.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            boolean ended = run.waitFor(random.nextInt(300), TimeUnit.MILLISECONDS);
            run.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            moments.add("after " + target + ": " + acknowledgedInLastRun(e2e.warehouse()) + " acknowledged"
                    + (ended ? " (the run had ended)" : ""));
            change(e2e.warehouse(), random, kill);
        }
        System.out.println("kills: " + moments + ", " + about);

        CliHarness.Result last = cli.run("run", "--json", "members");
        assertEquals(0, last.exitCode(), last.err() + about);
        JsonNode r = JSON.readTree(last.out().strip());
        assertEquals("completed", r.get("status").asText(), r + about);
        assertEquals(0, r.get("invalid").asLong() + r.get("rejected").asLong() + r.get("deferred").asLong(),
                r + about);

        try (Connection c = e2e.warehouse().dataSource().getConnection(); Statement s = c.createStatement()) {
            int rows = 0;
            try (ResultSet rs = s.executeQuery("select id, email, score, lists::text from members")) {
                while (rs.next()) {
                    rows++;
                    String id = rs.getString(1);
                    StandInProfile p = e2e.klaviyo().profileByExternalId(id).orElseThrow(
                            () -> new AssertionError("no profile for " + id + ", " + about));
                    assertEquals(rs.getString(2), p.email(), id + ", " + about);
                    assertEquals(rs.getInt(3), ((Number) p.property("score")).intValue(), id + ", " + about);
                    for (JsonNode list : JSON.readTree(rs.getString(4))) {
                        List<String> ids = e2e.klaviyo().listIdsNamed(list.asText());
                        assertEquals(1, ids.size(), "list " + list + " exists once, " + about);
                        assertTrue(p.listIds().contains(ids.get(0)), id + " in " + list + ", " + about);
                    }
                }
            }
            assertEquals(r.get("read").asLong(), rows);
            try (ResultSet rs = s.executeQuery("select count(*) filter (where status = 'running'),"
                    + " count(*) from klaviyo_sync.runs")) {
                rs.next();
                assertEquals(0, rs.getLong(1), "no run is left running, " + about);
                assertEquals(KILLS + 1, rs.getLong(2), "every killed run had started, " + about);
            }
        }
        Set<String> names = new HashSet<>(e2e.klaviyo().listsByIdToName().values());
        assertEquals(e2e.klaviyo().listsByIdToName().size(), names.size(), "no list was created twice: "
                + e2e.klaviyo().listsByIdToName() + ", " + about);

        CliHarness.Result again = cli.run("run", "--json", "members");
        JsonNode a = JSON.readTree(again.out().strip());
        assertEquals(0, a.get("sent").asLong(), "a further run sends nothing: " + a + ", " + about);
    }

    /** Updates, inserts, deletes and list moves, some to a list that does not exist yet. */
    private static void change(TestWarehouse warehouse, Random random, int round) throws Exception {
        String newList = "Round " + round;
        String someList = random.nextBoolean() ? newList : LISTS[random.nextInt(LISTS.length)];
        int from = 1 + random.nextInt(ROWS - 300);
        warehouse.execute(
                "update members set score = score + 100000, email = 'member' || substr(id, 3) || '-r" + round
                        + "@example.com' where random() < 0.1",
                "update members set lists = jsonb_build_array('" + someList + "', '" + LISTS[random.nextInt(LISTS.length)]
                        + "') where substr(id, 3)::int between " + from + " and " + (from + 200),
                "delete from members where random() < 0.02",
                "insert into members select 'm-' || g, 'member' || g || '@example.com', g,"
                        + " jsonb_build_array('" + newList + "') from generate_series(" + (ROWS + round * 1000) + ", "
                        + (ROWS + round * 1000 + 99) + ") g");
    }

    private static long runs(TestWarehouse warehouse) throws Exception {
        try (Connection c = warehouse.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from klaviyo_sync.runs")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return 0; // the schema is not there until a run has started
        }
    }

    private static long acknowledgedInLastRun(TestWarehouse warehouse) throws Exception {
        try (Connection c = warehouse.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from klaviyo_sync.fingerprints where not rejected"
                        + " and run_id = (select max(run_id) from klaviyo_sync.runs)")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return 0; // the schema is not there until a run has started
        }
    }
}
