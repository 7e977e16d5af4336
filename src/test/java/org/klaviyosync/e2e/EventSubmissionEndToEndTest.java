package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.standin.EventBulkCreateResource.StoredEvent;
import org.klaviyosync.standin.RecordedRequest;

/**
 * An event sync's batches go to Klaviyo from several submitters at once (klaviyo.event-submit-threads),
 * through the real path: PostgreSQL, the CLI and the stand-in over HTTP, which answers after random
 * delays so requests complete in another order than they were sent. Every event is counted once, the
 * stand-in never has more requests in hand than there are submitters, a batch that fails defers exactly
 * its events, and the cursor never moves past an event that was not acknowledged.
 */
class EventSubmissionEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENTS = "/api/event-bulk-create-jobs";
    private static final int ORDERS = 300;
    private static final int PER_BATCH = 10;
    private static final int SUBMITTERS = 3;

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.freshWarehouseForEachTest();

    @BeforeEach
    void setUp() throws Exception {
        e2e.warehouse().execute("create table orders (seq bigint primary key, order_id text, customer_id text,"
                + " sku text)", insert(1, ORDERS));
        e2e.cli().env("KLAVIYO_BATCH_MAX_PROFILES", String.valueOf(PER_BATCH))
                .env("KLAVIYO_EVENT_SUBMIT_THREADS", String.valueOf(SUBMITTERS))
                .env("KLAVIYO_LIMITS_EVENT_CREATE_PER_SECOND", "1000")
                .env("KLAVIYO_LIMITS_EVENT_CREATE_PER_MINUTE", "60000")
                .env("KLAVIYO_RETRY_MAX_ATTEMPTS", "1").env("KLAVIYO_RETRY_BASE_DELAY_MS", "10");
        e2e.klaviyo().setRateLimitsEnabled(false);
        e2e.cli().eventSync("orders", "model", "select seq, order_id, customer_id, sku from orders order by seq",
                "metric", "Placed Order", "identifier", "external_id", "identifierColumn", "customer_id",
                "eventIdColumn", "order_id", "properties", "sku=sku", "cursorColumn", "seq");
    }

    private static String insert(int from, int to) {
        return "insert into orders select g, 'o-' || g, 'c-' || (g % 17), 'SKU-' || (g % 5)"
                + " from generate_series(" + from + ", " + to + ") g";
    }

    @Test
    void batchesInFlightTogetherCompleteOutOfOrderAndEveryEventIsCountedOnce() throws Exception {
        e2e.klaviyo().faults().onlyForPathsStartingWith(EVENTS).delayBetween(Duration.ofMillis(10),
                Duration.ofMillis(250));
        JsonNode run = run();
        assertCounts(run, ORDERS, ORDERS, 0, 0);

        List<RecordedRequest> posts = posts(0);
        assertEquals(ORDERS / PER_BATCH, posts.size(), "one request a batch, none repeated");
        // the requests are recorded as they are answered: batches the sync read later were answered first
        List<Integer> firstSeqOfEachAnswer = new ArrayList<>();
        for (RecordedRequest post : posts) {
            firstSeqOfEachAnswer.add(seqs(post).get(0));
        }
        List<Integer> inReadOrder = new ArrayList<>(firstSeqOfEachAnswer);
        inReadOrder.sort(null);
        assertFalse(firstSeqOfEachAnswer.equals(inReadOrder), "answers in read order: " + firstSeqOfEachAnswer);

        int most = e2e.klaviyo().concurrentRequests().most("POST", EVENTS);
        assertTrue(most <= SUBMITTERS, "the stand-in had " + most + " requests in hand at once");
        assertTrue(most >= 2, "the batches were sent one after the other");

        // every event in Klaviyo once, every row of the run counted once
        List<StoredEvent> events = e2e.klaviyo().events();
        assertEquals(ORDERS, events.size());
        assertEquals(ORDERS, events.stream().map(StoredEvent::uniqueId).collect(Collectors.toSet()).size());
        assertEquals(0, e2e.klaviyo().ignoredEvents());

        // the cursor moved past every event: nothing is read again, late rows are
        assertCounts(run(), 0, 0, 0, 0);
        e2e.warehouse().execute(insert(ORDERS + 1, ORDERS + 25));
        assertCounts(run(), 25, 25, 0, 0);
        assertEquals(ORDERS + 25, e2e.klaviyo().events().size());
    }

    @Test
    void aBatchThatFailsMidRunDefersExactlyItsEventsAndTheCursorWaitsForThem() throws Exception {
        assertCounts(run(), ORDERS, ORDERS, 0, 0);
        e2e.warehouse().execute(insert(ORDERS + 1, 2 * ORDERS));
        // the 12th request of the next run answers 503; the other batches are in flight around it
        e2e.klaviyo().faults().onlyForPathsStartingWith(EVENTS).delayBetween(Duration.ofMillis(10),
                Duration.ofMillis(150)).serverErrorsOnRequests(12, 12, 503);
        int before = e2e.klaviyo().requests().size();
        JsonNode failing = run();
        assertEquals("completed", failing.get("status").asText(), failing.toString());
        assertEquals(ORDERS, failing.get("read").asLong(), failing.toString());
        assertEquals(ORDERS - PER_BATCH, failing.get("sent").asLong(), failing.toString());
        assertEquals(PER_BATCH, failing.get("deferred").asLong(), failing.toString());

        List<RecordedRequest> refused = posts(before).stream().filter(r -> r.responseStatus() == 503).toList();
        assertEquals(1, refused.size());
        Set<String> ofTheFailedBatch = new TreeSet<>(eventIds(refused.get(0)));
        assertEquals(PER_BATCH, ofTheFailedBatch.size());
        List<Map<String, Object>> deferred = rowResults(failing, "deferred");
        assertEquals(ofTheFailedBatch, deferred.stream().map(r -> (String) r.get("identifier_value"))
                .collect(Collectors.toCollection(TreeSet::new)));
        for (Map<String, Object> row : deferred) {
            assertTrue(String.valueOf(row.get("reason")).startsWith("not delivered: "), row.toString());
        }
        Set<String> inKlaviyo = e2e.klaviyo().events().stream().map(StoredEvent::uniqueId).collect(Collectors.toSet());
        assertEquals(2 * ORDERS - PER_BATCH, inKlaviyo.size());
        for (String id : ofTheFailedBatch) {
            assertFalse(inKlaviyo.contains(id), id);
        }

        // the cursor did not move past them: the next run reads that run's rows again and sends only them
        e2e.klaviyo().faults().clear();
        assertCounts(run(), ORDERS, PER_BATCH, ORDERS - PER_BATCH, 0);
        assertEquals(2 * ORDERS, e2e.klaviyo().events().size());
        assertEquals(0, e2e.klaviyo().ignoredEvents());
        assertCounts(run(), 0, 0, 0, 0);
    }

    @Test
    void klaviyoGoingDownMidRunDefersEveryEventNotAcknowledged() throws Exception {
        e2e.cli().env("KLAVIYO_OUTAGE_FAILURES", "2");
        e2e.klaviyo().faults().onlyForPathsStartingWith(EVENTS).delayBetween(Duration.ofMillis(10),
                Duration.ofMillis(100)).serverErrorsOnRequests(8, Integer.MAX_VALUE, 503);
        CliHarness.Result r = e2e.cli().run("run", "--json", "orders");
        JsonNode run = JSON.readTree(r.out().strip());
        assertEquals("failed", run.get("status").asText(), r.out() + r.err());
        long sent = run.get("sent").asLong();
        long deferred = run.get("deferred").asLong();
        assertEquals(ORDERS, run.get("read").asLong(), run.toString());
        assertEquals(ORDERS, sent + deferred, "every event sent or deferred: " + run);
        assertEquals(7 * PER_BATCH, sent, run.toString());
        // the deferred events are exactly those Klaviyo does not hold
        Set<String> inKlaviyo = e2e.klaviyo().events().stream().map(StoredEvent::uniqueId).collect(Collectors.toSet());
        assertEquals(sent, inKlaviyo.size());
        Set<String> deferredRows = new HashSet<>();
        rowResults(run, "deferred").forEach(row -> deferredRows.add((String) row.get("identifier_value")));
        assertEquals(deferred, deferredRows.size());
        for (int seq = 1; seq <= ORDERS; seq++) {
            String id = "o-" + seq;
            assertTrue(inKlaviyo.contains(id) != deferredRows.contains(id), id + " is sent or deferred, not both");
        }

        e2e.klaviyo().faults().clear();
        assertCounts(run(), ORDERS, ORDERS - sent, sent, 0);
        assertEquals(ORDERS, e2e.klaviyo().events().size());
    }

    private JsonNode run() throws Exception {
        CliHarness.Result r = e2e.cli().run("run", "--json", "orders");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        JsonNode run = JSON.readTree(r.out().strip());
        assertEquals(run.get("read").asLong(), run.get("sent").asLong() + run.get("unchanged").asLong()
                + run.get("invalid").asLong() + run.get("rejected").asLong() + run.get("deferred").asLong(),
                "counts reconcile: " + run);
        return run;
    }

    private static void assertCounts(JsonNode run, long read, long sent, long unchanged, long deferred) {
        String all = run.toString();
        assertEquals("completed", run.get("status").asText(), all);
        assertEquals(read, run.get("read").asLong(), all);
        assertEquals(sent, run.get("sent").asLong(), all);
        assertEquals(unchanged, run.get("unchanged").asLong(), all);
        assertEquals(deferred, run.get("deferred").asLong(), all);
    }

    private static List<RecordedRequest> posts(int from) {
        List<RecordedRequest> all = e2e.klaviyo().requests();
        return all.subList(from, all.size()).stream()
                .filter(r -> r.method().equals("POST") && r.path().equals(EVENTS)).toList();
    }

    private static List<String> eventIds(RecordedRequest post) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode e : JSON.readTree(post.body()).at("/data/attributes/events-bulk-create/data")) {
            ids.add(e.at("/attributes/events/data/0/attributes/unique_id").asText());
        }
        return ids;
    }

    private static List<Integer> seqs(RecordedRequest post) throws Exception {
        return eventIds(post).stream().map(id -> Integer.parseInt(id.substring(2))).toList();
    }

    private static List<Map<String, Object>> rowResults(JsonNode run, String outcome) throws Exception {
        return CoreSyncEndToEndTest.rows(e2e.warehouse(), "select identifier_value, reason from klaviyo_sync.row_results"
                + " where run_id = " + run.get("runId").asLong() + " and outcome = '" + outcome + "'");
    }
}
