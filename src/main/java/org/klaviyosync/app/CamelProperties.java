package org.klaviyosync.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.klaviyosync.settings.ObserveSettings;
import org.klaviyosync.settings.ServiceSettings;
import org.klaviyosync.settings.Settings;
import org.klaviyosync.settings.StateSettings;
import org.klaviyosync.settings.WarehouseSettings;

/**
 * The properties Camel starts with: its own {@code camel.*} keys and every setting's value (the
 * routes' placeholders such as {@code {{klaviyo.submit-threads}}} state no default of their own),
 * where the routes are, the management server and what the mode decides (a one-shot command never
 * fires schedules nor purges on a timer).
 */
final class CamelProperties {

    private CamelProperties() {
    }

    static Properties of(Settings settings, Path root, SyncApplication.Mode mode, boolean clustered,
            int statementFetchSize, ShutdownGrace grace) {
        Properties props = settings.camelProperties();
        props.setProperty("camel.main.routes-include-pattern",
                "file:" + root.resolve(settings.get(ServiceSettings.ROUTES_DIR)) + "/*.yaml,file:"
                        + root.resolve(settings.get(ServiceSettings.SYNCS_DIR)) + "/*.yaml");
        props.setProperty("camel.main.routes-reload-enabled", "false");
        if (mode == SyncApplication.Mode.ONE_SHOT && observed(settings, mode)) {
            props.setProperty("camel.component.quartz.auto-start-scheduler", "false");
        }
        // the route's statement fetch size follows the engine's streaming rule (MySQL's driver wants Integer.MIN_VALUE)
        props.setProperty(WarehouseSettings.FETCH_SIZE.key(), String.valueOf(statementFetchSize));
        management(props, settings, mode);
        props.setProperty("camel.main.shutdown-timeout", Long.toString(grace.camelShutdownTimeout().toSeconds()));
        // the service purges the history on a schedule too (routes/klaviyo-sync-housekeeping.yaml)
        props.setProperty("state.purge-scheduled", Boolean.toString(mode == SyncApplication.Mode.SERVICE));
        props.setProperty("state.purge-interval-ms",
                Long.toString(Duration.ofSeconds(settings.get(StateSettings.PURGE_INTERVAL_SECONDS)).toMillis()));
        // the route template reads it: clustered triggers carry the fixed Camel context name
        props.setProperty("cluster.enabled", Boolean.toString(clustered));
        return props;
    }

    /**
     * Whether an operator can observe this process: the service, or a one-shot command with
     * {@code management.enabled} set. A one-shot command that is not observed starts Camel without JMX,
     * route metrics, schedule routes or a Quartz scheduler, none of which it would use.
     */
    static boolean observed(Settings settings, SyncApplication.Mode mode) {
        return mode == SyncApplication.Mode.SERVICE || managementEnabled(settings, mode);
    }

    private static boolean managementEnabled(Settings settings, SyncApplication.Mode mode) {
        return settings.find(ObserveSettings.MANAGEMENT_ENABLED).orElse(mode == SyncApplication.Mode.SERVICE);
    }

    /**
     * The management server (health, metrics, Jolokia) on {@code management.port}. On by default
     * for the service; off for one-shot CLI commands, which would otherwise fight the running
     * service for the port.
     */
    private static void management(Properties props, Settings settings, SyncApplication.Mode mode) {
        boolean enabled = managementEnabled(settings, mode);
        props.setProperty("camel.management.enabled", Boolean.toString(enabled));
        props.setProperty("camel.management.port", Integer.toString(settings.get(ObserveSettings.MANAGEMENT_PORT)));
        props.setProperty("camel.management.host", settings.get(ObserveSettings.MANAGEMENT_HOST));
        props.setProperty("camel.management.health-check-enabled", "true");
        props.setProperty("camel.management.metrics-enabled", "true");
        props.setProperty("camel.management.info-enabled", "true");
        props.setProperty("camel.management.jolokia-enabled",
                Boolean.toString(settings.get(ObserveSettings.JOLOKIA_ENABLED)));
        props.setProperty("camel.metrics.enabled", Boolean.toString(observed(settings, mode)));
        if (!observed(settings, mode)) {
            // nobody can look at a one-shot command's Camel MBeans or route metrics: registering an MBean per
            // route, processor and endpoint and a meter per route cost about 40% of Camel's start-up CPU
            props.setProperty("camel.main.jmx-enabled", "false");
        }
        // list every check with its message, not only the failing ones
        props.putIfAbsent("camel.health.exposure-level", "full");
    }
}
