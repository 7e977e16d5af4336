package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.standin.StandInProfile;

/**
 * How a finished bulk job settles its rows, through {@code run --json} against the stand-in: import
 * errors are matched to rows (by the echoed payload or by the pointer), a job whose errors or counts
 * do not account for its rows defers them instead of counting them sent, and a job whose settling
 * fails never takes the batch submitted alongside it down with it.
 */
class BulkJobOutcomesEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SYNC = "people";
    private static final int GOOD = 60;
    /**
     * Rows the stand-in fails while importing (their domain). Sorted before the others, they travel
     * in the first job (10 rows a job) with the first 7 good rows.
     */
    private static final List<String> FAILING = List.of("a-bad-1@import-error.test", "a-bad-2@import-error.test",
            "a-bad-3@import-error.test");
    private static final int FIRST_JOB = 10;

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.freshWarehouse();

    @BeforeAll
    static void startServers() throws Exception {
        e2e.warehouse().execute("create table people (email text primary key, first_name text)");
        StringBuilder insert = new StringBuilder("insert into people values ");
        for (int i = 0; i < GOOD; i++) {
            insert.append(i == 0 ? "" : ", ").append(String.format("('person-%02d@example.com', 'Name %02d')", i, i));
        }
        for (String bad : FAILING) {
            insert.append(", ('").append(bad).append("', 'Bad')");
        }
        e2e.warehouse().execute(insert.toString());
    }

    @BeforeEach
    void setUp() throws Exception {
        e2e.cli().env("KLAVIYO_BATCH_MAX_PROFILES", "10")
                .env("KLAVIYO_SUBMIT_THREADS", "1");
        e2e.cli().sync(SYNC, "model", "select email, first_name from people order by email", "identifier", "email",
                "identifierColumn", "email", "properties", "first_name=first_name", "lists", "Outcomes");
    }

    @Test
    void importErrorsEchoingTheProfileRejectExactlyTheirRows() throws Exception {
        JsonNode run = runOnce();
        assertEquals(GOOD, run.get("sent").asLong(), run.toString());
        assertEquals(FAILING.size(), run.get("rejected").asLong(), run.toString());
        assertEquals(new TreeSet<>(FAILING), identifiersWith(run, "rejected"));
        assertStandInHoldsEveryGoodRow();
    }

    @Test
    void importErrorsPointingAtTheProfileRejectExactlyTheirRows() throws Exception {
        e2e.klaviyo().setImportErrorsPointAtProfiles(true);
        JsonNode run = runOnce();
        assertEquals(GOOD, run.get("sent").asLong(), run.toString());
        assertEquals(new TreeSet<>(FAILING), identifiersWith(run, "rejected"));
        assertStandInHoldsEveryGoodRow();
    }

    @Test
    void importErrorsEchoingTheEmailInAnotherCaseStillRejectTheirRows() throws Exception {
        e2e.klaviyo().setImportErrorsUpperCaseEmails(true);
        JsonNode run = runOnce();
        assertEquals(GOOD, run.get("sent").asLong(), run.toString());
        assertEquals(new TreeSet<>(FAILING), identifiersWith(run, "rejected"));
        assertEquals(0, run.get("deferred").asLong(), run.toString());
    }

    @Test
    void importErrorsThatMatchNoRowDeferTheJobsRowsInsteadOfGuessing() throws Exception {
        e2e.klaviyo().faults().importErrorsEchoOtherProfiles();
        JsonNode first = runOnce();
        // the first job's 3 import errors name no row of it: none of its rows is sent or rejected on a guess
        assertEquals(0, first.get("rejected").asLong(), first.toString());
        assertEquals(FIRST_JOB, first.get("deferred").asLong(), first.toString());
        assertEquals(GOOD + FAILING.size() - FIRST_JOB, first.get("sent").asLong(), first.toString());
        for (Map<String, Object> row : results(first, "deferred")) {
            String reason = (String) row.get("reason");
            assertTrue(reason.matches("bulk job \\S+ does not account for its rows: .*3 import errors match none of"
                    + " its rows.*"), reason);
        }

        e2e.klaviyo().faults().clear();
        JsonNode next = runOnce();
        assertEquals(new TreeSet<>(FAILING), identifiersWith(next, "rejected"), "matched now: rejected");
        assertEquals(FIRST_JOB - FAILING.size(), next.get("sent").asLong(), next.toString());
        assertStandInHoldsEveryGoodRow();
    }

    @Test
    void countsThatDoNotAddUpDeferTheRowsAndTheNextRunDeliversThem() throws Exception {
        e2e.klaviyo().faults().bulkJobsSkipLastProfile();
        JsonNode first = runOnce();
        assertEquals(0, first.get("sent").asLong(), "no row of a job that lost one is taken as sent: " + first);
        assertEquals(GOOD + FAILING.size() - first.get("rejected").asLong(), first.get("deferred").asLong());
        assertTrue(e2e.klaviyo().profiles().size() < GOOD, "each job really left a profile out");
        for (Map<String, Object> row : results(first, "deferred")) {
            assertTrue(((String) row.get("reason")).contains("is not total_count"), (String) row.get("reason"));
        }

        e2e.klaviyo().faults().clear();
        JsonNode next = runOnce();
        assertEquals("completed", next.get("status").asText());
        assertEquals(0, next.get("deferred").asLong(), next.toString());
        assertStandInHoldsEveryGoodRow();
        JsonNode quiet = runOnce();
        assertEquals(0, quiet.get("sent").asLong(), quiet.toString());
        assertEquals(GOOD, quiet.get("unchanged").asLong(), quiet.toString());
    }

    @Test
    void settlingAnOlderJobThatFailsNeverMarksTheBatchJustSubmittedUndelivered() throws Exception {
        // one job pending at most: the second batch's submitter settles the first job, which is gone
        e2e.cli().env("KLAVIYO_MAX_PENDING_JOBS", "1");
        e2e.klaviyo().faults().nextBulkJobGone();
        JsonNode first = runOnce();
        List<Map<String, Object>> deferred = results(first, "deferred");
        assertEquals(FIRST_JOB, deferred.size(), "only the rows of the job that could not be settled: " + first);
        for (Map<String, Object> row : deferred) {
            String reason = (String) row.get("reason");
            assertTrue(reason.matches("bulk job \\S+ outcome unknown: .*"), reason);
            assertFalse(reason.contains("not delivered"), reason);
        }
        assertEquals(GOOD + FAILING.size() - FIRST_JOB, first.get("sent").asLong(), first.toString());
        assertEquals(0, first.get("rejected").asLong(), first.toString());

        JsonNode next = runOnce();
        assertEquals(FIRST_JOB - FAILING.size(), next.get("sent").asLong(), next.toString());
        assertEquals(FAILING.size(), next.get("rejected").asLong(), next.toString());
        assertStandInHoldsEveryGoodRow();
    }

    @Test
    void jobStatesAreLearnedFromJobListingsFarFewerThanOneCallAJob() throws Exception {
        // 32 jobs of 2 rows, which Klaviyo completes 0.3 s after accepting them; looks at the shipped pace
        e2e.cli().env("KLAVIYO_BATCH_MAX_PROFILES", "2").env("KLAVIYO_JOB_POLL_INTERVAL_MS", null);
        e2e.klaviyo().setJobCompletionDelayMillis(300);
        JsonNode run;
        try {
            run = runOnce();
        } finally {
            e2e.klaviyo().setJobCompletionDelayMillis(-1);
        }
        assertEquals(GOOD, run.get("sent").asLong(), run.toString());
        assertEquals(FAILING.size(), run.get("rejected").asLong(), run.toString());
        long jobs = e2e.klaviyo().count("POST", "/api/profile-bulk-import-jobs");
        long listings = e2e.klaviyo().requests().stream()
                .filter(r -> r.method().equals("GET") && r.path().equals("/api/profile-bulk-import-jobs")).count();
        long singleReads = e2e.klaviyo().requests().stream()
                .filter(r -> r.method().equals("GET") && r.path().matches("/api/profile-bulk-import-jobs/[^/]+")).count();
        assertEquals(32, jobs);
        assertEquals(0, singleReads, "no job read on its own");
        assertTrue(listings > 0 && listings <= jobs / 2, listings + " listings for " + jobs + " jobs");
        assertStandInHoldsEveryGoodRow();
    }

    private JsonNode runOnce() throws Exception {
        CliHarness.Result r = e2e.cli().run("run", "--json", SYNC);
        JsonNode run = JSON.readTree(r.out().strip());
        assertEquals(GOOD + FAILING.size(), run.get("read").asLong(), run.toString());
        assertEquals(run.get("read").asLong(), run.get("sent").asLong() + run.get("unchanged").asLong()
                + run.get("invalid").asLong() + run.get("rejected").asLong() + run.get("deferred").asLong(),
                "counts reconcile: " + run);
        return run;
    }

    private List<Map<String, Object>> results(JsonNode run, String outcome) throws Exception {
        return CoreSyncEndToEndTest.rows(e2e.warehouse(),
                "select identifier_value, reason from klaviyo_sync.row_results"
                + " where run_id = " + run.get("runId").asLong() + " and outcome = '" + outcome + "'");
    }

    private Set<String> identifiersWith(JsonNode run, String outcome) throws Exception {
        return results(run, outcome).stream().map(r -> (String) r.get("identifier_value"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private void assertStandInHoldsEveryGoodRow() {
        String list = e2e.klaviyo().listIdsNamed("Outcomes").get(0);
        Set<String> members = e2e.klaviyo().listMembers(list);
        for (int i = 0; i < GOOD; i++) {
            String email = String.format("person-%02d@example.com", i);
            StandInProfile p = e2e.klaviyo().profileByEmail(email)
                    .orElseThrow(() -> new AssertionError(email + " missing"));
            assertEquals(String.format("Name %02d", i), p.attribute("first_name"));
            assertTrue(members.contains(p.id()), email + " in the list");
        }
        for (String bad : FAILING) {
            assertTrue(e2e.klaviyo().profileByEmail(bad).isEmpty(), bad + " failed at Klaviyo");
        }
    }
}
