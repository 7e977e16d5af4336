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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.standin.StandInProfile;

/**
 * A run killed (SIGKILL) in the middle, then run again: nothing is lost and nothing acknowledged
 * is sent twice. The first run goes in a child JVM so that the kill is real.
 */
class KilledRunEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 2000;

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.freshWarehouse();

    @Test
    void theRerunSendsExactlyWhatTheKilledRunHadNotGotAcknowledged() throws Exception {
        e2e.warehouse().execute("create table members (id text, email text, score int)",
                "insert into members select 'm-' || g, 'member' || g || '@example.com', g from generate_series(1, "
                        + ROWS + ") g");
        e2e.klaviyo().setJobPollsUntilComplete(2);
        e2e.klaviyo().faults().delay(Duration.ofMillis(25));
        CliHarness cli = e2e.cli()
                .env("KLAVIYO_BATCH_MAX_PROFILES", "50")
                .env("KLAVIYO_MAX_PENDING_JOBS", "1")
                .env("STATE_FINGERPRINT_BATCH_SIZE", "50");
        cli.sync("members", "model", "select id, email, score from members", "identifier", "external_id",
                "identifierColumn", "id", "properties", "email=email,score=score", "lists", "Members");

        Process first = ChildProcess.start("org.klaviyosync.KlaviyoSync", "256m", cli.env(),
                e2e.work().resolve("first-run.log"), "run", "members");
        long acknowledged = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try {
            while (acknowledged < 300 && first.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
                acknowledged = e2e.warehouse().acknowledgedFingerprints("members");
            }
        } finally {
            first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        acknowledged = e2e.warehouse().acknowledgedFingerprints("members");
        assertTrue(acknowledged >= 300 && acknowledged < ROWS, "killed mid-way with " + acknowledged
                + " rows acknowledged; log: " + Files.readString(e2e.work().resolve("first-run.log")));
        List<String> killedRun = statuses(e2e.warehouse());
        assertEquals(List.of("running"), killedRun, "the killed run never ended");

        e2e.klaviyo().faults().clear();
        cli.env("KLAVIYO_BATCH_MAX_PROFILES", null).env("STATE_FINGERPRINT_BATCH_SIZE", null);
        StandInTraffic rerunTraffic = StandInTraffic.mark(e2e.klaviyo());
        CliHarness.Result rerun = cli.run("run", "--json", "members");

        assertEquals(0, rerun.exitCode(), rerun.err());
        JsonNode r = JSON.readTree(rerun.out().strip());
        assertEquals("completed", r.get("status").asText());
        assertEquals(ROWS, r.get("read").asLong());
        assertEquals(acknowledged, r.get("unchanged").asLong(), "what Klaviyo acknowledged is not sent again");
        assertEquals(ROWS - acknowledged, r.get("sent").asLong(), "everything else is sent");
        assertEquals(0, r.get("invalid").asLong() + r.get("rejected").asLong() + r.get("deferred").asLong());
        assertEquals(ROWS - acknowledged, rerunTraffic.profilesSent().size());

        assertEquals(ROWS, e2e.klaviyo().profiles().size(), "the stand-in holds the whole model");
        String list = e2e.klaviyo().listIdsNamed("Members").get(0);
        for (int i = 1; i <= ROWS; i++) {
            StandInProfile p = e2e.klaviyo().profileByExternalId("m-" + i).orElseThrow();
            assertEquals("member" + i + "@example.com", p.email());
            assertEquals(i, ((Number) p.property("score")).intValue());
            assertTrue(p.listIds().contains(list));
        }
        assertEquals(ROWS, e2e.klaviyo().listMembers(list).size());
        assertEquals(ROWS, e2e.warehouse().acknowledgedFingerprints("members"));
    }


    private static List<String> statuses(TestWarehouse warehouse) throws Exception {
        try (Connection c = warehouse.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select status from klaviyo_sync.runs order by run_id")) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }
}
