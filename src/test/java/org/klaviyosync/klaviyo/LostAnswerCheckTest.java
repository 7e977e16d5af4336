package org.klaviyosync.klaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link KlaviyoApi#sendCheckingBeforeResend}: the client's one retry loop, asking before each resend. */
class LostAnswerCheckTest {

    private final Fakes f = new Fakes();
    private final KlaviyoApi api = new KlaviyoApi(f.transport, Fakes.JSON, f.policy.withMaxAttempts(3));
    private final KlaviyoRequest create = KlaviyoRequest.post("/api/lists", RateLimitBucket.LIST_WRITE, new byte[0]);
    private final AtomicInteger checks = new AtomicInteger();

    private String send() {
        return api.sendCheckingBeforeResend(create, r -> "answered " + r.status(), () -> {
            checks.incrementAndGet();
            return Optional.empty();
        });
    }

    @Test
    void aCheckThatFindsTheEffectEndsTheCallWithoutResending() {
        f.transport.fail(new IOException("reset"));

        String result = api.sendCheckingBeforeResend(create, r -> "answered", () -> Optional.of("found"));

        assertEquals("found", result);
        assertEquals(1, f.transport.requests.size());
        assertEquals(1, api.retries());
        assertEquals(1, f.sleeper.sleeps.size(), "the backoff comes before the check");
    }

    @Test
    void lostAnswersAreCheckedThenResentUpToMaxAttempts() {
        f.transport.fail(new IOException("reset")).fail(new IOException("reset")).fail(new IOException("reset"));

        KlaviyoUnavailableException e = assertThrows(KlaviyoUnavailableException.class, this::send);

        assertTrue(e.outcomeUnknown());
        assertEquals(3, e.attempts());
        assertEquals(3, f.transport.requests.size());
        assertEquals(2, checks.get(), "one check before each resend");
        assertEquals(2, api.retries());
    }

    @Test
    void anyServerErrorIsResentOnceTheCheckFoundNothing() {
        // 501 is not retried blindly by send(); after a check it is safe to send again
        f.transport.respond(501, "").respond(201, "{}");

        assertEquals("answered 201", send());
        assertEquals(1, checks.get());
    }

    @Test
    void anAnswerGoesToTheCallerWithoutACheck() {
        f.transport.respond(429, java.util.Map.of("Retry-After", "1"), "").respond(400, Fakes.error(400, "invalid", "bad"));

        assertEquals("answered 400", send());
        assertEquals(0, checks.get());
    }
}
