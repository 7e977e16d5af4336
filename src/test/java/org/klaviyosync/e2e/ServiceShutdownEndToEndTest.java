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
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.klaviyosync.standin.KlaviyoStandIn;
import org.klaviyosync.standin.StandInProfile;

/**
 * SIGTERM to the service (or to {@code run}) while its run waits on bulk jobs that Klaviyo takes
 * minutes to finish: the process exits within SHUTDOWN_GRACE_SECONDS (25 s by default, under a container's 30 s
 * stop timeout), the run is closed with reconciling counts, its unsettled rows are deferred with
 * the reason, what Klaviyo acknowledged is stored, and the next run sends the rest.
 */
class ServiceShutdownEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 3000;

    @TempDir
    Path work;

    @Test
    void sigtermEndsTheRunWithinTheGraceWhileJobsAreStillProcessing() throws Exception {
        sigtermMidRun("the service was stopped");
    }

    @Test
    void sigtermToTheRunCommandEndsItsRunTheSameWay() throws Exception {
        sigtermMidRun("the process was stopped", "run", "members");
    }

    @Test
    void aRunStuckInACallToKlaviyoIsClosedWithinTheGraceAnyway() throws Exception {
        hangingJobReads = true;
        sigtermMidRun("the service was stopped");
    }

    private boolean hangingJobReads;

    /**
     * SIGTERM to klaviyo-sync started with {@code args} while its run waits on jobs that do not
     * complete (or, with {@link #hangingJobReads}, on reads of them that get no answer for 40 s).
     */
    private void sigtermMidRun(String reason, String... args) throws Exception {
        TestWarehouse warehouse = TestWarehouse.fresh();
        warehouse.execute("create table members (id text, email text, score int)",
                "insert into members select 'm-' || g, 'member' || g || '@example.com', g from generate_series(1, "
                        + ROWS + ") g");
        try (KlaviyoStandIn klaviyo = KlaviyoStandIn.start()) {
            klaviyo.setJobPollsUntilComplete(2);
            CliHarness cli = CliHarness.connectedTo(work, warehouse, klaviyo)
                    .env("KLAVIYO_JOB_POLL_INTERVAL_MS", "200")
                    .env("KLAVIYO_BATCH_MAX_PROFILES", "50")
                    .env("KLAVIYO_MAX_PENDING_JOBS", "5")
                    .env("STATE_FINGERPRINT_BATCH_SIZE", "50");
            cli.sync("members", "model", "select id, email, score from members", "identifier", "external_id",
                    "identifierColumn", "id", "properties", "email=email,score=score", "lists", "Members",
                    "schedule", "* * * * * ?");
            Map<String, String> env = new HashMap<>(cli.env());
            env.put("MANAGEMENT_ENABLED", "false");
            Path log = work.resolve("service.log");
            Process service = ChildProcess.start("org.klaviyosync.KlaviyoSync", "256m", env, log, args);
            long stoppedInMs;
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (warehouse.acknowledgedFingerprints("members") < 300 && service.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(warehouse.acknowledgedFingerprints("members") >= 300, "the run got going; log: " + Files.readString(log));
                // from now on Klaviyo takes its time: no job completes while the service stops
                klaviyo.setJobPollsUntilComplete(1_000_000);
                if (hangingJobReads) {
                    // job states are read by listing the jobs, so the whole resource hangs
                    klaviyo.faults().onlyForPathsStartingWith("/api/profile-bulk-import-jobs")
                            .delay(Duration.ofSeconds(40));
                }
                Thread.sleep(2000);
                assertEquals("running", runs(warehouse, "status"), "the run waits on its jobs");

                long sigterm = System.nanoTime();
                service.destroy();
                boolean exited = service.waitFor(25, TimeUnit.SECONDS);
                stoppedInMs = (System.nanoTime() - sigterm) / 1_000_000;
                assertTrue(exited, "still running 25 s after SIGTERM; log: " + Files.readString(log));
            } finally {
                service.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            System.out.printf("SIGTERM to exit (%s): %d ms%n", args.length == 0 ? "service" : String.join(" ", args),
                    stoppedInMs);

            try (Connection c = warehouse.dataSource().getConnection(); Statement s = c.createStatement()) {
                long read;
                long sent;
                long deferred;
                try (ResultSet rs = s.executeQuery("select status, error, read, sent, unchanged, invalid, rejected,"
                        + " deferred, (select count(*) from klaviyo_sync.runs) from klaviyo_sync.runs")) {
                    assertTrue(rs.next());
                    assertEquals(1, rs.getLong(9), "one run");
                    assertEquals("failed", rs.getString(1), "the run is closed, not left running");
                    assertEquals(reason, rs.getString(2));
                    read = rs.getLong(3);
                    sent = rs.getLong(4);
                    deferred = rs.getLong(8);
                    assertEquals(read, sent + rs.getLong(5) + rs.getLong(6) + rs.getLong(7) + deferred,
                            "the counts reconcile");
                    assertTrue(sent >= 300 && deferred > 0, "sent " + sent + ", deferred " + deferred);
                }
                assertEquals(sent, warehouse.acknowledgedFingerprints("members"), "the acknowledged rows' fingerprints are stored");
                try (ResultSet rs = s.executeQuery("select count(*), count(*) filter (where reason like"
                        + " '%" + reason + "%') from klaviyo_sync.row_results where outcome = 'deferred'")) {
                    rs.next();
                    assertEquals(deferred, rs.getLong(1), "every deferred row is recorded");
                    assertEquals(deferred, rs.getLong(2), "with the reason");
                }
                try (ResultSet rs = s.executeQuery("select reason from klaviyo_sync.row_results where reason like"
                        + (hangingJobReads ? " 'not sent: the run was stopped before Klaviyo answered: %'"
                                : " 'bulk job % when the run stopped%'") + " limit 1")) {
                    assertTrue(rs.next(), "rows of jobs Klaviyo had not finished are deferred as such");
                }
            }

            klaviyo.faults().clear();
            klaviyo.setJobPollsUntilComplete(2);
            long acknowledged = warehouse.acknowledgedFingerprints("members");
            CliHarness.Result next = cli.env("KLAVIYO_BATCH_MAX_PROFILES", null).run("run", "--json", "members");
            assertEquals(0, next.exitCode(), next.err());
            JsonNode r = JSON.readTree(next.out().strip());
            assertEquals("completed", r.get("status").asText());
            assertEquals(acknowledged, r.get("unchanged").asLong());
            assertEquals(ROWS - acknowledged, r.get("sent").asLong(), "the deferred and unread rows are sent");
            assertEquals(ROWS, klaviyo.profiles().size());
            String list = klaviyo.listIdsNamed("Members").get(0);
            for (int i = 1; i <= ROWS; i += 7) {
                StandInProfile p = klaviyo.profileByExternalId("m-" + i).orElseThrow();
                assertEquals(i, ((Number) p.property("score")).intValue());
                assertTrue(p.listIds().contains(list));
            }
            assertEquals(ROWS, klaviyo.listMembers(list).size());
        }
    }


    private static String runs(TestWarehouse warehouse, String column) throws Exception {
        try (Connection c = warehouse.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select string_agg(" + column + ", ',') from klaviyo_sync.runs")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
