package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.standin.StandInProfile;

/**
 * A run whose advisory-lock connection is lost (here: its backend terminated, as a database
 * restart or a network blip would) stops at once instead of running on unguarded: what Klaviyo
 * acknowledged is settled, the rest deferred, and the next run converges.
 */
class LostLockEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 3000;

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.freshWarehouse();

    @Test
    void aRunThatLosesItsLockStopsAtOnceAndTheNextRunConverges() throws Exception {
        e2e.warehouse().execute("create table members (id text, email text, score int)",
                "insert into members select 'm-' || g, 'member' || g || '@example.com', g from generate_series(1, "
                        + ROWS + ") g");
        e2e.klaviyo().setJobPollsUntilComplete(2);
        CliHarness cli = e2e.cli()
                .env("KLAVIYO_JOB_POLL_INTERVAL_MS", "200")
                .env("KLAVIYO_BATCH_MAX_PROFILES", "50")
                .env("KLAVIYO_MAX_PENDING_JOBS", "5")
                .env("STATE_FINGERPRINT_BATCH_SIZE", "50");
        cli.sync("members", "model", "select id, email, score from members", "identifier", "external_id",
                "identifierColumn", "id", "properties", "email=email,score=score", "lists", "Members");

        CompletableFuture<CliHarness.Result> first = CompletableFuture.supplyAsync(
                () -> cli.run("run", "--json", "members"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (e2e.warehouse().acknowledgedFingerprints("members") < 300 && !first.isDone() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(e2e.warehouse().acknowledgedFingerprints("members") >= 300 && !first.isDone(), "the run got going");
        // from now on Klaviyo takes its time: the run waits on its jobs, holding its lock
        e2e.klaviyo().setJobPollsUntilComplete(1_000_000);
        Thread.sleep(1000);
        assertTrue(!first.isDone());

        long killed = System.nanoTime();
        assertEquals(1, terminateLockHolder(e2e.warehouse()), "one backend held the run's advisory lock");
        CliHarness.Result stopped = first.get(15, TimeUnit.SECONDS);
        long stoppedInMs = (System.nanoTime() - killed) / 1_000_000;
        System.out.printf("lock lost to run closed: %d ms%n", stoppedInMs);

        assertEquals(1, stopped.exitCode(), stopped.err());
        JsonNode r = JSON.readTree(stopped.out().strip());
        assertEquals("failed", r.get("status").asText());
        assertTrue(r.get("error").asText().startsWith("the run lost its lock ("), r.get("error").asText());
        long sent = r.get("sent").asLong();
        long deferred = r.get("deferred").asLong();
        assertEquals(r.get("read").asLong(), sent + r.get("unchanged").asLong() + r.get("invalid").asLong()
                + r.get("rejected").asLong() + deferred, "the counts reconcile: " + r);
        assertTrue(sent >= 300 && deferred > 0, r.toString());
        assertEquals(sent, e2e.warehouse().acknowledgedFingerprints("members"), "what Klaviyo acknowledged is stored");
        try (Connection c = e2e.warehouse().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*), count(*) filter (where reason like"
                        + " '%the run lost its lock%') from klaviyo_sync.row_results where outcome = 'deferred'")) {
            rs.next();
            assertEquals(deferred, rs.getLong(1));
            assertEquals(deferred, rs.getLong(2), "the deferred rows say why");
        }
        try (Connection c = e2e.warehouse().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from pg_locks where locktype = 'advisory'")) {
            rs.next();
            assertEquals(0, rs.getLong(1), "no lock is left behind");
        }

        e2e.klaviyo().setJobPollsUntilComplete(2);
        CliHarness.Result next = cli.env("KLAVIYO_BATCH_MAX_PROFILES", null).run("run", "--json", "members");
        assertEquals(0, next.exitCode(), next.err());
        JsonNode n = JSON.readTree(next.out().strip());
        assertEquals("completed", n.get("status").asText());
        assertEquals(sent, n.get("unchanged").asLong());
        assertEquals(ROWS - sent, n.get("sent").asLong());
        assertEquals(ROWS, e2e.klaviyo().profiles().size());
        String list = e2e.klaviyo().listIdsNamed("Members").get(0);
        assertEquals(ROWS, e2e.klaviyo().listMembers(list).size());
        for (int i = 1; i <= ROWS; i += 11) {
            StandInProfile p = e2e.klaviyo().profileByExternalId("m-" + i).orElseThrow();
            assertEquals(i, ((Number) p.property("score")).intValue());
        }
        assertEquals("completed", lastStatus(e2e.warehouse()));
    }

    private static long terminateLockHolder(TestWarehouse warehouse) throws Exception {
        try (Connection c = warehouse.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(pg_terminate_backend(pid)) from pg_locks"
                        + " where locktype = 'advisory' and granted and pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }


    private static String lastStatus(TestWarehouse warehouse) throws Exception {
        try (Connection c = warehouse.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select status from klaviyo_sync.runs order by run_id desc limit 1")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
