package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@code listMode=mirror} run killed (SIGKILL) while it removes memberships, then run again: the
 * removals Klaviyo acknowledged stay done, the rest are made by the next run, and the list ends
 * exactly as the model says. The killed run goes in a child JVM so that the kill is real.
 */
class KilledRemovalsEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 3000;
    private static final int KEPT = 500;

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.freshWarehouse().jobPollsUntilComplete(1);

    @Test
    void theRerunRemovesWhatTheKilledRunHadNotGotAcknowledged() throws Exception {
        e2e.warehouse().execute("create table members (id text, score int)",
                "insert into members select 'm-' || lpad(g::text, 4, '0'), g from generate_series(1, " + ROWS + ") g");
        CliHarness cli = e2e.cli();
        cli.sync("members", "model", "select id, score from members", "identifier", "external_id",
                "identifierColumn", "id", "properties", "score=score", "lists", "Members", "listMode", "mirror");
        CliHarness.Result first = cli.run("run", "members");
        assertEquals(0, first.exitCode(), first.out() + first.err());
        String list = e2e.klaviyo().listIdsNamed("Members").get(0);
        assertEquals(ROWS, e2e.klaviyo().listMembers(list).size());
        assertEquals(ROWS, managed());

        e2e.warehouse().execute("delete from members where id > 'm-" + String.format("%04d", KEPT) + "'");
        e2e.klaviyo().faults().delay(Duration.ofMillis(25));
        Process killed = ChildProcess.start("org.klaviyosync.KlaviyoSync", "256m", cli.env(),
                e2e.work().resolve("killed-run.log"), "run", "--allow-removals", "members");
        long left = ROWS;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try {
            // the removals go 1,000 at a time: kill once one call was acknowledged and others are owed
            while (left > ROWS - 1000 && killed.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
                left = managed();
            }
        } finally {
            killed.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        left = managed();
        assertTrue(left <= ROWS - 1000 && left > KEPT, "killed mid-way with " + left + " memberships managed; log: "
                + Files.readString(e2e.work().resolve("killed-run.log")));
        assertTrue(e2e.klaviyo().listMembers(list).size() <= left, "every forgotten membership was removed");

        e2e.klaviyo().faults().clear();
        CliHarness.Result rerun = cli.run("run", "--json", "--allow-removals", "members");

        assertEquals(0, rerun.exitCode(), rerun.out() + rerun.err());
        JsonNode r = JSON.readTree(rerun.out().strip());
        assertEquals("completed", r.get("status").asText(), r.toString());
        assertTrue(r.get("removed").asLong() >= left - KEPT, "what was still owed is removed: " + r);
        assertEquals(KEPT, e2e.klaviyo().listMembers(list).size());
        assertEquals(KEPT, managed());
        assertEquals(ROWS, e2e.klaviyo().profiles().size(), "no profile is deleted");
    }

    private static long managed() throws Exception {
        try (Connection c = e2e.warehouse().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from klaviyo_sync.list_memberships")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
