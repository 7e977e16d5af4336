package org.klaviyosync.observe;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.klaviyosync.klaviyo.KlaviyoApi;
import org.klaviyosync.klaviyo.KlaviyoCallEvent;

/**
 * Klaviyo calls by endpoint (the rate-limit bucket, never a path with ids in it), method and
 * status; 429 answers and retries.
 */
public final class KlaviyoRequestMetrics {

    private final MeterRegistry registry;

    public KlaviyoRequestMetrics(KlaviyoApi api, MeterRegistry registry) {
        this.registry = registry;
        FunctionCounter.builder("klaviyosync.klaviyo.retries", api, KlaviyoApi::retries)
                .description("Klaviyo calls sent again (429, 5xx, no answer)").register(registry);
        FunctionCounter.builder("klaviyosync.klaviyo.rate.limited", api, KlaviyoApi::rateLimited)
                .description("Klaviyo answers with HTTP 429").register(registry);
        api.addListener(this::called);
    }

    private void called(KlaviyoCallEvent e) {
        String status = e.answered() ? Integer.toString(e.status()) : "no_answer";
        registry.counter("klaviyosync.klaviyo.requests", "endpoint", e.bucket().headerValue(), "method", e.method(),
                "status", status).increment();
    }
}
