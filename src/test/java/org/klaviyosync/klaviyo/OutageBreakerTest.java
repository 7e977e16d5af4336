package org.klaviyosync.klaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutageBreakerTest {

    private static final Duration COOL_DOWN = Duration.ofMinutes(1);

    private final Fakes f = new Fakes(clock -> new OutageBreaker(2, COOL_DOWN, clock));

    private static final String ACCEPTED = "{\"data\":{\"type\":\"profile-bulk-import-job\",\"id\":\"01JOB\","
            + "\"attributes\":{\"status\":\"queued\",\"total_count\":1}}}";

    private static List<BulkProfile> oneProfile() {
        ObjectNode p = Fakes.JSON.createObjectNode();
        p.put("type", "profile");
        p.putObject("attributes").put("email", "a@example.com");
        return List.of(new BulkProfile("a@example.com", p));
    }

    private void exhaustRetries() {
        for (int i = 0; i < RetryPolicy.DEFAULT_MAX_ATTEMPTS; i++) {
            f.transport.respond(503, "");
        }
        assertThrows(KlaviyoUnavailableException.class,
                () -> f.api.send(KlaviyoRequest.get("/api/lists", RateLimitBucket.LIST_READ)));
    }

    @Test
    void opensAfterTheThresholdOfCallsThatExhaustedTheirRetriesAndFailsFastUntilTheCoolDownEnds() {
        exhaustRetries();
        assertFalse(f.api.outage(), "one exhausted call is below the threshold of 2");
        exhaustRetries();
        assertTrue(f.api.outage());

        int sent = f.transport.requests.size();
        KlaviyoUnavailableException fast = assertThrows(KlaviyoUnavailableException.class,
                () -> f.api.send(KlaviyoRequest.get("/api/lists", RateLimitBucket.LIST_READ)));
        assertTrue(fast.getMessage().contains("2 calls in a row failed after all their retries"), fast.getMessage());
        assertEquals(sent, f.transport.requests.size(), "an open breaker sends nothing");

        f.clock.advance(COOL_DOWN);
        f.transport.respond(200, "{\"data\":[]}");
        f.api.send(KlaviyoRequest.get("/api/lists", RateLimitBucket.LIST_READ));
        assertFalse(f.api.outage(), "the probe was answered: closed again");
    }

    @Test
    void anAnswerBetweenFailuresStartsTheCountAgain() {
        exhaustRetries();
        f.transport.respond(404, Fakes.error(404, "not_found", "no such list"));
        f.api.send(KlaviyoRequest.get("/api/lists/XyZ7k2", RateLimitBucket.LIST_READ));
        exhaustRetries();
        assertFalse(f.api.outage(), "only calls in a row count");
    }

    @Test
    void aBulkPostWhoseAnswerWasLostAndThatWasSentAgainIsNoOutageSignal() {
        BulkImportSubmissions jobs = new BulkImportSubmissions(f.api, Fakes.JSON);
        for (int batch = 0; batch < 3; batch++) {
            f.transport.fail(new IOException("connection reset"))
                    .respond(500, Fakes.error(500, "error", "A server error occurred."))
                    .respond(202, ACCEPTED);
            assertEquals("01JOB", jobs.submit(oneProfile(), null).jobs().get(0).jobId());
            assertFalse(f.api.outage(), "lost answers handled by resending are not failures (batch " + batch + ")");
        }
        exhaustRetries();
        assertFalse(f.api.outage(), "the earlier lost answers did not count towards the threshold");
    }
}
