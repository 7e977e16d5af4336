package org.klaviyosync.klaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.klaviyosync.standin.KlaviyoStandIn;

/**
 * Bulk Subscribe / Unsubscribe Profiles: the bodies are the ones Klaviyo's official Node SDK
 * (klaviyo-api 23.0.0) sends for the same consent (recorded in src/test/resources/klaviyo-node-sdk by
 * record.js there), and the client against the stand-in over HTTP: per-request limits, each call on its
 * own rate limit, a refusal naming some profiles rejects those and sends the others again.
 */
class ProfileSubscriptionsTest {

    private final KlaviyoStandIn standIn = KlaviyoStandIn.start();
    private final KlaviyoApi api = new KlaviyoApi(new HttpTransport(standIn.baseUrl(), standIn.apiKey()), Fakes.JSON,
            RetryPolicy.defaults());
    private final ProfileSubscriptions subscriptions = new ProfileSubscriptions(api, Fakes.JSON);

    @AfterEach
    void stop() {
        standIn.close();
    }

    private static JsonNode recorded(String name) throws IOException {
        try (InputStream in = ProfileSubscriptionsTest.class.getResourceAsStream("/klaviyo-node-sdk/" + name)) {
            return Fakes.JSON.readTree(in);
        }
    }

    @Test
    void subscribeBodiesAreTheNodeSdksForTheSameConsent() throws IOException {
        JsonNode now = recorded("bulk-subscribe-profiles.json");
        assertEquals(now.get("body"), ConsentBodies.subscribe(Fakes.JSON,
                List.of(new ConsentChange("r1", "b@x.com", null, true, null, null)), "Y6nRLr", false));
        assertEquals(KlaviyoPaths.SUBSCRIPTION_BULK_CREATE_JOBS, now.get("path").asText());

        JsonNode historical = recorded("bulk-subscribe-profiles-historical.json");
        // the SDK writes a Date with milliseconds; the sync sends the instant as it read it
        assertEquals(historical.get("body"), ConsentBodies.subscribe(Fakes.JSON, List.of(new ConsentChange("r1",
                "a@x.com", "+15005550006", true, true, "2024-01-02T03:04:05.000Z")), "Y6nRLr", true));
    }

    @Test
    void unsubscribeBodiesAreTheNodeSdksAndCarryOnlyTheChannelsThatChange() throws IOException {
        JsonNode recorded = recorded("bulk-unsubscribe-profiles.json");
        assertEquals(KlaviyoPaths.SUBSCRIPTION_BULK_DELETE_JOBS, recorded.get("path").asText());
        assertEquals(recorded.get("body"), ConsentBodies.unsubscribe(Fakes.JSON,
                List.of(new ConsentChange("r1", "a@x.com", "+15005550006", false, false, null)), "Y6nRLr"));

        // email unsubscribed, SMS subscribed: each request names only its own channel and address
        ConsentChange mixed = new ConsentChange("r2", "c@x.com", "+15005550007", false, true, null);
        JsonNode out = ConsentBodies.unsubscribe(Fakes.JSON, List.of(mixed), "L").at("/data/attributes/profiles/data/0");
        assertEquals("{\"type\":\"profile\",\"attributes\":{\"email\":\"c@x.com\",\"subscriptions\":{\"email\":"
                + "{\"marketing\":{\"consent\":\"UNSUBSCRIBED\"}}}}}", out.toString());
        JsonNode in = ConsentBodies.subscribe(Fakes.JSON, List.of(mixed), "L", false).at("/data/attributes/profiles/data/0");
        assertEquals("{\"type\":\"profile\",\"attributes\":{\"phone_number\":\"+15005550007\",\"subscriptions\":{\"sms\":"
                + "{\"marketing\":{\"consent\":\"SUBSCRIBED\"}}}}}", in.toString());
    }

    @Test
    void aRefusalNamingOneProfileRejectsItAndTheOthersAreSentAgain() {
        String list = standIn.createList("Newsletter");
        standIn.setSmsAgeGating(true);

        List<RejectedProfile> rejected = subscriptions.subscribe(list, false, List.of(
                new ConsentChange("r1", "one@x.com", "+14155552671", true, true, null),
                new ConsentChange("r2", "two@x.com", null, true, null, null)));

        assertEquals(1, rejected.size(), rejected.toString());
        assertEquals("r1", rejected.get(0).rowKey());
        assertEquals("invalid", rejected.get(0).code());
        assertTrue(rejected.get(0).detail().contains("age_gated_date_of_birth"), rejected.get(0).detail());
        assertEquals(2, standIn.count("POST", KlaviyoPaths.SUBSCRIPTION_BULK_CREATE_JOBS), "r2 was sent again alone");
        String two = standIn.profileByEmail("two@x.com").orElseThrow().id();
        assertEquals("SUBSCRIBED", standIn.consentOf(two, "email").orElseThrow().consent());
        assertTrue(standIn.profileByEmail("one@x.com").isEmpty(), "nothing of the refused request took effect");
    }

    @Test
    void eachCallIsPacedByItsOwnLimitWithinKlaviyosPerRequestLimits() {
        String list = standIn.createList("Newsletter");
        List<ConsentChange> many = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            many.add(new ConsentChange("r" + i, "p" + i + "@x.com", null, false, null, null));
        }
        assertThrows(IllegalArgumentException.class, () -> subscriptions.subscribe(list, false, many));
        assertThrows(IllegalArgumentException.class, () -> subscriptions.unsubscribe(list, many.subList(0, 101)));
        assertTrue(subscriptions.unsubscribe(list, many.subList(0, 100)).isEmpty());
        assertEquals(RateLimit.SUBSCRIBE, RateLimitBucket.SUBSCRIBE.rateLimit());
        assertEquals(RateLimit.UNSUBSCRIBE, RateLimitBucket.UNSUBSCRIBE.rateLimit());
        assertEquals(75, RateLimit.SUBSCRIBE.burstPerSecond());
        assertEquals(750, RateLimit.UNSUBSCRIBE.steadyPerMinute());
        String p0 = standIn.profileByEmail("p0@x.com").orElseThrow().id();
        assertTrue(standIn.consentOf(p0, "email").orElseThrow().global(),
                "p0 was in no list: Klaviyo unsubscribes it globally");
    }
}
