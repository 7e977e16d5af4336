package org.klaviyosync.klaviyo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Stops the process from hammering Klaviyo during an outage. After {@code threshold} calls in a
 * row have exhausted their retries without an answer worth having (5xx, no answer), the breaker
 * opens: calls fail at once for {@code coolDown}. The first call after that is let through as a
 * probe; an answer closes the breaker, another failure opens it again. Shared by every sync of
 * the process, like the rate limits.
 */
public final class OutageBreaker {

    private final int threshold;
    private final Duration coolDown;
    private final Clock clock;
    private int consecutiveFailures;
    private Instant openUntil;

    public OutageBreaker(int threshold, Duration coolDown, Clock clock) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1");
        }
        this.threshold = threshold;
        this.coolDown = coolDown;
        this.clock = clock;
    }

    /** A breaker that never opens. */
    public static OutageBreaker disabled() {
        return new OutageBreaker(Integer.MAX_VALUE, Duration.ZERO, Clock.systemUTC());
    }

    /** Throws when the breaker is open; otherwise the call may go ahead. */
    public synchronized void beforeCall(String endpoint) {
        if (openUntil == null) {
            return;
        }
        Instant now = clock.instant();
        if (now.isBefore(openUntil)) {
            throw new KlaviyoUnavailableException("Klaviyo looks unavailable: " + consecutiveFailures
                    + " calls in a row failed after all their retries; not calling " + endpoint + " again before "
                    + openUntil, endpoint, KlaviyoCallEvent.NO_ANSWER, 0, false, null);
        }
        // cool-down over: let this call through as a probe
        openUntil = null;
    }

    /** Klaviyo answered (any status that is not a server error). */
    public synchronized void answered() {
        consecutiveFailures = 0;
        openUntil = null;
    }

    /** A call exhausted its retries. */
    public synchronized void failed() {
        consecutiveFailures++;
        if (consecutiveFailures >= threshold) {
            openUntil = clock.instant().plus(coolDown);
        }
    }

    public synchronized boolean isOpen() {
        return openUntil != null && clock.instant().isBefore(openUntil);
    }
}
