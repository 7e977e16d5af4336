package org.klaviyosync.app;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.Main;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.klaviyo.KeyCheck;
import org.klaviyosync.klaviyo.KlaviyoApi;
import org.klaviyosync.observe.KlaviyoKeyHealthCheck;
import org.klaviyosync.observe.KlaviyoRequestMetrics;
import org.klaviyosync.observe.RunProgressLogger;
import org.klaviyosync.observe.SyncControl;
import org.klaviyosync.observe.SyncHealthCheck;
import org.klaviyosync.observe.SyncMetrics;
import org.klaviyosync.observe.WarehouseHealthCheck;
import org.klaviyosync.run.RunRegistry;
import org.klaviyosync.settings.ObserveSettings;
import org.klaviyosync.settings.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator sees of the service: Prometheus metrics, the health checks (warehouse, Klaviyo
 * key, one per sync), one JMX MBean per sync and the progress lines of running syncs.
 */
final class Observing implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Observing.class);

    private final Settings settings;
    private final RunRegistry runs;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<ObjectName> mbeans = new ArrayList<>();
    private RunProgressLogger progress;

    Observing(Settings settings, RunRegistry runs) {
        this.settings = settings;
        this.runs = runs;
    }

    /** Before Camel starts: the metrics of the runs and of the Klaviyo calls ({@code klaviyo} may be null). */
    void bindMetrics(Main main, KlaviyoApi klaviyo) {
        // camel-micrometer-prometheus serves the registry bound under this name on /observe/metrics
        main.bind("metricsRegistry", meters);
        new SyncMetrics(runs, meters);
        if (klaviyo != null) {
            new KlaviyoRequestMetrics(klaviyo, meters);
        }
    }

    /**
     * Once Camel runs: progress lines and, when an operator can observe the process ({@code observed}),
     * health checks and one MBean per sync (its runNow through {@code runner}).
     */
    void start(CamelContext camel, Supplier<CamelContext> camelLookup, DataSource state, KlaviyoApi klaviyo,
            Collection<String> syncIds, SyncControl.Runner runner, boolean observed) throws Exception {
        progress = new RunProgressLogger(runs, Duration.ofSeconds(settings.get(ObserveSettings.PROGRESS_INTERVAL_SECONDS)));
        if (!observed) {
            return;
        }
        HealthCheckRegistry health = HealthCheckRegistry.get(camel);
        health.register(new WarehouseHealthCheck(state, settings.get(ObserveSettings.WAREHOUSE_TIMEOUT_SECONDS)));
        // the scopes check checks: an event sync needs events:write too, a sync with consent subscriptions:write
        Set<String> scopes = SyncDefinition.scopesOf(runs.syncs().values());
        health.register(new KlaviyoKeyHealthCheck(klaviyo == null ? null
                : () -> new KeyCheck(klaviyo).problems(scopes),
                Duration.ofSeconds(settings.get(ObserveSettings.KLAVIYO_CHECK_INTERVAL_SECONDS)), Clock.systemUTC()));
        int threshold = settings.get(ObserveSettings.FAILED_RUNS_THRESHOLD);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (String syncId : syncIds) {
            SyncHealthCheck check = new SyncHealthCheck(syncId, threshold);
            health.register(check);
            SyncControl control = new SyncControl(syncId, SyncRoutes.scheduleRouteId(syncId), runs, runner, camelLookup);
            runs.onRunEnded(s -> {
                if (s.sync().equals(syncId)) {
                    check.runEnded(s);
                    control.runEnded(s);
                }
            });
            ObjectName name = SyncControl.objectName(syncId);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(control, name);
            mbeans.add(name);
        }
    }

    PrometheusMeterRegistry meters() {
        return meters;
    }

    @Override
    public void close() {
        if (progress != null) {
            progress.close();
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName name : mbeans) {
            try {
                server.unregisterMBean(name);
            } catch (Exception e) {
                LOG.debug("MBean {} was already gone", name);
            }
        }
        mbeans.clear();
    }
}
