package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.app.SyncApplication;
import org.klaviyosync.run.RunSummary;
import org.klaviyosync.settings.Settings;
import org.klaviyosync.standin.StandInProfile;

/**
 * Klaviyo's limits and faults: under each of the stand-in's faults a sync of 2,000 rows ends with
 * the stand-in holding exactly the model (after at most one more run for deferred rows) and the
 * counts reconciling. Batches are kept small (200 profiles) so that a run makes many calls.
 */
class ReliabilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{1,14}$");
    private static final String SYNC = "customers-by-external-id";
    private static final int BATCH = 200;

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.withDemoCustomers(2000);
    private static Map<String, Set<String>> expectedLists;

    @BeforeAll
    static void startServers() throws Exception {
        expectedLists = new HashMap<>();
        for (Map<String, Object> row : CoreSyncEndToEndTest.rows(e2e.warehouse(), "select * from customers")) {
            String email = (String) row.get("email");
            String phone = (String) row.get("phone");
            if ((email == null || EMAIL.matcher(email).matches()) && (phone == null || E164.matcher(phone).matches())) {
                Set<String> lists = new TreeSet<>();
                JSON.readTree(String.valueOf(row.get("lists"))).forEach(n -> lists.add(n.asText()));
                lists.add("klaviyo-sync customers");
                expectedLists.put((String) row.get("customer_id"), lists);
            }
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        e2e.klaviyo().setRateLimitsEnabled(true);
        e2e.cli().env("KLAVIYO_BATCH_MAX_PROFILES", String.valueOf(BATCH))
                .env("KLAVIYO_RETRY_BASE_DELAY_MS", "20")
                .env("KLAVIYO_RETRY_MAX_DELAY_MS", "200")
                .env("KLAVIYO_OUTAGE_FAILURES", "3")
                .env("KLAVIYO_OUTAGE_COOL_DOWN_MS", "60000");
        Files.copy(Path.of("routes/syncs/" + SYNC + ".yaml"), e2e.cli().syncsDir().resolve(SYNC + ".yaml"));
    }

    @Test
    void atKlaviyosRealLimitsNoRequestIsRateLimited() throws Exception {
        JsonNode run = runOnce();
        assertEquals("completed", run.get("status").asText());
        assertStandInEqualsModel();
        assertEquals(0, e2e.klaviyo().count429(), "the throttles keep every bucket under Klaviyo's limits");
    }

    @Test
    void randomServerErrorsAreRetried() throws Exception {
        e2e.klaviyo().faults().seed(7).serverErrors(0.15);
        runUntilSettled();
        assertTrue(e2e.klaviyo().requests().stream().anyMatch(r -> r.responseStatus() >= 500), "faults were injected");
        assertStandInEqualsModel();
    }

    @Test
    void a429StormIsWaitedOutWithRetryAfter() throws Exception {
        e2e.klaviyo().faults().tooManyRequests(8, 1);
        JsonNode run = runOnce();
        assertEquals("completed", run.get("status").asText());
        assertEquals(0, run.get("deferred").asLong());
        assertTrue(e2e.klaviyo().count429() >= 8, "more 429s in a row than a call has attempts");
        assertStandInEqualsModel();
    }

    @Test
    void droppedConnectionsAreRetried() throws Exception {
        e2e.klaviyo().faults().seed(11).dropConnections(0.2);
        runUntilSettled();
        assertStandInEqualsModel();
    }

    @Test
    void slowAnswersWithinTheTimeoutAreWaitedFor() throws Exception {
        e2e.cli().env("KLAVIYO_RESPONSE_TIMEOUT_MS", "1000");
        e2e.klaviyo().faults().delay(Duration.ofMillis(40));
        JsonNode slow = runOnce();
        assertEquals("completed", slow.get("status").asText());
        assertStandInEqualsModel();
    }

    @Test
    void answersSlowerThanTheTimeoutDeferTheRowsAndTheNextRunDeliversThem() throws Exception {
        e2e.cli().env("KLAVIYO_RESPONSE_TIMEOUT_MS", "100");
        e2e.klaviyo().faults().delay(Duration.ofMillis(250));
        JsonNode timedOut = runOnce();
        assertEquals("failed", timedOut.get("status").asText());
        assertEquals(0, timedOut.get("sent").asLong());

        e2e.klaviyo().faults().clear();
        JsonNode next = runOnce();
        assertEquals("completed", next.get("status").asText());
        assertStandInEqualsModel();
    }

    @Test
    void aJobCreatedBehindA5xxIsLeftAloneAndTheBatchSentAgain() throws Exception {
        // a quarter of the POSTs: a batch whose six attempts all fail (0.25^6) would be deferred, not resent
        e2e.klaviyo().faults().seed(5).bulkJobCreatedThenServerError(0.25);
        JsonNode run = runOnce();
        assertEquals("completed", run.get("status").asText(), run.toString());
        assertEquals(0, run.get("deferred").asLong(), run.toString());
        assertStandInEqualsModel();
        Map<String, Long> membersPerList = new HashMap<>();
        expectedLists.values().forEach(ls -> ls.forEach(l -> membersPerList.merge(l, 1L, Long::sum)));
        long batches = membersPerList.values().stream().mapToLong(n -> (n + BATCH - 1) / BATCH).sum();
        long lostAnswers = e2e.klaviyo().requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().equals("/api/profile-bulk-import-jobs")
                        && r.responseStatus() == 500).count();
        assertTrue(lostAnswers > 0, "faults were injected");
        assertEquals(batches + lostAnswers, e2e.klaviyo().bulkJobIds().size(), "each lost answer left one job behind");
        // the job listings show the jobs behind lost answers too: the sync ignores them and reads no job on its
        // own (a job it cannot place in a listing would be read so)
        assertEquals(0, e2e.klaviyo().count("GET", "/api/profile-bulk-import-jobs/"), "no job was read on its own");
    }

    @Test
    void anOutageStopsTheRunFastAndTheNextRunDeliversTheDeferredRows() throws Exception {
        e2e.klaviyo().createList("klaviyo-sync customers");
        // the bulk job submissions fail; the job listing a run starts with still answers
        e2e.klaviyo().faults().onlyForPathsStartingWith("/api/profile-bulk-import-jobs").onlyForMethod("POST")
                .serverErrors(1.0, 503);
        JsonNode failed = runOnce();
        assertEquals("failed", failed.get("status").asText());
        assertTrue(failed.get("error").asText().contains("unavailable"), failed.get("error").asText());
        assertTrue(failed.get("deferred").asLong() > 0);
        int posts = e2e.klaviyo().count("POST", "/api/profile-bulk-import-jobs");
        // 3 calls exhaust their 6 attempts and open the breaker; the other 3 submitters' calls already under way
        // finish their attempts; nothing after that
        assertTrue(posts <= (3 + 4 - 1) * 6, "the breaker stops the calls: " + posts + " bulk posts");
        assertEquals(0, failed.get("sent").asLong());

        e2e.klaviyo().faults().clear();
        e2e.cli().env("KLAVIYO_OUTAGE_COOL_DOWN_MS", "1");
        JsonNode next = runOnce();
        assertEquals("completed", next.get("status").asText());
        assertStandInEqualsModel();
    }

    @Test
    void stoppingTheServiceMidRunSettlesWhatWasReadAndTheNextRunCompletes() throws Exception {
        e2e.klaviyo().faults().delay(Duration.ofMillis(100));
        Map<String, String> env = new HashMap<>(e2e.cli().env());
        Settings settings = Settings.load(Path.of("application.properties"), env);
        SyncApplication app = SyncApplication.prepare(settings, Path.of("").toAbsolutePath(),
                SyncApplication.Mode.SERVICE);
        app.start();
        CompletableFuture<RunSummary> run = CompletableFuture.supplyAsync(() -> {
            try {
                return app.runNow(SYNC);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (e2e.klaviyo().count("POST", "/api/profile-bulk-import-jobs") < 2 && !run.isDone()) {
            assertTrue(System.nanoTime() < deadline, "the run never reached its second bulk job");
            Thread.sleep(20);
        }
        app.close();
        RunSummary stopped = run.get();
        assertEquals(RunSummary.FAILED, stopped.status());
        assertTrue(stopped.error().contains("stopped"), stopped.error());
        assertEquals(stopped.read(), stopped.sent() + stopped.unchanged() + stopped.invalid() + stopped.rejected()
                + stopped.deferred(), "the stopped run's counts reconcile");

        e2e.klaviyo().faults().clear();
        JsonNode next = runOnce();
        assertEquals("completed", next.get("status").asText());
        assertStandInEqualsModel();
    }

    private JsonNode runOnce() throws Exception {
        CliHarness.Result r = e2e.cli().run("run", "--json", SYNC);
        JsonNode run = JSON.readTree(r.out().strip());
        assertEquals(run.get("read").asLong(), run.get("sent").asLong() + run.get("unchanged").asLong()
                + run.get("invalid").asLong() + run.get("rejected").asLong() + run.get("deferred").asLong(),
                "counts reconcile: " + run);
        assertEquals(run.get("status").asText().equals("failed") ? 1 : 0, r.exitCode(), r.err());
        return run;
    }

    /** Runs, and once more if rows were deferred, with the faults still on. */
    private void runUntilSettled() throws Exception {
        List<JsonNode> runs = new ArrayList<>();
        runs.add(runOnce());
        if (runs.get(0).get("deferred").asLong() > 0 || runs.get(0).get("status").asText().equals("failed")) {
            e2e.klaviyo().faults().clear();
            runs.add(runOnce());
        }
        assertEquals("completed", runs.get(runs.size() - 1).get("status").asText(), "runs: " + runs);
    }

    private void assertStandInEqualsModel() {
        Map<String, String> names = e2e.klaviyo().listsByIdToName();
        Map<String, Set<String>> actual = e2e.klaviyo().profiles().stream().collect(Collectors.toMap(
                StandInProfile::externalId,
                p -> p.listIds().stream().map(names::get).collect(Collectors.toCollection(TreeSet::new))));
        assertEquals(expectedLists.keySet(), actual.keySet(), "the stand-in holds exactly the valid rows");
        assertEquals(expectedLists, actual, "with exactly their lists");
    }
}
