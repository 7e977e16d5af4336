package org.klaviyosync.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Navigate;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.Model;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.processor.TotalRequestsThrottler;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.klaviyosync.klaviyo.RateLimit;
import org.klaviyosync.klaviyo.RateLimitBucket;
import org.klaviyosync.pipeline.KlaviyoThrottleRoutes;
import org.klaviyosync.settings.ConfigurationException;
import org.klaviyosync.settings.KlaviyoSettings;
import org.klaviyosync.settings.Settings;

/**
 * The route {@code klaviyo-api} from routes/klaviyo-api.yaml, with the throttle routes
 * {@link KlaviyoThrottleRoutes} makes of its template, paces each rate limit on its own: with a
 * per-second limit of 2, a bucket's third request waits for the next window, while a request of a
 * bucket with another limit goes straight through. The HTTP endpoint is replaced by a mock.
 */
class KlaviyoApiThrottleTest extends CamelTestSupport {

    private static final int PER_SECOND = 2;
    /** The route's per-second window (a little longer than Klaviyo's second). */
    private static final long WINDOW_MS = 1100;

    /**
     * Every limit's burst lowered to {@value #PER_SECOND} through its settings key; its steady rate
     * raised to 1000, through the environment form for reads, and left at Klaviyo's documented
     * default for bulk imports.
     */
    static Settings lowBursts() {
        Map<String, String> file = new HashMap<>();
        for (RateLimit limit : RateLimit.values()) {
            file.put(KlaviyoSettings.perSecond(limit).key(), String.valueOf(PER_SECOND));
            if (limit != RateLimit.BULK_IMPORT && limit != RateLimit.READS) {
                file.put(KlaviyoSettings.perMinute(limit).key(), "1000");
            }
        }
        return Settings.of(file, Map.of("KLAVIYO_LIMITS_READS_PER_MINUTE", "1000"));
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        // the declared settings the route's placeholders read, with Klaviyo nowhere
        Properties p = Settings.of(Map.of(), Map.of("KLAVIYO_BASE_URL", "http://klaviyo.invalid")).camelProperties();
        configuration.withUseOverridePropertiesWithPropertiesComponent(p)
                .withMockEndpointsAndSkip("http*");
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        List<RoutesBuilder> builders = new ArrayList<>(List.of(RouteFiles.builders(context, "klaviyo-api.yaml")));
        builders.add(new KlaviyoThrottleRoutes(lowBursts()));
        return builders.toArray(RoutesBuilder[]::new);
    }

    private long requestMillis(RateLimitBucket bucket) {
        long start = System.nanoTime();
        // as CamelKlaviyoTransport sends it
        template.requestBodyAndHeader("direct:klaviyo-api", "", "klaviyoRateLimit", bucket.rateLimit().id());
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
        assertNotEquals(bucket.rateLimit(), other.rateLimit());
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
            assertFalse(e.getMessage().getHeaders().containsKey("klaviyoRateLimit"), "working headers are not sent");
        }
    }

    @ParameterizedTest
    @EnumSource(value = RateLimitBucket.class, names = {"LIST_READ", "PROFILE_READ"})
    void listReadsAndProfileReadsCountAgainstOneLimit(RateLimitBucket bucket) throws Exception {
        RateLimitBucket otherRead = bucket == RateLimitBucket.LIST_READ ? RateLimitBucket.PROFILE_READ
                : RateLimitBucket.LIST_READ;
        long start = System.nanoTime();
        for (int i = 0; i < PER_SECOND; i++) {
            requestMillis(bucket);
        }
        requestMillis(otherRead);
        long readsMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(readsMs >= WINDOW_MS - 50, PER_SECOND + " " + bucket + " and one " + otherRead + " took " + readsMs
                + " ms, less than the " + WINDOW_MS + " ms window of the reads limit they share");
        assertEquals(PER_SECOND + 1, sentToKlaviyo().size());
    }

    @ParameterizedTest
    @EnumSource(RateLimit.class)
    void eachLimitHasAThrottleRouteWithItsBurstAndSteadyRate(RateLimit limit) {
        Route route = context.getRoute("klaviyo-throttle-" + limit.id());
        assertEquals("direct://klaviyo-throttle-" + limit.id(), route.getEndpoint().getEndpointUri());
        int perMinute = limit == RateLimit.BULK_IMPORT ? limit.steadyPerMinute() : 1000;
        assertThrottle(route, limit.id() + "-per-second", PER_SECOND, 1100);
        assertThrottle(route, limit.id() + "-per-minute", perMinute, 61000);
        for (ProcessorDefinition<?> step : context.getCamelContextExtension().getContextPlugin(Model.class)
                .getRouteDefinition("klaviyo-throttle-" + limit.id()).getOutputs()) {
            // Hawtio shows the template's own text: a {{parameter}} would show unresolved
            assertFalse(step.getDescription().isBlank() || step.getDescription().contains("{{"),
                    step.getId() + ": " + step.getDescription());
        }
    }

    private void assertThrottle(Route route, String nodeId, int calls, long windowMs) {
        List<TotalRequestsThrottler> found = new ArrayList<>();
        collectThrottles(route.navigate(), found);
        String ids = found.stream().map(TotalRequestsThrottler::getId).toList().toString();
        found.removeIf(t -> !t.getId().equals(nodeId));
        assertEquals(1, found.size(), route.getId() + " " + nodeId + " among " + ids);
        TotalRequestsThrottler throttle = found.get(0);
        assertEquals(calls, throttle.getMaximumRequestsExpression().evaluate(new DefaultExchange(context),
                Integer.class), nodeId);
        assertEquals(windowMs, throttle.getTimePeriodMillis(), nodeId);
    }

    private static void collectThrottles(Navigate<Processor> nav, List<TotalRequestsThrottler> found) {
        if (nav == null || !nav.hasNext()) {
            return;
        }
        for (Processor p : nav.next()) {
            if (p instanceof TotalRequestsThrottler t) {
                found.add(t);
            }
            if (p instanceof Navigate<?> child) {
                @SuppressWarnings("unchecked")
                Navigate<Processor> next = (Navigate<Processor>) child;
                collectThrottles(next, found);
            }
        }
    }

    @Test
    void aLimitBelowOneIsRefusedNamingItsSettingAndVariable() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> new KlaviyoThrottleRoutes(
                Settings.of(Map.of(), Map.of("KLAVIYO_LIMITS_BULK_JOB_READ_PER_MINUTE", "0"))));
        assertEquals("klaviyo.limits.bulk-job-read.per-minute (environment KLAVIYO_LIMITS_BULK_JOB_READ_PER_MINUTE)"
                + " must be at least 1, not 0", e.getMessage());
    }
}
