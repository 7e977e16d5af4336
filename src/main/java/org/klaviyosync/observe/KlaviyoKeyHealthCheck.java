package org.klaviyosync.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.klaviyosync.klaviyo.ApiErrors;

/**
 * Up when the API key works and has every scope the syncs need. The check costs four Klaviyo
 * calls, so its answer is kept for {@code cacheFor} before asking again. In a dry run (no key)
 * it is up and says so.
 */
public final class KlaviyoKeyHealthCheck extends AbstractHealthCheck {

    private final Supplier<List<String>> keyProblems;
    private final Duration cacheFor;
    private final Clock clock;
    private List<String> lastProblems;
    private Instant checkedAt;

    /** @param keyProblems the key check, or null in a dry run */
    public KlaviyoKeyHealthCheck(Supplier<List<String>> keyProblems, Duration cacheFor, Clock clock) {
        super("klaviyo-sync", "klaviyo");
        this.keyProblems = keyProblems;
        this.cacheFor = cacheFor;
        this.clock = clock;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (keyProblems == null) {
            builder.up().message("dry run: KLAVIYO_API_KEY is not set, nothing is sent to Klaviyo");
            return;
        }
        List<String> problems = problems();
        if (problems.isEmpty()) {
            builder.up().message("the API key works and has the needed scopes");
        } else {
            builder.down().message(ApiErrors.scrub(String.join("; ", problems)));
        }
    }

    private synchronized List<String> problems() {
        Instant now = clock.instant();
        if (checkedAt == null || !now.isBefore(checkedAt.plus(cacheFor))) {
            try {
                lastProblems = List.copyOf(keyProblems.get());
            } catch (RuntimeException e) {
                lastProblems = List.of("could not check the key: " + e.getMessage());
            }
            checkedAt = now;
        }
        return lastProblems;
    }
}
