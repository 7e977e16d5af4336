package org.klaviyosync.pipeline;

import java.util.EnumMap;
import java.util.Map;
import org.apache.camel.builder.RouteBuilder;
import org.klaviyosync.klaviyo.RateLimit;
import org.klaviyosync.settings.KlaviyoSettings;
import org.klaviyosync.settings.Settings;

/**
 * One throttle route per {@link RateLimit}, each an instance of the route template
 * {@code klaviyo-bucket-throttle} (routes/klaviyo-api.yaml) named {@code klaviyo-throttle-<limit>},
 * with the limit's burst and steady rate: the documented default unless its setting
 * ({@link KlaviyoSettings#perSecond}, {@link KlaviyoSettings#perMinute}) says otherwise.
 */
public final class KlaviyoThrottleRoutes extends RouteBuilder {

    public static final String TEMPLATE = "klaviyo-bucket-throttle";

    private final Map<RateLimit, int[]> limits = new EnumMap<>(RateLimit.class);

    public KlaviyoThrottleRoutes(Settings settings) {
        for (RateLimit limit : RateLimit.values()) {
            limits.put(limit, new int[] {settings.get(KlaviyoSettings.perSecond(limit)),
                settings.get(KlaviyoSettings.perMinute(limit))});
        }
    }

    @Override
    public void configure() {
        limits.forEach((limit, perSecondPerMinute) -> templatedRoute(TEMPLATE)
                .routeId("klaviyo-throttle-" + limit.id())
                // step ids as bulk-import-per-second (without it Camel prefixes an instance's ids route-<n>)
                .prefixId(limit.id() + "-")
                .parameter("rateLimit", limit.id())
                .parameter("perSecond", String.valueOf(perSecondPerMinute[0]))
                .parameter("perMinute", String.valueOf(perSecondPerMinute[1])));
    }
}
