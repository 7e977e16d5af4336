package org.klaviyosync.klaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KlaviyoApiTest {

    private final Fakes f = new Fakes();
    private final KlaviyoRequest getLists = KlaviyoRequest.get("/api/lists?page%5Bsize%5D=1", RateLimitBucket.LIST_READ);

    @Test
    void waitsRetryAfterSecondsOn429ThenRetries() {
        f.transport.respond(429, Map.of("Retry-After", "7"), Fakes.error(429, "throttled", "slow down"))
                .respond(200, "{\"data\":[]}");

        KlaviyoResponse r = f.api.send(getLists);

        assertEquals(200, r.status());
        assertEquals(List.of(Duration.ofSeconds(7)), f.sleeper.sleeps);
        assertEquals(2, f.transport.requests.size());
        assertEquals(1, f.api.retries());
        assertEquals(1, f.api.rateLimited());
    }

    @Test
    void without_retry_after_a_429_uses_the_backoff() {
        f.transport.respond(429, "").respond(200, "{}");

        f.api.send(getLists);

        // random 0.5 means no jitter: base delay
        assertEquals(List.of(Duration.ofMillis(500)), f.sleeper.sleeps);
    }

    @Test
    void serverErrorsBackOffExponentiallyAndGiveUpAfterMaxAttempts() {
        for (int i = 0; i < 6; i++) {
            f.transport.respond(503, "<html>Service Unavailable</html>");
        }

        KlaviyoUnavailableException e = assertThrows(KlaviyoUnavailableException.class, () -> f.api.send(getLists));

        assertEquals(503, e.lastStatus());
        assertEquals(6, e.attempts());
        assertTrue(e.outcomeUnknown());
        assertTrue(e.getMessage().contains("GET /api/lists"), e.getMessage());
        assertTrue(e.getMessage().contains("503"), e.getMessage());
        assertEquals(List.of(Duration.ofMillis(500), Duration.ofMillis(1000), Duration.ofMillis(2000),
                Duration.ofMillis(4000), Duration.ofMillis(8000)), f.sleeper.sleeps);
        assertEquals(5, f.api.retries());
        assertEquals(0, f.transport.remaining());
    }

    @Test
    void ioErrorsAreRetriedAndTheLastCauseIsKept() {
        SocketTimeoutException timeout = new SocketTimeoutException("read timed out");
        KlaviyoApi api = new KlaviyoApi(f.transport, Fakes.JSON, f.policy.withMaxAttempts(2));
        f.transport.fail(new IOException("reset")).fail(timeout);

        KlaviyoUnavailableException e = assertThrows(KlaviyoUnavailableException.class, () -> api.send(getLists));

        assertSame(timeout, e.getCause());
        assertEquals(KlaviyoCallEvent.NO_ANSWER, e.lastStatus());
    }

    @Test
    void ioErrorThenSuccess() {
        f.transport.fail(new IOException("reset")).respond(200, "{}");
        assertEquals(200, f.api.send(getLists).status());
        assertEquals(1, f.api.retries());
    }

    @Test
    void exhausted429IsNotAnUnknownOutcome() {
        KlaviyoApi api = new KlaviyoApi(f.transport, Fakes.JSON, f.policy.withMaxAttempts(2));
        for (int i = 0; i < KlaviyoApi.MAX_RATE_LIMITED_WAITS; i++) {
            f.transport.respond(429, Map.of("Retry-After", "1"), "");
        }

        KlaviyoUnavailableException e = assertThrows(KlaviyoUnavailableException.class, () -> api.send(getLists));

        assertFalse(e.outcomeUnknown());
        assertEquals(429, e.lastStatus());
        assertEquals(KlaviyoApi.MAX_RATE_LIMITED_WAITS, api.rateLimited(),
                "429s have their own bound, larger than maxAttempts");
    }

    @Test
    void unauthenticatedSaysTheKeyWasRefusedWithoutShowingIt() {
        f.transport.respond(401, Fakes.error(401, "not_authenticated",
                "Incorrect authentication credentials: pk_abc123secret"));

        KlaviyoAuthException e = assertThrows(KlaviyoAuthException.class, () -> f.api.send(getLists));

        assertEquals("KLAVIYO_API_KEY was refused by Klaviyo (401 not_authenticated): check that it is a private key"
                + " (pk_...) of the right account", e.getMessage());
        assertFalse(e.getMessage().contains("abc123"));
        assertEquals(401, e.status());
        assertEquals(0, f.api.retries());
    }

    @Test
    void forbiddenNamesTheScopeFromTheDetail() {
        f.transport.respond(403, Fakes.error(403, "permission_denied",
                "This API key is missing required scopes: lists:write"));
        KlaviyoRequest post = KlaviyoRequest.post("/api/lists", RateLimitBucket.LIST_WRITE, new byte[0]);

        KlaviyoAuthException e = assertThrows(KlaviyoAuthException.class, () -> f.api.send(post));

        assertEquals("lists:write", e.missingScope());
        assertTrue(e.getMessage().startsWith("KLAVIYO_API_KEY lacks the scope lists:write"), e.getMessage());
    }

    @Test
    void forbiddenWithoutScopeNamesTheEndpoint() {
        f.transport.respond(403, Fakes.error(403, "permission_denied", "You do not have permission."));

        KlaviyoAuthException e = assertThrows(KlaviyoAuthException.class, () -> f.api.send(getLists));

        assertNull(e.missingScope());
        assertTrue(e.getMessage().contains("GET /api/lists"), e.getMessage());
        assertFalse(e.getMessage().contains("page"), e.getMessage());
    }

    @Test
    void otherClientErrorsAreReturned() {
        f.transport.respond(404, Fakes.error(404, "not_found", "nope"));
        assertEquals(404, f.api.send(getLists).status());
        assertTrue(f.sleeper.sleeps.isEmpty());
    }

    @Test
    void exhaustedRateLimitWindowDelaysTheNextCallOfThatBucket() {
        f.transport.respond(200, Map.of("RateLimit-Remaining", "0", "RateLimit-Reset", "12"), "{}")
                .respond(200, "{}").respond(200, "{}");

        f.api.send(KlaviyoRequest.get("/api/profiles", RateLimitBucket.PROFILE_READ));
        f.api.send(getLists);
        assertTrue(f.sleeper.sleeps.isEmpty(), "other buckets are not delayed");
        f.api.send(KlaviyoRequest.get("/api/profiles", RateLimitBucket.PROFILE_READ));

        assertEquals(List.of(Duration.ofSeconds(12)), f.sleeper.sleeps);
    }

    @Test
    void listenersSeeEveryAttempt() {
        List<KlaviyoCallEvent> events = new ArrayList<>();
        f.api.addListener(events::add);
        f.transport.respond(503, "").respond(200, "{}");

        f.api.send(getLists);

        assertEquals(2, events.size());
        assertEquals(503, events.get(0).status());
        assertEquals(RateLimitBucket.LIST_READ, events.get(1).bucket());
        assertEquals("/api/lists", events.get(1).path());
        assertEquals(2, events.get(1).attempt());
    }

    @Test
    void backoffIsCappedAndJittered() {
        RetryPolicy low = RetryPolicy.defaults().withRandom(() -> 0.0);
        RetryPolicy high = RetryPolicy.defaults().withRandom(() -> 0.999999);
        assertEquals(Duration.ofMillis(250), low.backoff(1));
        assertEquals(Duration.ofMillis(750), high.backoff(1));
        assertEquals(Duration.ofSeconds(30), high.backoff(20));
        assertEquals(Duration.ofSeconds(15), low.backoff(20));
    }
}
