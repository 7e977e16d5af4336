package org.klaviyosync.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.e2e.SyncTestEnvironment;
import org.klaviyosync.run.RunOptions;
import org.klaviyosync.run.RunSummary;

/**
 * The operator's view over the real management port: Prometheus metrics after a run, health with
 * a bad key, the sync MBean through JMX and through Jolokia, and the Jolokia policy.
 */
class ObserveEndToEndTest {

    private static final String SYNC = "customers-by-external-id";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.withDemoCustomers(200).jobPollsUntilComplete(1);
    private static List<String> emails;

    @BeforeAll
    static void startServers() throws Exception {
        emails = new ArrayList<>();
        try (Connection c = e2e.warehouse().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select email from customers where email like '%@%.%'")) {
            while (rs.next()) {
                emails.add(rs.getString(1));
            }
        }
    }

    private ServiceHarness start(String apiKey) throws Exception {
        return ServiceHarness.start(e2e.work(), Map.of("WAREHOUSE_JDBC_URL", e2e.warehouse().jdbcUrl(),
                "KLAVIYO_API_KEY", apiKey, "KLAVIYO_BASE_URL", e2e.klaviyo().baseUrl()), SYNC + ".yaml");
    }

    @Test
    void metricsCountTheRunsRowsAndKlaviyoRequests() throws Exception {
        try (ServiceHarness service = start(e2e.klaviyo().apiKey())) {
            // full: another test of this class may have run the sync already, leaving every row unchanged
            RunSummary run = service.app().runNow(SYNC, RunOptions.FULL);
            assertEquals("completed", run.status(), run.error());
            assertTrue(run.sent() > 0 && run.invalid() > 0, run.toString());

            String metrics = service.get("/observe/metrics").body();
            assertEquals(run.read(), sample(metrics, "klaviyosync_rows_read_total", "sync=\"" + SYNC + "\""));
            Map<String, Long> outcomes = Map.of("sent", run.sent(), "unchanged", run.unchanged(), "invalid",
                    run.invalid(), "rejected", run.rejected(), "deferred", run.deferred());
            for (Map.Entry<String, Long> o : outcomes.entrySet()) {
                assertEquals(o.getValue(), sample(metrics, "klaviyosync_rows_settled_total",
                        "outcome=\"" + o.getKey() + "\"", "sync=\"" + SYNC + "\""), o.getKey());
            }
            assertEquals(1, sample(metrics, "klaviyosync_runs_total", "status=\"completed\""));
            assertEquals(1, sample(metrics, "klaviyosync_run_duration_seconds_count", "sync=\"" + SYNC + "\""));
            assertTrue(sample(metrics, "klaviyosync_last_success_timestamp_seconds", "sync=\"" + SYNC + "\"") > 0);
            assertEquals(0, sample(metrics, "klaviyosync_rows_in_flight", "sync=\"" + SYNC + "\""));
            assertEquals(0, sample(metrics, "klaviyosync_bulk_jobs_pending", "sync=\"" + SYNC + "\""));
            long bulkCreated = sample(metrics, "klaviyosync_klaviyo_requests_total", "endpoint=\"bulk-import\"",
                    "status=\"202\"");
            assertEquals(e2e.klaviyo().count("POST", "/api/profile-bulk-import-jobs"), bulkCreated);
            assertTrue(metrics.contains("klaviyosync_klaviyo_rate_limited_total"));
            assertTrue(metrics.contains("klaviyosync_klaviyo_retries_total"));
            assertTrue(metrics.contains("camel_exchanges_total"), "Camel's own route metrics stay on");

            // a second run adds to the counters
            RunSummary second = service.app().runNow(SYNC);
            String after = service.get("/observe/metrics").body();
            assertEquals(run.read() + second.read(), sample(after, "klaviyosync_rows_read_total",
                    "sync=\"" + SYNC + "\""));
            assertNoSecrets(after);
        }
    }

    @Test
    void healthIsDownWithABadKeyAndNamesTheCheck() throws Exception {
        try (ServiceHarness service = start("pk_wrong0000000000000000000000000000")) {
            ServiceHarness.Answer health = service.get("/observe/health?data=true");
            assertEquals(503, health.status(), health.body());
            JsonNode checks = JSON.readTree(health.body()).path("checks");
            assertEquals("DOWN", check(checks, "klaviyo").path("status").asText(), health.body());
            assertFalse(health.body().contains("pk_wrong"), "the key never shows");
        }
        try (ServiceHarness service = start(e2e.klaviyo().apiKey())) {
            ServiceHarness.Answer health = service.get("/observe/health?data=true");
            assertEquals(200, health.status(), health.body());
            JsonNode checks = JSON.readTree(health.body()).path("checks");
            assertEquals("UP", check(checks, "klaviyo").path("status").asText(), health.body());
            assertEquals("UP", check(checks, "warehouse").path("status").asText(), health.body());
            assertEquals("UP", check(checks, "sync-" + SYNC).path("status").asText(), health.body());
            assertNoSecrets(health.body());
        }
    }

    @Test
    void theSyncMBeanRunsTheSyncThroughJmxAndJolokiaAndThePolicyRefusesTheRest() throws Exception {
        try (ServiceHarness service = start(e2e.klaviyo().apiKey())) {
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = SyncControl.objectName(SYNC);
            assertEquals("none", jmx.getAttribute(name, "LastRunStatus"));

            String answer = (String) jmx.invoke(name, "runNow", new Object[0], new String[0]);
            assertTrue(answer.contains("completed"), answer);
            long firstRun = (Long) jmx.getAttribute(name, "LastRunId");
            long read = (Long) jmx.getAttribute(name, "LastRunRead");
            assertEquals(200, read);
            assertTrue((Long) jmx.getAttribute(name, "LastRunSent") > 0);
            assertEquals("completed", jmx.getAttribute(name, "LastRunStatus"));

            String mbean = "org.klaviyosync:name=\\\"" + SYNC + "\\\",type=sync";
            JsonNode exec = JSON.readTree(service.post("/observe/jolokia",
                    "{\"type\":\"exec\",\"mbean\":\"" + mbean + "\",\"operation\":\"runNow\"}").body());
            assertEquals(200, exec.path("status").asInt(), exec.toString());
            assertTrue(exec.path("value").asText().contains("completed"), exec.toString());
            JsonNode read2 = JSON.readTree(service.post("/observe/jolokia",
                    "{\"type\":\"read\",\"mbean\":\"" + mbean + "\"}").body());
            assertEquals(200, read2.path("status").asInt(), read2.toString());
            assertTrue(read2.path("value").path("LastRunId").asLong() > firstRun, read2.toString());
            // second run: everything valid is unchanged now
            assertEquals(read2.path("value").path("LastRunRead").asLong(), 200);
            assertNoSecrets(read2.toString());

            // pause and resume are allowed
            JsonNode pause = JSON.readTree(service.post("/observe/jolokia",
                    "{\"type\":\"exec\",\"mbean\":\"" + mbean + "\",\"operation\":\"pause\"}").body());
            assertEquals(200, pause.path("status").asInt(), pause.toString());
            assertEquals(Boolean.TRUE, jmx.getAttribute(name, "Paused"));
            JsonNode resume = JSON.readTree(service.post("/observe/jolokia",
                    "{\"type\":\"exec\",\"mbean\":\"" + mbean + "\",\"operation\":\"resume\"}").body());
            assertEquals(200, resume.path("status").asInt(), resume.toString());
            assertEquals(Boolean.FALSE, jmx.getAttribute(name, "Paused"));

            // anything else is refused: another MBean's operation, and writes
            JsonNode gc = JSON.readTree(service.post("/observe/jolokia",
                    "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}").body());
            assertEquals(403, gc.path("status").asInt(), gc.toString());
            String context = jmx.queryNames(new ObjectName("org.apache.camel:type=context,*"), null).iterator().next()
                    .toString().replace("\"", "\\\"");
            JsonNode stop = JSON.readTree(service.post("/observe/jolokia",
                    "{\"type\":\"exec\",\"mbean\":\"" + context + "\",\"operation\":\"stop()\"}").body());
            assertEquals(403, stop.path("status").asInt(), stop.toString());
            JsonNode write = JSON.readTree(service.post("/observe/jolokia",
                    "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}")
                    .body());
            assertEquals(403, write.path("status").asInt(), write.toString());
            // reading Camel's MBeans stays open (what Hawtio shows)
            JsonNode camel = JSON.readTree(service.post("/observe/jolokia",
                    "{\"type\":\"read\",\"mbean\":\"" + context + "\",\"attribute\":\"State\"}").body());
            assertEquals(200, camel.path("status").asInt(), camel.toString());
        }
    }

    private static JsonNode check(JsonNode checks, String id) {
        for (JsonNode c : checks) {
            if (id.equals(c.path("name").asText()) || id.equals(c.path("id").asText())) {
                return c;
            }
        }
        throw new AssertionError("no health check " + id + " in " + checks);
    }

    private static void assertNoSecrets(String text) {
        assertFalse(text.contains(e2e.klaviyo().apiKey()), "the API key shows");
        for (String email : emails) {
            assertFalse(text.contains(email), "an email shows: " + email);
        }
    }

    /** The value of the one Prometheus sample of this metric whose labels include all of these. */
    static long sample(String metrics, String metric, String... labels) {
        Pattern line = Pattern.compile("^" + Pattern.quote(metric) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(metrics);
        List<Double> found = new ArrayList<>();
        while (m.find()) {
            boolean all = true;
            for (String l : labels) {
                all &= m.group(1).contains(l);
            }
            if (all) {
                found.add(Double.parseDouble(m.group(2)));
            }
        }
        assertEquals(1, found.size(), metric + " " + List.of(labels) + " in:\n" + metrics);
        return Math.round(found.get(0));
    }
}
