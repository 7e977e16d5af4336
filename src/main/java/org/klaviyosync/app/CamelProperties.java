package org.klaviyosync.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.klaviyosync.settings.Settings;

/**
 * The properties Camel starts with: its own {@code camel.*} keys from the settings, the settings
 * the YAML routes read as placeholders, where the routes are, the management server and what the
 * mode decides (a one-shot command never fires schedules nor purges on a timer).
 */
final class CamelProperties {

    private CamelProperties() {
    }

    static Properties of(Settings settings, Path root, SyncApplication.Mode mode, boolean clustered,
            int statementFetchSize, ShutdownGrace grace) {
        Properties props = settings.camelProperties();
        String routesDir = settings.get("routes.dir", "routes");
        String syncsDir = settings.get("syncs.dir", "routes/syncs");
        props.setProperty("camel.main.routes-include-pattern",
                "file:" + root.resolve(routesDir) + "/*.yaml,file:" + root.resolve(syncsDir) + "/*.yaml");
        props.setProperty("camel.main.routes-reload-enabled", "false");
        if (mode == SyncApplication.Mode.ONE_SHOT) {
            props.setProperty("camel.component.quartz.auto-start-scheduler", "false");
        }
        for (String key : new String[] {"klaviyo.base-url", "klaviyo.revision", "klaviyo.connect-timeout-ms",
            "klaviyo.response-timeout-ms", "klaviyo.submit-threads", "klaviyo.submit-queue"}) {
            settings.get(key).ifPresent(v -> props.setProperty(key, v));
        }
        // the route's statement fetch size follows the engine's streaming rule (MySQL's driver wants Integer.MIN_VALUE)
        props.setProperty("warehouse.fetch-size", String.valueOf(statementFetchSize));
        management(props, settings, mode);
        props.setProperty("camel.main.shutdown-timeout", Long.toString(grace.camelShutdownTimeout().toSeconds()));
        // the service purges the history on a schedule too (routes/klaviyo-sync-housekeeping.yaml)
        props.setProperty("state.purge-scheduled", Boolean.toString(mode == SyncApplication.Mode.SERVICE));
        props.setProperty("state.purge-interval-ms",
                Long.toString(Duration.ofSeconds(settings.getLong("state.purge-interval-seconds", 86_400)).toMillis()));
        // the route template reads it: clustered triggers carry the fixed Camel context name
        props.setProperty("cluster.enabled", Boolean.toString(clustered));
        props.putIfAbsent("klaviyo.revision", "2026-07-15");
        props.putIfAbsent("klaviyo.base-url", "https://a.klaviyo.com");
        return props;
    }

    /**
     * The management server (health, metrics, Jolokia) on {@code management.port}. On by default
     * for the service; off for one-shot CLI commands, which would otherwise fight the running
     * service for the port.
     */
    private static void management(Properties props, Settings settings, SyncApplication.Mode mode) {
        boolean enabled = settings.getBoolean("management.enabled", mode == SyncApplication.Mode.SERVICE);
        props.setProperty("camel.management.enabled", Boolean.toString(enabled));
        props.setProperty("camel.management.port", Integer.toString(settings.getInt("management.port", 9876)));
        props.setProperty("camel.management.host", settings.get("management.host", "0.0.0.0"));
        props.setProperty("camel.management.health-check-enabled", "true");
        props.setProperty("camel.management.metrics-enabled", "true");
        props.setProperty("camel.management.info-enabled", "true");
        props.setProperty("camel.management.jolokia-enabled",
                Boolean.toString(settings.getBoolean("management.jolokia-enabled", true)));
        props.setProperty("camel.metrics.enabled", "true");
        // list every check with its message, not only the failing ones
        props.putIfAbsent("camel.health.exposure-level", "full");
    }
}
