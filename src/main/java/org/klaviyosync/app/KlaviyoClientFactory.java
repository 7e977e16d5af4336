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
import org.klaviyosync.settings.KlaviyoSettings;
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
                settings.get(KlaviyoSettings.BASE_URL), apiKey);
        RetryPolicy retry = RetryPolicy.defaults()
                .withMaxAttempts(settings.get(KlaviyoSettings.RETRY_MAX_ATTEMPTS))
                .withDelays(Duration.ofMillis(settings.get(KlaviyoSettings.RETRY_BASE_DELAY_MS)), 2.0,
                        Duration.ofMillis(settings.get(KlaviyoSettings.RETRY_MAX_DELAY_MS)));
        OutageBreaker breaker = new OutageBreaker(settings.get(KlaviyoSettings.OUTAGE_FAILURES),
                Duration.ofMillis(settings.get(KlaviyoSettings.OUTAGE_COOL_DOWN_MS)), Clock.systemUTC());
        return new KlaviyoApi(transport, json, retry, breaker);
    }
}
