package org.klaviyosync.klaviyo;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * How {@link KlaviyoApi} retries: at most {@code maxAttempts} tries of one call, waiting
 * {@code baseDelay * factor^(retry-1)} times a random jitter factor in {@code [1-jitter, 1+jitter]},
 * never more than {@code maxDelay}. A 429's {@code Retry-After} replaces the backoff.
 *
 * @param sleeper waits between attempts (tests pass one that does not sleep)
 * @param clock   time source for rate-limit pauses and job polling deadlines
 * @param random  uniform numbers in [0, 1) for the jitter
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, double factor, Duration maxDelay, double jitter,
                          Sleeper sleeper, Clock clock, DoubleSupplier random) {

    public static final int DEFAULT_MAX_ATTEMPTS = 6;
    public static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(500);
    public static final double DEFAULT_FACTOR = 2.0;
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(30);
    public static final double DEFAULT_JITTER = 0.5;

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        Objects.requireNonNull(baseDelay, "baseDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (baseDelay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("delays must not be negative");
        }
        if (factor < 1.0) {
            throw new IllegalArgumentException("factor must be at least 1, was " + factor);
        }
        if (jitter < 0.0 || jitter > 1.0) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
        }
        Objects.requireNonNull(sleeper, "sleeper");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
    }

    /** 6 attempts, 500 ms doubling up to 30 s, ±50% jitter, real sleeping and the system clock. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(DEFAULT_MAX_ATTEMPTS, DEFAULT_BASE_DELAY, DEFAULT_FACTOR, DEFAULT_MAX_DELAY,
                DEFAULT_JITTER, Sleeper.SYSTEM, Clock.systemUTC(), () -> ThreadLocalRandom.current().nextDouble());
    }

    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, baseDelay, factor, maxDelay, jitter, sleeper, clock, random);
    }

    public RetryPolicy withDelays(Duration base, double growth, Duration max) {
        return new RetryPolicy(maxAttempts, base, growth, max, jitter, sleeper, clock, random);
    }

    public RetryPolicy withJitter(double newJitter) {
        return new RetryPolicy(maxAttempts, baseDelay, factor, maxDelay, newJitter, sleeper, clock, random);
    }

    public RetryPolicy withSleeper(Sleeper newSleeper) {
        return new RetryPolicy(maxAttempts, baseDelay, factor, maxDelay, jitter, newSleeper, clock, random);
    }

    public RetryPolicy withClock(Clock newClock) {
        return new RetryPolicy(maxAttempts, baseDelay, factor, maxDelay, jitter, sleeper, newClock, random);
    }

    public RetryPolicy withRandom(DoubleSupplier newRandom) {
        return new RetryPolicy(maxAttempts, baseDelay, factor, maxDelay, jitter, sleeper, clock, newRandom);
    }

    /**
     * The wait before retry number {@code retry} (1 for the wait after the first failed attempt).
     * Jitter spreads the capped delay, and the result is capped again, so it never exceeds
     * {@code maxDelay} and still varies once the cap is reached.
     */
    public Duration backoff(int retry) {
        int exponent = Math.max(0, retry - 1);
        double millis = baseDelay.toMillis() * Math.pow(factor, exponent);
        double spread = 1.0 + jitter * (2.0 * random.getAsDouble() - 1.0);
        double cap = maxDelay.toMillis();
        double jittered = Math.min(Math.min(millis, cap) * spread, cap);
        return Duration.ofMillis(Math.max(0L, Math.round(jittered)));
    }
}
