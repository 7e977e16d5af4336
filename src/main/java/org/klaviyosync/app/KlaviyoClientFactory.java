package org.klaviyosync.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.klaviyosync.klaviyo.KlaviyoApi;
import org.klaviyosync.klaviyo.OutageBreaker;
import org.klaviyosync.klaviyo.RetryPolicy;
import org.klaviyosync.pipeline.CamelKlaviyoTransport;
import org.klaviyosync.settings.Settings;

/**
 * The Klaviyo client: calls go through the {@code klaviyo-api} route (throttled per rate limit),
 * retried and backed off as the settings say, behind the outage breaker.
 */
final class KlaviyoClientFactory {

    private KlaviyoClientFactory() {
    }

    static KlaviyoApi create(Settings settings, Supplier<CamelContext> camel, String apiKey, ObjectMapper json) {
        CamelKlaviyoTransport transport = new CamelKlaviyoTransport(camel,
                settings.get("klaviyo.base-url", "https://a.klaviyo.com"), apiKey);
        RetryPolicy retry = RetryPolicy.defaults()
                .withMaxAttempts(settings.getInt("klaviyo.retry.max-attempts", RetryPolicy.DEFAULT_MAX_ATTEMPTS))
                .withDelays(Duration.ofMillis(settings.getLong("klaviyo.retry.base-delay-ms", 500)), 2.0,
                        Duration.ofMillis(settings.getLong("klaviyo.retry.max-delay-ms", 30_000)));
        OutageBreaker breaker = new OutageBreaker(settings.getInt("klaviyo.outage.failures", 5),
                Duration.ofMillis(settings.getLong("klaviyo.outage.cool-down-ms", 60_000)), Clock.systemUTC());
        return new KlaviyoApi(transport, json, retry, breaker);
    }
}
