package org.klaviyosync.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stand-in's {@code POST /api/event-bulk-create-jobs} is at least as strict as Klaviyo's
 * documentation: key, scope events:write, revision, media type, JSON:API shape, 1,000 events and 5 MB
 * per request, the time range, the metric name, unique_id repeated within a request; 202 without a
 * body; all-or-nothing validation; the first event under a profile, metric and unique_id wins.
 */
class StandInEventsTest {

    private static final String PATH = "/api/event-bulk-create-jobs";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private KlaviyoStandIn standIn;

    @BeforeEach
    void start() {
        standIn = KlaviyoStandIn.start();
    }

    @AfterEach
    void stop() {
        standIn.close();
    }

    @Test
    void validEventsAreAcceptedWith202AndNoBodyAndTheFirstUnderAnIdWins() throws Exception {
        HttpResponse<String> r = post(body(entry("c-1", "Placed Order", "o-1", "2025-01-01T10:00:00Z", "12.5"),
                entry("c-2", "Placed Order", "o-2", null, null)), standIn.apiKey(), "application/vnd.api+json");
        assertEquals(202, r.statusCode(), r.body());
        assertEquals("", r.body());
        assertEquals(2, standIn.events().size());
        assertEquals("2025-01-01T10:00:00Z", standIn.events().get(0).time());

        // the same id again for the same profile and metric is ignored, as Klaviyo records only the first
        assertEquals(202, post(body(entry("c-1", "Placed Order", "o-1", "2025-01-01T10:00:00Z", "99")),
                standIn.apiKey(), "application/vnd.api+json").statusCode());
        assertEquals(2, standIn.events().size());
        assertEquals(12.5, standIn.events().get(0).value().asDouble());
        assertEquals(1, standIn.ignoredEvents());
    }

    @Test
    void keyScopeRevisionAndMediaTypeAreChecked() throws Exception {
        String valid = body(entry("c-1", "Placed Order", "o-1", null, null));
        assertEquals(401, post(valid, "pk_nope", "application/vnd.api+json").statusCode());
        standIn.addKey("pk_profiles_only", Set.of(KlaviyoStandIn.PROFILES_WRITE, KlaviyoStandIn.LISTS_WRITE));
        HttpResponse<String> denied = post(valid, "pk_profiles_only", "application/vnd.api+json");
        assertEquals(403, denied.statusCode());
        assertTrue(denied.body().contains("events:write"), denied.body());
        assertEquals(415, post(valid, standIn.apiKey(), "text/plain").statusCode());
        HttpResponse<String> noRevision = CLIENT.send(HttpRequest.newBuilder(URI.create(standIn.baseUrl() + PATH))
                .header("Authorization", "Klaviyo-API-Key " + standIn.apiKey())
                .header("Content-Type", "application/vnd.api+json")
                .POST(HttpRequest.BodyPublishers.ofString(valid)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, noRevision.statusCode());
        assertTrue(standIn.events().isEmpty());
    }

    @Test
    void aBadEventFailsTheWholeRequestWithPointersToEachBadEntry() throws Exception {
        String tooLong = "M".repeat(128);
        HttpResponse<String> r = post(body(entry("c-1", "Placed Order", "o-1", null, null),
                entry("c-2", "Placed Order", "o-2", "1999-12-31T23:59:59Z", null),
                entry("c-3", tooLong, "o-3", null, null),
                entry("c-4", "Placed Order", "o-4", Instant.now().plus(Duration.ofDays(400)).toString(), null),
                entry("c-5", "Placed Order", "o-5", null, "\"lots\"")), standIn.apiKey(), "application/vnd.api+json");
        assertEquals(400, r.statusCode());
        List<String> pointers = new ArrayList<>();
        for (JsonNode e : JSON.readTree(r.body()).get("errors")) {
            pointers.add(e.at("/source/pointer").asText());
        }
        String events = "/data/attributes/events-bulk-create/data/";
        assertEquals(List.of(events + "1/attributes/events/data/0/attributes/time",
                events + "2/attributes/events/data/0/attributes/metric/data/attributes/name",
                events + "3/attributes/events/data/0/attributes/time",
                events + "4/attributes/events/data/0/attributes/value"), pointers);
        assertTrue(standIn.events().isEmpty(), "nothing is created when any event is invalid");
    }

    @Test
    void aRepeatedUniqueIdInOneRequestAProfileWithoutIdentifierAndOversizeDataAreRefused() throws Exception {
        String twice = body(entry("c-1", "Placed Order", "o-1", null, null), entry("c-1", "Placed Order", "o-1", null,
                null));
        HttpResponse<String> r = post(twice, standIn.apiKey(), "application/vnd.api+json");
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("/data/attributes/events-bulk-create/data/1/attributes/events/data/0/attributes"
                + "/unique_id"), r.body());

        String anonymous = body(entry("c-1", "Placed Order", "o-1", null, null)).replace("\"external_id\":\"c-1\"", "");
        HttpResponse<String> noIdentifier = post(anonymous, standIn.apiKey(), "application/vnd.api+json");
        assertEquals(400, noIdentifier.statusCode(), noIdentifier.body());

        String bigText = body(entry("c-1", "Placed Order", "o-1", null, null))
                .replace("\"properties\":{}", "\"properties\":{\"note\":\"" + "x".repeat(100 * 1024 + 1) + "\"}");
        assertEquals(400, post(bigText, standIn.apiKey(), "application/vnd.api+json").statusCode());

        List<String> many = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            many.add(entry("c-" + i, "Placed Order", "o-" + i, null, null));
        }
        HttpResponse<String> tooMany = post(body(many.toArray(new String[0])), standIn.apiKey(),
                "application/vnd.api+json");
        assertEquals(400, tooMany.statusCode());
        assertTrue(tooMany.body().contains("1000"), tooMany.body());

        String huge = body(entry("c-1", "Placed Order", "o-1", null, null))
                .replace("\"properties\":{}", "\"properties\":{\"a\":\"" + "x".repeat(3_000_000) + "\",\"b\":\""
                        + "x".repeat(3_000_000) + "\"}");
        assertEquals(413, post(huge, standIn.apiKey(), "application/vnd.api+json").statusCode());
        assertTrue(standIn.events().isEmpty());
    }

    private static String entry(String externalId, String metric, String uniqueId, String time, String value) {
        return "{\"type\":\"event-bulk-create\",\"attributes\":{\"profile\":{\"data\":{\"type\":\"profile\","
                + "\"attributes\":{\"external_id\":\"" + externalId + "\"}}},\"events\":{\"data\":[{\"type\":\"event\","
                + "\"attributes\":{\"properties\":{}," + (time == null ? "" : "\"time\":\"" + time + "\",")
                + (value == null ? "" : "\"value\":" + value + ",") + "\"unique_id\":\"" + uniqueId + "\","
                + "\"metric\":{\"data\":{\"type\":\"metric\",\"attributes\":{\"name\":\"" + metric + "\"}}}}}]}}}";
    }

    private static String body(String... entries) {
        return "{\"data\":{\"type\":\"event-bulk-create-job\",\"attributes\":{\"events-bulk-create\":{\"data\":["
                + String.join(",", entries) + "]}}}}";
    }

    private HttpResponse<String> post(String body, String key, String contentType) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(standIn.baseUrl() + PATH))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Klaviyo-API-Key " + key)
                .header("revision", "2026-07-15")
                .header("Accept", "application/vnd.api+json")
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
