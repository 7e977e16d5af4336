package org.klaviyosync.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.klaviyosync.klaviyo.RateLimitBucket;

/**
 * The route {@code klaviyo-api} from routes/klaviyo-api.yaml paces each rate-limit bucket on its
 * own: with a per-second limit of 2, a bucket's third request waits for the next window, while a
 * request of another bucket goes straight through. The HTTP endpoint is replaced by a mock.
 */
class KlaviyoApiThrottleTest extends CamelTestSupport {

    private static final int PER_SECOND = 2;
    /** The route's per-second window (a little longer than Klaviyo's second). */
    private static final long WINDOW_MS = 1100;

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        Properties p = new Properties();
        for (RateLimitBucket bucket : RateLimitBucket.values()) {
            p.setProperty("klaviyo.limits." + bucket.headerValue() + ".per-second", String.valueOf(PER_SECOND));
            p.setProperty("klaviyo.limits." + bucket.headerValue() + ".per-minute", "1000");
        }
        // the buckets without a throttle of their own share the route's "reads" throttle
        p.setProperty("klaviyo.limits.reads.per-second", String.valueOf(PER_SECOND));
        p.setProperty("klaviyo.limits.reads.per-minute", "1000");
        p.setProperty("klaviyo.base-url", "http://klaviyo.invalid");
        p.setProperty("klaviyo.revision", "2026-07-15");
        configuration.withUseOverridePropertiesWithPropertiesComponent(p)
                .withMockEndpointsAndSkip("http*");
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        return RouteFiles.builders(context, "klaviyo-api.yaml");
    }

    private long requestMillis(RateLimitBucket bucket) {
        long start = System.nanoTime();
        template.requestBodyAndHeader("direct:klaviyo-api", "", "klaviyoBucket", bucket.headerValue());
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private List<Exchange> sentToKlaviyo() {
        return context.getEndpoints().stream().filter(MockEndpoint.class::isInstance).map(MockEndpoint.class::cast)
                .flatMap(m -> m.getReceivedExchanges().stream()).toList();
    }

    @ParameterizedTest
    @EnumSource(RateLimitBucket.class)
    void aBucketsPerSecondLimitDelaysItsOwnRequestsOnly(RateLimitBucket bucket) throws Exception {
        RateLimitBucket other = bucket == RateLimitBucket.BULK_IMPORT ? RateLimitBucket.LIST_WRITE
                : RateLimitBucket.BULK_IMPORT;
        long start = System.nanoTime();
        for (int i = 0; i < PER_SECOND; i++) {
            requestMillis(bucket);
        }
        CompletableFuture<Long> overLimit = CompletableFuture.supplyAsync(() -> requestMillis(bucket));

        long otherMs = requestMillis(other);
        overLimit.get(30, TimeUnit.SECONDS);
        long bucketMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(bucketMs >= WINDOW_MS - 50, bucket + ": " + (PER_SECOND + 1) + " requests took " + bucketMs
                + " ms, less than the " + WINDOW_MS + " ms window");
        assertTrue(otherMs < 500, other + " waited " + otherMs + " ms while " + bucket + " was at its limit");
        List<Exchange> sent = sentToKlaviyo();
        assertEquals(PER_SECOND + 2, sent.size(), "every request reached the HTTP endpoint");
        for (Exchange e : sent) {
            assertEquals("2026-07-15", e.getMessage().getHeader("revision"));
            assertFalse(e.getMessage().getHeaders().containsKey("klaviyoBucket"), "working headers are not sent");
        }
    }
}
