package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stand-in as its own process, as the peer comparison benchmark starts it. */
class StandInServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path work;

    @Test
    void servesWithItsSwitchesAndWritesItsStatisticsWhenTerminated() throws Exception {
        Path stats = work.resolve("stats.json");
        try (StandInProcess standIn = StandInProcess.start(work, "pk_bench_key", 0, false, stats)) {
            String body = "{\"data\":{\"type\":\"profile-bulk-import-job\",\"attributes\":{\"profiles\":{\"data\":["
                    + "{\"type\":\"profile\",\"attributes\":{\"external_id\":\"p-1\",\"email\":\"p1@example.com\"}}]}}}}";
            HttpResponse<String> created = send(standIn.baseUrl() + "/api/profile-bulk-import-jobs", "pk_bench_key", body);
            assertEquals(202, created.statusCode(), created.body());
            String job = standIn.baseUrl() + "/api/profile-bulk-import-jobs/"
                    + JSON.readTree(created.body()).at("/data/id").asText();
            // with a delay of 0 the first look completes it; 15 looks at once pass with limits off (10/s)
            for (int i = 0; i < 15; i++) {
                HttpResponse<String> polled = send(job, "pk_bench_key", null);
                assertEquals(200, polled.statusCode(), polled.body());
                assertEquals("complete", JSON.readTree(polled.body()).at("/data/attributes/status").asText());
            }
            assertEquals(401, send(job, "pk_other", null).statusCode());

            JsonNode s = JSON.readTree(standIn.stop().toFile());
            assertEquals(17, s.get("requests").asInt(), s.toString());
            assertEquals(0, s.get("status429").asInt());
            assertEquals(1, s.at("/answers/POST ~1api~1profile-bulk-import-jobs/count").asInt(), s.toString());
            assertEquals(16, s.at("/answers/GET ~1api~1profile-bulk-import-jobs~1{id}/count").asInt(), s.toString());
            assertTrue(s.get("cpuSeconds").asDouble() > 0 && s.get("wallSeconds").asDouble() > 0, s.toString());
        }
    }

    @Test
    void realLimitsAnswer429() throws Exception {
        try (StandInProcess standIn = StandInProcess.start(work, "pk_bench_key", -1, true, work.resolve("s.json"))) {
            int throttled = 0;
            for (int i = 0; i < 15; i++) {
                if (send(standIn.baseUrl() + "/api/profile-bulk-import-jobs", "pk_bench_key", null).statusCode() == 429) {
                    throttled++;
                }
            }
            assertTrue(throttled > 0, "15 job listings at once exceed 10/s");
            assertEquals(throttled, JSON.readTree(standIn.stop().toFile()).get("status429").asInt());
        }
    }

    private static HttpResponse<String> send(String url, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Klaviyo-API-Key " + key).header("revision", "2026-07-15")
                .header("Accept", "application/vnd.api+json");
        if (body != null) {
            b.header("Content-Type", "application/vnd.api+json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
