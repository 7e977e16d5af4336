package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.standin.EventBulkCreateResource.StoredEvent;
import org.klaviyosync.standin.KlaviyoStandIn;

/**
 * Event syncs (routes/klaviyo-event-sync.yaml) through the real path: an orders table in PostgreSQL,
 * the CLI, and the stand-in's {@code POST /api/event-bulk-create-jobs} over HTTP. Events are
 * append-only: an acknowledged event id is never sent again, a changed event under it is reported
 * as ignored, duplicates in one run are invalid, and Klaviyo's refusals are rejections.
 */
class EventSyncEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVENTS = "/api/event-bulk-create-jobs";
    private static final int ORDERS = 40;

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.freshWarehouseForEachTest();

    @BeforeEach
    void setUp() throws Exception {
        e2e.warehouse().execute("create table orders (order_id text, customer_id text, phone text,"
                + " ordered_at timestamptz, total numeric(12,2), sku text, note text)",
                "insert into orders select 'o-' || g, 'c-' || (g % 7), '+1415555' || lpad(g::text, 4, '0'),"
                        + " timestamptz '2025-03-01 10:00:00+00' + g * interval '1 hour', 10 + g, 'SKU-' || (g % 3),"
                        + " null from generate_series(1, " + ORDERS + ") g");
    }

    private void ordersSync(String... more) throws Exception {
        List<String> p = new ArrayList<>(List.of("model", "select order_id, customer_id, ordered_at, total, sku, note"
                + " from orders", "metric", "Placed Order", "identifier", "external_id", "identifierColumn",
                "customer_id", "eventIdColumn", "order_id", "timeColumn", "ordered_at", "valueColumn", "total",
                "properties", "*"));
        p.addAll(List.of(more));
        e2e.cli().eventSync("orders", p.toArray(new String[0]));
    }

    @Test
    void anEventSyncSendsEachEventOnceAndASecondRunResendsNothing() throws Exception {
        ordersSync();
        JsonNode first = run("run", "--json", "orders");
        assertCounts(first, ORDERS, ORDERS, 0, 0, 0);
        List<StoredEvent> events = e2e.klaviyo().events();
        assertEquals(ORDERS, events.size());
        StoredEvent o5 = byId(events).get("o-5");
        assertEquals("Placed Order", o5.metric());
        assertTrue(o5.profileKey().endsWith("|c-5"), o5.profileKey());
        assertEquals("2025-03-01T15:00:00Z", o5.time());
        assertEquals(15.0, o5.value().asDouble());
        assertEquals("SKU-2", o5.properties().get("sku").asText());
        // the identifier, event id, time and value columns are not properties; NULLs are left out
        assertEquals(Set.of("sku"), fieldNames(o5.properties()));
        // 40 events in one request: Klaviyo takes 1,000
        assertEquals(1, posts(0));

        int before = e2e.klaviyo().requests().size();
        assertCounts(run("run", "--json", "orders"), ORDERS, 0, ORDERS, 0, 0);
        assertEquals(0, posts(before), "a second run sends no event");
        assertCounts(run("run", "--json", "--full", "orders"), ORDERS, 0, ORDERS, 0, 0);
        assertEquals(0, posts(before), "--full does not resend events either");

        e2e.warehouse().execute("insert into orders values ('o-new', 'c-1', null, now(), 99, 'SKU-9', null)");
        assertCounts(run("run", "--json", "orders"), ORDERS + 1, 1, ORDERS, 0, 0);
        assertEquals(ORDERS + 1, e2e.klaviyo().events().size());
        assertEquals(0, e2e.klaviyo().ignoredEvents());
    }

    @Test
    void duplicateEventIdsInOneRunAreAllInvalidAndTheOthersAreSent() throws Exception {
        e2e.warehouse().execute("update orders set order_id = 'o-dup' where order_id in ('o-3', 'o-9')");
        ordersSync();
        JsonNode r = run("run", "--json", "orders");
        assertCounts(r, ORDERS, ORDERS - 2, 0, 2, 0);
        assertFalse(byId(e2e.klaviyo().events()).containsKey("o-dup"));
        List<JsonNode> rows = lines(e2e.cli().run("rejections", "orders", "--json").out());
        assertEquals(2, rows.size());
        for (JsonNode row : rows) {
            assertEquals("o-dup", row.get("identifier").asText());
            assertEquals("order_id", row.get("field").asText());
            assertTrue(row.get("reason").asText().startsWith("sync 'orders' row 'o-dup' field 'order_id': duplicate"
                    + " event id: 2 rows of the model have event id 'o-dup'"), row.toString());
        }
    }

    @Test
    void anEventKlaviyoRejectsIsRejectedWithItsReasonTheRestSentAndItIsNotSentAgainUnchanged() throws Exception {
        // E.164 in shape, so it passes the sync's own checks, but not a number Klaviyo accepts
        e2e.warehouse().execute("update orders set phone = '+331555010001' where order_id = 'o-4'");
        e2e.cli().eventSync("orders", "model", "select order_id, phone, sku from orders", "metric", "Placed Order",
                "identifier", "phone_number", "identifierColumn", "phone", "eventIdColumn", "order_id",
                "properties", "sku=sku");
        assertCounts(run("run", "--json", "orders"), ORDERS, ORDERS - 1, 0, 0, 1);
        assertFalse(byId(e2e.klaviyo().events()).containsKey("o-4"));
        JsonNode rejected = lines(e2e.cli().run("rejections", "orders", "--json").out()).get(0);
        assertEquals("o-4", rejected.get("identifier").asText());
        assertEquals("rejected", rejected.get("outcome").asText());
        assertEquals("invalid", rejected.get("code").asText());
        assertTrue(rejected.get("detail").asText().contains("phone_number"), rejected.toString());
        assertTrue(rejected.get("reason").asText().startsWith("sync 'orders' row 'o-4': Klaviyo rejected the event"),
                rejected.toString());

        int before = e2e.klaviyo().requests().size();
        assertCounts(run("run", "--json", "orders"), ORDERS, 0, ORDERS - 1, 0, 1);
        assertEquals(0, posts(before), "the same rejected event is not sent again");

        // replay sends it again, and Klaviyo refuses it again
        CliHarness.Result replay = e2e.cli().run("replay", "orders", "--json");
        assertEquals(1, posts(before), replay.out() + replay.err());
        assertEquals(1, JSON.readTree(replay.out().strip().lines().reduce((a, b) -> b).orElseThrow())
                .get("rejected").asLong(), replay.out());
    }

    @Test
    void aChangedEventUnderASentIdIsReportedAsIgnoredAndNotSent() throws Exception {
        ordersSync();
        run("run", "--json", "orders");
        e2e.warehouse().execute("update orders set total = 1000 where order_id = 'o-3'");
        int before = e2e.klaviyo().requests().size();
        JsonNode second = run("run", "--json", "orders");
        assertCounts(second, ORDERS, 0, ORDERS - 1, 1, 0);
        assertEquals(0, posts(before), "the changed event is not sent");
        assertEquals(13.0, byId(e2e.klaviyo().events()).get("o-3").value().asDouble(), "Klaviyo keeps the first");
        JsonNode row = lines(e2e.cli().run("rejections", "orders", "--json").out()).get(0);
        assertEquals("o-3", row.get("identifier").asText());
        assertEquals("ignored", row.get("code").asText());
        assertEquals("order_id", row.get("field").asText());
        assertTrue(row.get("reason").asText().startsWith("sync 'orders' row 'o-3' field 'order_id': ignored: the"
                + " event changed since Klaviyo acknowledged event id 'o-3' in run " + first(e2e) + ";"),
                row.toString());
    }

    @Test
    void eventsKlaviyoWouldRefuseAreInvalidBeforeSendingNamingSyncRowAndField() throws Exception {
        e2e.warehouse().execute(
                "update orders set customer_id = null where order_id = 'o-1'",
                "update orders set order_id = null where order_id = 'o-2'",
                "update orders set ordered_at = timestamptz '1999-12-31 23:00:00+00' where order_id = 'o-3'",
                "update orders set ordered_at = now() + interval '400 days' where order_id = 'o-4'",
                "update orders set note = repeat('x', 100001) where order_id = 'o-5'");
        ordersSync();
        assertCounts(run("run", "--json", "orders"), ORDERS, ORDERS - 5, 0, 5, 0);
        Map<String, JsonNode> byKey = new TreeMap<>();
        for (JsonNode row : lines(e2e.cli().run("rejections", "orders", "--json").out())) {
            byKey.put(row.get("identifier").isNull() ? "(none)" : row.get("identifier").asText(), row);
        }
        assertTrue(byKey.get("o-1").get("reason").asText().startsWith("sync 'orders' row 'o-1' field 'customer_id':"
                + " missing profile identifier"), byKey.toString());
        assertTrue(byKey.get("(none)").get("reason").asText().startsWith("sync 'orders' row without identifier field"
                + " 'order_id': missing event id"), byKey.toString());
        assertTrue(byKey.get("o-3").get("reason").asText().startsWith("sync 'orders' row 'o-3' field 'ordered_at':"
                + " time 1999-12-31T23:00:00Z is outside what Klaviyo accepts"), byKey.toString());
        assertTrue(byKey.get("o-4").get("reason").asText().contains("field 'ordered_at': time "), byKey.toString());
        assertTrue(byKey.get("o-5").get("reason").asText().startsWith("sync 'orders' row 'o-5' field 'note':"
                + " oversize properties: property 'note'"), byKey.toString());
        assertEquals(ORDERS - 5, e2e.klaviyo().events().size());
    }

    @Test
    void aRequestKlaviyoFindsTooLargeIsHalvedUntilItFits() throws Exception {
        // nine texts just under Klaviyo's 100 KB each make an event of about 900 KB; five fit the client's
        // 5 MB request limit, and a Klaviyo that counts 3 MB as too large answers those five with 413
        StringBuilder columns = new StringBuilder();
        for (int i = 1; i <= 9; i++) {
            columns.append(", repeat('x', 99000) as t").append(i);
        }
        e2e.klaviyo().limitRequestBytes(EVENTS, 3_000_000);
        e2e.cli().eventSync("big", "model", "select order_id, customer_id" + columns + " from orders where order_id in"
                + " ('o-1', 'o-2', 'o-3', 'o-4', 'o-5', 'o-6', 'o-7')", "metric", "Big", "identifier", "external_id",
                "identifierColumn", "customer_id", "eventIdColumn", "order_id", "properties", "*");
        assertCounts(run("run", "--json", "big"), 7, 7, 0, 0, 0);
        List<Integer> statuses = e2e.klaviyo().requests().stream().filter(r -> r.path().equals(EVENTS))
                .map(r -> r.responseStatus()).toList();
        // 5 events of about 900 KB are refused; 2 and 3 of them fit, then the last 2
        assertEquals(List.of(413, 202, 202, 202), statuses);
        assertEquals(7, e2e.klaviyo().events().size());
    }

    @Test
    void aDryRunWritesTheRequestsItWouldSendAndSendsNothing() throws Exception {
        ordersSync();
        e2e.cli().env("KLAVIYO_API_KEY", null);
        CliHarness.Result r = e2e.cli().run("run", "orders");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("orders: " + ORDERS + " event(s) would be sent; the requests are in "), r.out());
        assertTrue(r.out().contains("events:write"), r.out());
        Path file = Path.of(r.out().replaceAll("(?s).*the requests are in (\\S+)\n.*", "$1"));
        List<String> lines = Files.readAllLines(file);
        assertEquals(1, lines.size());
        JsonNode line = JSON.readTree(lines.get(0));
        assertEquals("POST /api/event-bulk-create-jobs", line.get("endpoint").asText());
        assertEquals(ORDERS, line.at("/request/data/attributes/events-bulk-create/data").size());
        assertEquals("o-1", line.at("/request/data/attributes/events-bulk-create/data/0/attributes/events/data/0"
                + "/attributes/unique_id").asText());
        assertTrue(e2e.klaviyo().requests().isEmpty());
        // a dry run stores nothing: the next dry run would send the same events
        JsonNode again = run("run", "--json", "orders");
        assertEquals(ORDERS, again.get("wouldSend").asLong(), again.toString());
    }

    @Test
    void theReadmesFirstCommandDryRunsTheSampleEventSyncOverTheDemoOrders() throws Exception {
        // `java -jar target/klaviyo-sync.jar run`: the shipped sync files, the embedded demo warehouse, no key
        e2e.cli().env("SYNCS_DIR", Path.of("routes/syncs").toAbsolutePath().toString())
                .env("WAREHOUSE_JDBC_URL", null).env("KLAVIYO_API_KEY", null)
                .env("EMBEDDED_DATA_DIR", e2e.work().resolve("pg").toString());
        CliHarness.Result r = e2e.cli().run("run", "--json");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        JsonNode orders = null;
        for (JsonNode summary : lines(r.out())) {
            if (summary.get("sync").asText().equals("orders-placed")) {
                orders = summary;
            }
        }
        assertTrue(orders != null, "the sample event sync ran: " + r.out());
        assertEquals("dry_run", orders.get("status").asText(), orders.toString());
        assertEquals(0, orders.get("sent").asLong(), orders.toString());
        assertTrue(orders.get("wouldSend").asLong() > 1000, orders.toString());
        assertTrue(orders.get("invalid").asLong() > 0, "demo orders placed before 2000 are invalid: " + orders);
        assertEquals(orders.get("read").asLong(), orders.get("wouldSend").asLong() + orders.get("invalid").asLong(),
                orders.toString());
        assertTrue(e2e.klaviyo().requests().isEmpty());

        long events = 0;
        for (JsonNode line : lines(Files.readString(Path.of(orders.get("dryRunFile").asText())))) {
            assertEquals("POST /api/event-bulk-create-jobs", line.get("endpoint").asText());
            JsonNode first = line.at("/request/data/attributes/events-bulk-create/data/0/attributes/events/data/0");
            assertEquals("Placed Order", first.at("/attributes/metric/data/attributes/name").asText(), line.toString());
            events += line.at("/request/data/attributes/events-bulk-create/data").size();
        }
        assertEquals(orders.get("wouldSend").asLong(), events);
    }

    @Test
    void startUpNamesEveryProblemOfAnEventSyncFile() throws Exception {
        e2e.cli().eventSync("orders", "model", "select order_id, customer_id from orders", "identifier", "external_id",
                "identifierColumn", "customer_id", "timeColumn", "", "properties", "*", "lists", "L");
        e2e.cli().eventSync("both", "model", "select order_id, customer_id from orders", "metric", "A", "metricColumn",
                "sku", "identifier", "customer", "identifierColumn", "customer_id", "eventIdColumn", "order_id",
                "properties", "*");
        CliHarness.Result r = e2e.cli().run("check");
        assertEquals(2, r.exitCode(), r.out() + r.err());
        String e = r.err();
        assertTrue(e.contains("orders.yaml: unknown parameter 'lists'; the parameters of klaviyo-event-sync are syncId,"
                + " model, schedule, metric, metricColumn, identifier, identifierColumn, eventIdColumn"), e);
        assertTrue(e.contains("orders.yaml: parameter 'eventIdColumn' is required; name the model column holding each"
                + " event's unique id"), e);
        assertTrue(e.contains("orders.yaml: parameter 'timeColumn' is empty"), e);
        assertTrue(e.contains("orders.yaml: neither 'metric' nor 'metricColumn' is set"), e);
        assertTrue(e.contains("both.yaml: both 'metric' and 'metricColumn' are set"), e);
        assertTrue(e.contains("both.yaml: parameter 'identifier' 'customer' is not a Klaviyo identifier"), e);

        e2e.cli().eventSync("orders", "model", "select order_id, customer_id from orders", "metric", "Placed Order",
                "identifier", "external_id", "identifierColumn", "customer_id", "eventIdColumn", "id",
                "valueColumn", "total", "properties", "*");
        java.nio.file.Files.delete(e2e.cli().syncsDir().resolve("both.yaml"));
        CliHarness.Result columns = e2e.cli().run("check");
        assertEquals(2, columns.exitCode(), columns.out() + columns.err());
        assertTrue(columns.err().contains("parameter 'eventIdColumn' names column 'id', which the model does not"
                + " return"), columns.err());
        assertTrue(columns.err().contains("parameter 'valueColumn' names column 'total'"), columns.err());
    }

    @Test
    void withACursorARunReadsOnlyRowsPastTheLastCompletedRunAndPicksUpLateRows() throws Exception {
        e2e.warehouse().execute("alter table orders add column seq bigserial",
                "create index orders_seq on orders (seq)");
        e2e.cli().env("KLAVIYO_RETRY_MAX_ATTEMPTS", "1").env("KLAVIYO_RETRY_BASE_DELAY_MS", "10");
        String[] sync = {"model", "select seq, order_id, customer_id, sku from orders", "metric", "Placed Order",
            "identifier", "external_id", "identifierColumn", "customer_id", "eventIdColumn", "order_id", "properties", "*"};
        e2e.cli().eventSync("orders", sync);
        assertCounts(run("run", "--json", "orders"), ORDERS, ORDERS, 0, 0, 0);
        // adding a cursor to the sync changes none of its events: the first run with it reads them all, unchanged
        List<String> withCursor = new ArrayList<>(List.of(sync));
        withCursor.addAll(List.of("cursorColumn", "seq"));
        e2e.cli().eventSync("orders", withCursor.toArray(new String[0]));
        assertCounts(run("run", "--json", "orders"), ORDERS, 0, ORDERS, 0, 0);
        // the cursor column stays a property, so adding a cursor to a sync does not change its events
        assertEquals(Set.of("seq", "sku"), fieldNames(byId(e2e.klaviyo().events()).get("o-1").properties()));
        // nothing new: the model is asked only for rows past the cursor, so none is even read
        assertCounts(run("run", "--json", "orders"), 0, 0, 0, 0, 0);

        e2e.warehouse().execute("insert into orders (order_id, customer_id, sku) values ('o-late-1', 'c-1', 'S'),"
                + " ('o-late-2', 'c-2', 'S')");
        assertCounts(run("run", "--json", "orders"), 2, 2, 0, 0, 0);
        assertEquals(ORDERS + 2, e2e.klaviyo().events().size());

        // a run that defers rows does not move the cursor: the next run reads them again
        e2e.warehouse().execute("insert into orders (order_id, customer_id, sku) values ('o-late-3', 'c-3', 'S')");
        e2e.klaviyo().faults().onlyForPathsStartingWith(EVENTS).serverErrors(1.0, 503);
        JsonNode failed = JSON.readTree(e2e.cli().run("run", "--json", "orders").out().strip());
        assertEquals(1, failed.get("read").asLong(), failed.toString());
        assertEquals(1, failed.get("deferred").asLong(), failed.toString());
        e2e.klaviyo().faults().clear();
        assertCounts(run("run", "--json", "orders"), 1, 1, 0, 0, 0);
        assertEquals(ORDERS + 3, e2e.klaviyo().events().size());
        assertCounts(run("run", "--json", "orders"), 0, 0, 0, 0, 0);
    }

    @Test
    void checkAndPreviewRecapTheEventSyncAndCheckNamesTheMissingEventsScope() throws Exception {
        ordersSync();
        CliHarness.Result ok = e2e.cli().run("check");
        assertEquals(0, ok.exitCode(), ok.out() + ok.err());
        assertTrue(ok.out().contains("Destination:  Klaviyo Event (POST /api/event-bulk-create-jobs)"), ok.out());
        assertTrue(ok.out().contains("Event id:     column order_id"), ok.out());
        assertTrue(ok.out().contains("lists:write and events:write"), ok.out());
        CliHarness.Result preview = e2e.cli().run("preview", "orders", "--limit", "1");
        assertEquals(0, preview.exitCode(), preview.err());
        assertTrue(preview.out().contains("Row 1  order_id=o-1  VALID"), preview.out());
        assertTrue(preview.out().contains("\"unique_id\":\"o-1\",\"metric\":{\"data\":{\"type\":\"metric\","
                + "\"attributes\":{\"name\":\"Placed Order\"}}}"), preview.out());
        assertFalse(preview.out().contains("lists:"), preview.out());

        e2e.klaviyo().addKey("pk_no_events", Set.of(KlaviyoStandIn.PROFILES_READ, KlaviyoStandIn.PROFILES_WRITE,
                KlaviyoStandIn.LISTS_READ, KlaviyoStandIn.LISTS_WRITE));
        e2e.cli().env("KLAVIYO_API_KEY", "pk_no_events");
        CliHarness.Result lacking = e2e.cli().run("check");
        assertEquals(1, lacking.exitCode(), lacking.out());
        assertTrue(lacking.out().contains("KLAVIYO_API_KEY lacks the scope events:write"), lacking.out());
    }

    private static long first(SyncTestEnvironment env) throws Exception {
        JsonNode history = JSON.readTree(env.cli().run("history", "orders", "--json", "--limit", "3").out()
                .strip().lines().reduce((a, b) -> b).orElseThrow());
        return history.get("runId").asLong();
    }

    private int posts(int from) {
        var all = e2e.klaviyo().requests();
        return (int) all.subList(from, all.size()).stream()
                .filter(r -> r.method().equals("POST") && r.path().equals(EVENTS)).count();
    }

    private static Map<String, StoredEvent> byId(List<StoredEvent> events) {
        Map<String, StoredEvent> out = new TreeMap<>();
        events.forEach(e -> out.put(e.uniqueId(), e));
        return out;
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private JsonNode run(String... args) throws Exception {
        CliHarness.Result r = e2e.cli().run(args);
        assertEquals(0, r.exitCode(), r.out() + r.err());
        return JSON.readTree(r.out().strip());
    }

    private static void assertCounts(JsonNode run, long read, long sent, long unchanged, long invalid, long rejected) {
        String all = run.toString();
        assertEquals("completed", run.get("status").asText(), all);
        assertEquals(read, run.get("read").asLong(), all);
        assertEquals(sent, run.get("sent").asLong(), all);
        assertEquals(unchanged, run.get("unchanged").asLong(), all);
        assertEquals(invalid, run.get("invalid").asLong(), all);
        assertEquals(rejected, run.get("rejected").asLong(), all);
        assertEquals(0, run.get("deferred").asLong(), all);
    }

    private static List<JsonNode> lines(String out) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            if (!line.isBlank()) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }
}
