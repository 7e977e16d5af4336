package org.klaviyosync.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stand-in's Bulk Subscribe / Unsubscribe Profiles accept exactly what Klaviyo's Node SDK sends
 * (the bodies recorded in src/test/resources/klaviyo-node-sdk) and refuse deviations: wrong type, no
 * list relationship or an unknown list, too many profiles, consent values other than SUBSCRIBED resp.
 * UNSUBSCRIBED, a channel without its address, historical_import without consented_at, a consent time
 * in the future, unknown members, a key without subscriptions:write; a refused request changes nothing.
 */
class StandInSubscriptionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUBSCRIBE = "/api/profile-subscription-bulk-create-jobs";
    private static final String UNSUBSCRIBE = "/api/profile-subscription-bulk-delete-jobs";
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private KlaviyoStandIn standIn;
    private String list;

    @BeforeEach
    void start() {
        standIn = KlaviyoStandIn.start();
        list = standIn.createList("Newsletter");
    }

    @AfterEach
    void stop() {
        standIn.close();
    }

    /** A recorded SDK body, its list replaced by the stand-in's. */
    private ObjectNode recorded(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/klaviyo-node-sdk/" + name)) {
            ObjectNode body = (ObjectNode) JSON.readTree(in).get("body");
            ((ObjectNode) body.at("/data/relationships/list/data")).put("id", list);
            return body;
        }
    }

    private ObjectNode changed(String name, Consumer<ObjectNode> change) throws Exception {
        ObjectNode body = recorded(name);
        change.accept(body);
        return body;
    }

    private HttpResponse<String> post(String path, JsonNode body) throws Exception {
        return post(path, body, standIn.apiKey());
    }

    private HttpResponse<String> post(String path, JsonNode body, String key) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(standIn.baseUrl() + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Klaviyo-API-Key " + key)
                .header("revision", "2026-07-15")
                .header("Accept", "application/vnd.api+json")
                .header("Content-Type", "application/json") // as the Node SDK sends it (the recordings' contentType)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void refused(String path, JsonNode body, String pointer) throws Exception {
        HttpResponse<String> r = post(path, body);
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"pointer\":\"" + pointer + "\""), r.body());
    }

    private static ObjectNode profile(ObjectNode body) {
        return (ObjectNode) body.at("/data/attributes/profiles/data/0/attributes");
    }

    @Test
    void theSdksRequestsAreAcceptedWith202AndNoBody() throws Exception {
        HttpResponse<String> now = post(SUBSCRIBE, recorded("bulk-subscribe-profiles.json"));
        assertEquals(202, now.statusCode(), now.body());
        assertEquals("", now.body());
        String b = standIn.profileByEmail("b@x.com").orElseThrow().id();
        assertEquals("SUBSCRIBED", standIn.consentOf(b, "email").orElseThrow().consent());
        assertTrue(standIn.listMembers(list).contains(b), "subscribing adds the profile to the list");

        assertEquals(202, post(SUBSCRIBE, recorded("bulk-subscribe-profiles-historical.json")).statusCode());
        String a = standIn.profileByEmail("a@x.com").orElseThrow().id();
        ProfileSubscriptionsResource.ChannelConsent sms = standIn.consentOf(a, "sms").orElseThrow();
        assertTrue(sms.historical());
        assertEquals("2024-01-02T03:04:05Z", sms.consentedAt());

        assertEquals(202, post(UNSUBSCRIBE, recorded("bulk-unsubscribe-profiles.json")).statusCode());
        assertEquals("UNSUBSCRIBED", standIn.consentOf(a, "email").orElseThrow().consent());
        assertEquals("UNSUBSCRIBED", standIn.consentOf(a, "sms").orElseThrow().consent());
    }

    @Test
    void deviationsFromTheDocumentedShapeAreRefusedAndChangeNothing() throws Exception {
        String one = "bulk-subscribe-profiles.json";
        refused(SUBSCRIBE, changed(one, b -> ((ObjectNode) b.get("data")).put("type", "profile-subscription-bulk-delete-job")),
                "/data/type");
        refused(SUBSCRIBE, changed(one, b -> ((ObjectNode) b.get("data")).remove("relationships")),
                "/data/relationships");
        refused(SUBSCRIBE, changed(one, b -> profile(b).with("subscriptions").with("email").with("marketing")
                .put("consent", "NEVER_SUBSCRIBED")),
                "/data/attributes/profiles/data/0/attributes/subscriptions/email/marketing/consent");
        refused(SUBSCRIBE, changed(one, b -> profile(b).remove("email")),
                "/data/attributes/profiles/data/0/attributes/email");
        refused(SUBSCRIBE, changed(one, b -> ((ObjectNode) b.at("/data/attributes")).put("historical_import", true)),
                "/data/attributes/profiles/data/0/attributes/subscriptions/email/marketing/consented_at");
        refused(SUBSCRIBE, changed(one, b -> profile(b).with("subscriptions").with("email").with("marketing")
                .put("consented_at", "2999-01-01T00:00:00Z")),
                "/data/attributes/profiles/data/0/attributes/subscriptions/email/marketing/consented_at");
        refused(SUBSCRIBE, changed(one, b -> profile(b).put("external_id", "c1")),
                "/data/attributes/profiles/data/0/attributes/external_id");
        refused(SUBSCRIBE, changed(one, b -> {
            ArrayNode data = (ArrayNode) b.at("/data/attributes/profiles/data");
            JsonNode first = data.get(0);
            for (int i = 1; i <= 1000; i++) {
                data.add(first.deepCopy());
            }
        }), "/data/attributes/profiles/data");
        HttpResponse<String> unknownList = post(SUBSCRIBE, changed(one, b -> ((ObjectNode) b.at(
                "/data/relationships/list/data")).put("id", "NoSuch")));
        assertEquals(404, unknownList.statusCode(), unknownList.body());

        String leave = "bulk-unsubscribe-profiles.json";
        refused(UNSUBSCRIBE, changed(leave, b -> profile(b).with("subscriptions").with("sms").with("marketing")
                .put("consent", "SUBSCRIBED")),
                "/data/attributes/profiles/data/0/attributes/subscriptions/sms/marketing/consent");
        refused(UNSUBSCRIBE, changed(leave, b -> profile(b).with("subscriptions").with("email").with("marketing")
                .put("consented_at", "2024-01-01T00:00:00Z")),
                "/data/attributes/profiles/data/0/attributes/subscriptions/email/marketing/consented_at");
        refused(UNSUBSCRIBE, changed(leave, b -> ((ObjectNode) b.at("/data/attributes")).put("historical_import", true)),
                "/data/attributes/historical_import");
        refused(UNSUBSCRIBE, changed(leave, b -> {
            ArrayNode data = (ArrayNode) b.at("/data/attributes/profiles/data");
            JsonNode first = data.get(0);
            for (int i = 1; i <= 100; i++) {
                data.add(first.deepCopy());
            }
        }), "/data/attributes/profiles/data");

        assertTrue(standIn.profiles().isEmpty(), "no refused request created a profile");
        assertTrue(standIn.listMembers(list).isEmpty());
    }

    @Test
    void aKeyWithoutSubscriptionsWriteIsRefusedWith403() throws Exception {
        standIn.addKey("pk_no_subscriptions", Set.of(KlaviyoStandIn.PROFILES_WRITE, KlaviyoStandIn.LISTS_WRITE));
        HttpResponse<String> r = post(SUBSCRIBE, recorded("bulk-subscribe-profiles.json"), "pk_no_subscriptions");
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(r.body().contains("subscriptions:write"), r.body());
        assertEquals(403, post(UNSUBSCRIBE, recorded("bulk-unsubscribe-profiles.json"), "pk_no_subscriptions")
                .statusCode());
    }
}
