package org.klaviyosync.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.e2e.SyncTestEnvironment;
import org.klaviyosync.klaviyo.RateLimit;
import org.klaviyosync.warehouse.DemoOrders;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Hawtio 4 against the management port: the JSON bodies a real Hawtio 4.2.0 posted to
 * /observe/jolokia (recorded by bench/hawtio-check.sh while it connected, listed the routes,
 * opened a sync's route diagram and ran, paused, resumed and started the sync from the
 * Operations tab) are replayed exactly, and the access policy refuses everything else.
 */
class HawtioJolokiaTest {

    private static final String SYNC = "customers-by-external-id";
    private static final String EVENT_SYNC = "orders-placed";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.withDemoCustomers(200).jobPollsUntilComplete(1);

    /** The sample event sync reads the demo orders. */
    @BeforeAll
    static void orders() throws Exception {
        DemoOrders.ensure(e2e.warehouse().dataSource(), 200);
    }

    private ServiceHarness start() throws Exception {
        return ServiceHarness.start(e2e.work(), Map.of("WAREHOUSE_JDBC_URL", e2e.warehouse().jdbcUrl(),
                "KLAVIYO_API_KEY", e2e.klaviyo().apiKey(), "KLAVIYO_BASE_URL", e2e.klaviyo().baseUrl()),
                SYNC + ".yaml", "active-customers-by-email.yaml", EVENT_SYNC + ".yaml");
    }

    private static List<JsonNode> recordedRequests() throws Exception {
        try (InputStream in = HawtioJolokiaTest.class.getResourceAsStream("/hawtio/jolokia-requests.json")) {
            assertNotNull(in, "the recorded Hawtio requests");
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(in).forEach(out::add);
            return out;
        }
    }

    @Test
    void theRequestsARealHawtioSentGetTheDiagramsAndRunPauseResumeAndStartTheSync() throws Exception {
        List<JsonNode> requests = recordedRequests();
        try (ServiceHarness service = start()) {
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            ObjectName mbean = SyncControl.objectName(SYNC);
            Map<String, Integer> seen = new java.util.TreeMap<>();
            long ranRun = 0;
            for (JsonNode recorded : requests) {
                JsonNode request = recorded.path("body");
                ServiceHarness.Answer http = service.post("/observe/jolokia" + recorded.path("query").asText(),
                        JSON.writeValueAsString(request));
                assertEquals(200, http.status(), request + " -> " + http.body());
                JsonNode answer = JSON.readTree(http.body());
                Iterator<JsonNode> answers = answer.isArray() ? answer.elements() : List.of(answer).iterator();
                Iterator<JsonNode> asked = request.isArray() ? request.elements() : List.of(request).iterator();
                while (answers.hasNext()) {
                    JsonNode a = answers.next();
                    JsonNode q = asked.next();
                    String what = q.path("type").asText() + " " + q.path("operation").asText(q.path("path").asText());
                    // Hawtio looks for its own RBAC MBean, which only a Hawtio agent registers
                    boolean hawtioRbac = q.path("path").asText().startsWith("hawtio/");
                    assertEquals(hawtioRbac ? 404 : 200, a.path("status").asInt(), q + " -> " + a);
                    seen.merge(what.trim(), 1, Integer::sum);
                    String operation = q.path("operation").asText();
                    JsonNode value = a.path("value");
                    switch (operation) {
                        case "dumpRoutesAsXml()" -> assertEveryStepOfTheSyncIsDescribed(value.asText());
                        case "dumpRoutesStatsAsXml" -> assertTrue(value.asText().contains("<camelContextStat"), a.toString());
                        case "dumpRouteStatsAsXml" -> {
                            assertTrue(value.asText().contains("<routeStat id=\"" + SYNC + "\""), a.toString());
                            assertTrue(value.asText().contains("<processorStat id=\"open-the-run\"")
                                    || value.asText().contains("open-the-run"), "statistics per named step: " + a);
                        }
                        case "runNow()" -> {
                            assertTrue(value.asText().contains(" completed in "), a.toString());
                            ranRun = (Long) jmx.getAttribute(mbean, "LastRunId");
                            assertTrue(value.asText().startsWith("run " + ranRun + " "), a.toString());
                            assertEquals(200L, jmx.getAttribute(mbean, "LastRunRead"));
                            assertTrue((Long) jmx.getAttribute(mbean, "LastRunSent") > 0);
                        }
                        case "pause()" -> assertEquals(Boolean.TRUE, jmx.getAttribute(mbean, "Paused"));
                        case "resume()" -> assertEquals(Boolean.FALSE, jmx.getAttribute(mbean, "Paused"));
                        case "startRun()" -> {
                            long started = value.asLong();
                            assertTrue(ranRun > 0 && started > ranRun, "startRun answers with the new run's id: " + a);
                            awaitRunEnded(jmx, mbean, started);
                        }
                        default -> {
                        }
                    }
                    if ("list".equals(q.path("type").asText()) && !hawtioRbac) {
                        assertTheSyncMBeanIsDescribed(value);
                    }
                }
            }
            for (String expected : List.of("exec dumpRoutesAsXml()", "exec dumpRoutesStatsAsXml",
                    "exec dumpRouteStatsAsXml", "exec runNow()", "exec pause()", "exec resume()", "exec startRun()",
                    "list", "version")) {
                assertTrue(seen.containsKey(expected), "the recording has " + expected + ": " + seen);
            }
        }
    }

    @Test
    void theAccessPolicyRefusesEverythingHawtioDoesNotNeed() throws Exception {
        try (ServiceHarness service = start()) {
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            String context = quoted(jmx.queryNames(new ObjectName("org.apache.camel:type=context,*"), null)
                    .iterator().next());
            String route = quoted(new ObjectName("org.apache.camel:context=klaviyo-sync,type=routes,name=\"" + SYNC
                    + "\""));
            String sync = quoted(SyncControl.objectName(SYNC));
            List<String> refused = List.of(
                    exec(context, "stop()"), exec(context, "stop"), exec(context, "suspend()"),
                    exec(context, "shutdown()"),
                    exec(context, "dumpRoutesAsXml(boolean)", "true"),
                    exec(context, "dumpRoutesAsXml"),
                    exec(context, "updateRoutesFromXml(java.lang.String)", "\"<routes/>\""),
                    exec(context, "updateRoutesFromXml", "\"<routes/>\""),
                    exec(context, "sendBody(java.lang.String,java.lang.Object)", "\"direct:klaviyo-api\"", "\"x\""),
                    exec(route, "stop()"), exec(route, "stop"), exec(route, "remove()"),
                    exec(route, "updateRouteFromXml(java.lang.String)", "\"<route/>\""),
                    exec(route, "updateRouteFromXml", "\"<route/>\""),
                    exec("java.lang:type=Memory", "gc()"), exec("java.lang:type=Memory", "gc"),
                    exec("com.sun.management:type=HotSpotDiagnostic", "dumpHeap(java.lang.String,boolean)",
                            "\"" + e2e.work().resolve("heap.hprof") + "\"", "true"),
                    exec("com.sun.management:type=HotSpotDiagnostic", "dumpHeap",
                            "\"" + e2e.work().resolve("heap.hprof") + "\"", "true"),
                    exec("jolokia:type=Config", "resetHistoryEntries()"),
                    "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}",
                    "{\"type\":\"write\",\"mbean\":\"" + route + "\",\"attribute\":\"Description\",\"value\":\"x\"}",
                    "{\"type\":\"write\",\"mbean\":\"" + sync + "\",\"attribute\":\"LastRunStatus\",\"value\":\"x\"}");
            for (String request : refused) {
                ServiceHarness.Answer http = service.post("/observe/jolokia", request);
                JsonNode answer = JSON.readTree(http.body());
                assertEquals(403, answer.path("status").asInt(), request + " -> " + answer);
            }
            assertFalse(e2e.work().resolve("heap.hprof").toFile().exists());
            assertEquals("Started", jmx.getAttribute(new ObjectName(route.replace("\\\"", "\"")), "State"));
            // and both spellings of what the sync MBeans allow do work
            for (String op : List.of("pause", "resume()")) {
                JsonNode answer = JSON.readTree(service.post("/observe/jolokia", exec(sync, op)).body());
                assertEquals(200, answer.path("status").asInt(), op + " -> " + answer);
            }
        }
    }

    @Test
    void startRunAnswersAtOnceAndTheRunInProgressShowsInTheCurrentRunAttributes() throws Exception {
        e2e.klaviyo().setJobCompletionDelayMillis(3000); // every bulk job takes a few seconds to finish
        try (ServiceHarness service = start()) {
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            ObjectName mbean = SyncControl.objectName(SYNC);
            assertEquals(0L, jmx.getAttribute(mbean, "CurrentRunId"));
            long runId = (Long) jmx.invoke(mbean, "startRun", new Object[0], new String[0]);
            assertTrue(runId > 0);
            // answered before the run ended: it waits for its jobs
            assertEquals(runId, jmx.getAttribute(mbean, "CurrentRunId"));
            assertEquals(0L, jmx.getAttribute(mbean, "LastRunId"));
            assertFalse(((String) jmx.getAttribute(mbean, "CurrentRunStartedAt")).isEmpty());
            long deadline = System.currentTimeMillis() + 60_000;
            while ((Long) jmx.getAttribute(mbean, "CurrentRunRead") < 200
                    || (Long) jmx.getAttribute(mbean, "CurrentRunJobsPending") == 0) {
                assertTrue(System.currentTimeMillis() < deadline, "the run never showed its pending jobs");
                Thread.sleep(20);
            }
            assertTrue((Long) jmx.getAttribute(mbean, "CurrentRunInFlight") > 0, "rows wait for their jobs");
            assertEquals(0L, jmx.getAttribute(mbean, "CurrentRunSent"), "nothing acknowledged yet");
            String busy = JSON.readTree(service.post("/observe/jolokia", exec(quoted(mbean), "startRun()")).body())
                    .toString();
            assertTrue(busy.contains("already running (run " + runId + ")"), busy);

            awaitRunEnded(jmx, mbean, runId);
            assertEquals(runId, jmx.getAttribute(mbean, "LastRunId"));
            assertTrue((Long) jmx.getAttribute(mbean, "LastRunSent") > 0);
            assertEquals(0L, jmx.getAttribute(mbean, "CurrentRunRead"));
        }
    }

    @Test
    void aDryRunShowsTheRowsItWouldSendOnTheMBean() throws Exception {
        try (ServiceHarness service = ServiceHarness.start(e2e.work(),
                Map.of("WAREHOUSE_JDBC_URL", e2e.warehouse().jdbcUrl()), SYNC + ".yaml")) {
            String mbean = quoted(SyncControl.objectName(SYNC));
            JsonNode ran = JSON.readTree(service.post("/observe/jolokia", exec(mbean, "runNow()")).body());
            assertTrue(ran.path("value").asText().contains(" dry_run in "), ran.toString());
            JsonNode read = JSON.readTree(service.post("/observe/jolokia",
                    "{\"type\":\"read\",\"mbean\":\"" + mbean + "\"}").body()).path("value");
            assertEquals(0, read.path("LastRunDeferred").asLong(), read.toString());
            assertEquals(0, read.path("LastRunSent").asLong(), read.toString());
            long wouldSend = read.path("LastRunWouldSend").asLong();
            assertTrue(wouldSend > 0, read.toString());
            assertEquals(200, wouldSend + read.path("LastRunInvalid").asLong() + read.path("LastRunUnchanged").asLong()
                    + read.path("LastRunRejected").asLong(), read.toString());
            assertTrue(ran.path("value").asText().contains(" wouldSend=" + wouldSend), ran.toString());
        }
    }

    private static void awaitRunEnded(MBeanServer jmx, ObjectName mbean, long runId) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while ((Long) jmx.getAttribute(mbean, "LastRunId") < runId) {
            assertTrue(System.currentTimeMillis() < deadline, "run " + runId + " did not end");
            Thread.sleep(50);
        }
        assertEquals("completed", jmx.getAttribute(mbean, "LastRunStatus"));
        assertEquals(0L, jmx.getAttribute(mbean, "CurrentRunId"));
    }

    /**
     * Every step of the routes carries a description, and its id is marked as given by hand
     * ({@code customId="true"}): Hawtio's diagram labels a box with the step's id only then, so the
     * diagram of a sync reads as the pipeline.
     */
    private static void assertEveryStepOfTheSyncIsDescribed(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        NodeList routes = doc.getElementsByTagName("route");
        int routesChecked = 0;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < routes.getLength(); i++) {
            Element route = (Element) routes.item(i);
            ids.add(route.getAttribute("id"));
            List<String> undescribed = new ArrayList<>();
            List<String> unlabelled = new ArrayList<>();
            int steps = undescribedSteps(route, undescribed, unlabelled);
            assertTrue(undescribed.isEmpty(), "route " + route.getAttribute("id") + " has steps without a description: "
                    + undescribed);
            assertTrue(unlabelled.isEmpty(), "route " + route.getAttribute("id")
                    + " has steps Hawtio would not label with their id (no customId=\"true\"): " + unlabelled);
            if (route.getAttribute("id").equals(SYNC)) {
                // Camel 4.18's dump leaves out doCatch and doFinally (they are described in the YAML too)
                assertEquals(16, steps, "the sync's steps in the dump");
            }
            if (route.getAttribute("id").equals(EVENT_SYNC)) {
                assertEquals(15, steps, "the event sync's steps in the dump");
            }
            routesChecked++;
        }
        for (RateLimit limit : RateLimit.values()) {
            assertTrue(ids.contains("klaviyo-throttle-" + limit.id()), limit + " has its throttle route: " + ids);
        }
        // each sync's schedule is a route of its own (klaviyo-sync-schedule.yaml): both syncs here have one
        assertTrue(ids.contains(EVENT_SYNC) && ids.contains("klaviyo-event-jobs")
                && ids.contains("klaviyo-event-submitters"), ids.toString());
        assertEquals(15 + RateLimit.values().length, routesChecked, "two profile syncs and an event sync, their three"
                + " schedules, eight Klaviyo routes (the event sync's queue, submitters and klaviyo-event-jobs among them),"
                + " history-retention and a throttle route per rate limit: " + ids);
    }

    private static int undescribedSteps(Element parent, List<String> undescribed, List<String> unlabelled) {
        int steps = 0;
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e) || !e.hasAttribute("id")) {
                continue; // expressions and settings, not steps
            }
            if (!e.getTagName().equals("from")) {
                steps++;
                // Hawtio labels a box with the step's id: ids stay short enough to read in the diagram
                assertTrue(e.getAttribute("id").length() < 20, "step id " + e.getAttribute("id") + " is 20 characters"
                        + " or more");
                if (e.getAttribute("description").isBlank()) {
                    undescribed.add(e.getTagName() + " " + e.getAttribute("id"));
                }
                if (!e.getAttribute("customId").equals("true")) {
                    unlabelled.add(e.getTagName() + " " + e.getAttribute("id"));
                }
            }
            steps += undescribedSteps(e, undescribed, unlabelled);
        }
        return steps;
    }

    private static void assertTheSyncMBeanIsDescribed(JsonNode list) {
        JsonNode sync = list.path("org.klaviyosync").path("type=sync,name=\"" + SYNC + "\"");
        assertFalse(sync.isMissingNode(), "the sync MBean is listed: " + list.path("org.klaviyosync"));
        assertTrue(sync.path("desc").asText().startsWith("One sync:"), sync.path("desc").toString());
        int described = 0;
        for (String part : List.of("attr", "op")) {
            for (Iterator<Map.Entry<String, JsonNode>> it = sync.path(part).fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                String desc = e.getValue().path("desc").asText();
                assertFalse(desc.isBlank() || desc.contains("exposed for management"), e.getKey() + ": " + desc);
                described++;
            }
        }
        assertEquals(23 + 4, described, "attributes and operations");
        assertTrue(sync.path("op").path("startRun").path("desc").asText().contains("answers at once with its run id"));
        assertTrue(sync.path("attr").has("CurrentRunInFlight") && sync.path("attr").has("CurrentRunJobsPending")
                && sync.path("attr").has("CurrentRunStartedAt") && sync.path("attr").has("CurrentRunRead")
                && sync.path("attr").has("CurrentRunSent"), sync.path("attr").toString());
    }

    private static String quoted(ObjectName name) {
        return name.toString().replace("\"", "\\\"");
    }

    private static String exec(String mbean, String operation, String... arguments) {
        return "{\"type\":\"exec\",\"mbean\":\"" + mbean + "\",\"operation\":\"" + operation + "\",\"arguments\":["
                + String.join(",", arguments) + "]}";
    }
}
