package org.klaviyosync.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.e2e.SyncTestEnvironment;
import org.klaviyosync.standin.KlaviyoStandIn;

/**
 * The klaviyo health check checks the scopes {@code check} checks for the syncs the service has: an
 * event sync needs events:write, a consent sync subscriptions:write; it names the one the key lacks.
 */
class KeyScopeHealthTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.freshWarehouse();

    private ServiceHarness start(String apiKey) throws Exception {
        return ServiceHarness.start(e2e.work(), Map.of("WAREHOUSE_JDBC_URL", e2e.warehouse().jdbcUrl(),
                "KLAVIYO_API_KEY", apiKey, "KLAVIYO_BASE_URL", e2e.klaviyo().baseUrl()));
    }

    private static JsonNode klaviyoCheck(ServiceHarness.Answer health) throws Exception {
        for (JsonNode c : JSON.readTree(health.body()).path("checks")) {
            if ("klaviyo".equals(c.path("name").asText()) || "klaviyo".equals(c.path("id").asText())) {
                return c;
            }
        }
        throw new AssertionError("no klaviyo health check in " + health.body());
    }

    @Test
    void aConsentSyncsKeyWithoutSubscriptionsWriteIsDownNamingTheScope() throws Exception {
        e2e.warehouse().execute("drop table if exists members",
                "create table members (id text primary key, email text, email_ok boolean)",
                "insert into members values ('c1', 'one@example.com', true)");
        e2e.cli().sync("members", "model", "select id, email, email_ok from members order by id", "identifier",
                "external_id", "identifierColumn", "id", "properties", "email=email", "lists", "Newsletter",
                "emailConsent", "email_ok");
        e2e.klaviyo().addKey("pk_no_subscriptions", Set.of(KlaviyoStandIn.PROFILES_READ,
                KlaviyoStandIn.PROFILES_WRITE, KlaviyoStandIn.LISTS_READ, KlaviyoStandIn.LISTS_WRITE));

        try (ServiceHarness service = start("pk_no_subscriptions")) {
            ServiceHarness.Answer health = service.get("/observe/health?data=true");
            assertEquals(503, health.status(), klaviyoCheck(health).toString());
            JsonNode check = klaviyoCheck(health);
            assertEquals("DOWN", check.path("status").asText(), health.body());
            assertTrue(health.body().contains("KLAVIYO_API_KEY lacks the scope subscriptions:write (needed to change"
                    + " the marketing consent of profile syncs with emailConsent or smsConsent)"), health.body());
            assertFalse(health.body().contains("pk_no_subscriptions"), "the key never shows");
        }
        try (ServiceHarness service = start(e2e.klaviyo().apiKey())) {
            ServiceHarness.Answer health = service.get("/observe/health?data=true");
            assertEquals("UP", klaviyoCheck(health).path("status").asText(), health.body());
        }
    }

    @Test
    void anEventSyncsKeyWithoutEventsWriteIsDownNamingTheScope() throws Exception {
        e2e.warehouse().execute("drop table if exists orders",
                "create table orders (order_id text primary key, customer_id text, total numeric)",
                "insert into orders values ('o-1', 'c1', 12.5)");
        e2e.cli().eventSync("orders", "model", "select order_id, customer_id, total from orders", "metric",
                "Placed Order", "identifier", "external_id", "identifierColumn", "customer_id", "eventIdColumn",
                "order_id", "valueColumn", "total", "properties", "*");
        e2e.klaviyo().addKey("pk_no_events", Set.of(KlaviyoStandIn.PROFILES_READ, KlaviyoStandIn.PROFILES_WRITE,
                KlaviyoStandIn.LISTS_READ, KlaviyoStandIn.LISTS_WRITE));

        try (ServiceHarness service = start("pk_no_events")) {
            ServiceHarness.Answer health = service.get("/observe/health?data=true");
            assertEquals(503, health.status(), health.body());
            assertEquals("DOWN", klaviyoCheck(health).path("status").asText(), health.body());
            assertTrue(health.body().contains("KLAVIYO_API_KEY lacks the scope events:write"), health.body());
            assertFalse(health.body().contains("pk_no_events"), "the key never shows");
        }
        try (ServiceHarness service = start(e2e.klaviyo().apiKey())) {
            ServiceHarness.Answer health = service.get("/observe/health?data=true");
            assertEquals("UP", klaviyoCheck(health).path("status").asText(), health.body());
        }
    }
}
