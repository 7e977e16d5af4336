package org.klaviyosync.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.DefaultMainShutdownStrategy;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.component.quartz.QuartzComponent;
import org.klaviyosync.cluster.ClusterSettings;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.klaviyo.BulkImportJobs;
import org.klaviyosync.klaviyo.KeyCheck;
import org.klaviyosync.klaviyo.KlaviyoApi;
import org.klaviyosync.klaviyo.ListCreationBudget;
import org.klaviyosync.klaviyo.ListDirectory;
import org.klaviyosync.klaviyo.ListResolution;
import org.klaviyosync.klaviyo.OutageBreaker;
import org.klaviyosync.klaviyo.ProfileImports;
import org.klaviyosync.klaviyo.RetryPolicy;
import org.klaviyosync.observe.HandNamedStepsXmlDumper;
import org.klaviyosync.observe.JolokiaAccess;
import org.klaviyosync.observe.KlaviyoKeyHealthCheck;
import org.klaviyosync.observe.KlaviyoRequestMetrics;
import org.klaviyosync.observe.RunProgressLogger;
import org.klaviyosync.observe.SyncControl;
import org.klaviyosync.observe.SyncHealthCheck;
import org.klaviyosync.observe.SyncMetrics;
import org.klaviyosync.observe.WarehouseHealthCheck;
import org.klaviyosync.pipeline.BatchFlusher;
import org.klaviyosync.pipeline.BulkImportSubmitter;
import org.klaviyosync.pipeline.BulkJobSettler;
import org.klaviyosync.pipeline.CamelKlaviyoTransport;
import org.klaviyosync.pipeline.DeadLetterRecorder;
import org.klaviyosync.pipeline.DryRunRecorder;
import org.klaviyosync.pipeline.NullClearer;
import org.klaviyosync.pipeline.ExchangeKeys;
import org.klaviyosync.pipeline.KlaviyoThrottleRoutes;
import org.klaviyosync.pipeline.ModelRows;
import org.klaviyosync.pipeline.ProfilePayloadProcessor;
import org.klaviyosync.pipeline.MappingWorkers;
import org.klaviyosync.pipeline.FingerprintCommits;
import org.klaviyosync.pipeline.BatchDeliveries;
import org.klaviyosync.pipeline.ProfileRouter;
import org.klaviyosync.pipeline.RunFailer;
import org.klaviyosync.pipeline.RunFinisher;
import org.klaviyosync.pipeline.RunStarter;
import org.klaviyosync.run.ListTargets;
import org.klaviyosync.run.RunOptions;
import org.klaviyosync.run.RunRegistry;
import org.klaviyosync.run.RunSummary;
import org.klaviyosync.settings.ConfigurationException;
import org.klaviyosync.settings.Settings;
import org.klaviyosync.state.FingerprintStore;
import org.klaviyosync.state.HistoryRetention;
import org.klaviyosync.state.StateStore;
import org.klaviyosync.state.SyncLocks;
import org.klaviyosync.warehouse.ConnectionFailure;
import org.klaviyosync.warehouse.DemoCustomers;
import org.klaviyosync.warehouse.DuplicateIdentifierQuery;
import org.klaviyosync.warehouse.RowFingerprints;
import org.klaviyosync.warehouse.EmbeddedWarehouse;
import org.klaviyosync.warehouse.ModelColumns;
import org.klaviyosync.warehouse.ModelRowMapper;
import org.klaviyosync.warehouse.WarehouseConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembled service: validated syncs, warehouse pools, bookkeeping, the Klaviyo client and
 * the Camel routes. The service mode lets Quartz fire the schedules; the one-shot mode (CLI
 * commands) keeps the scheduler stopped and runs syncs on demand. Every run, scheduled or on
 * demand, is sent to the sync's direct endpoint.
 */
public final class SyncApplication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SyncApplication.class);

    public enum Mode { SERVICE, ONE_SHOT }

    private final Settings settings;
    private final Path root;
    private final Mode mode;
    private final Map<String, SyncDefinition> syncs;
    private final ObjectMapper json = new ObjectMapper();
    private EmbeddedWarehouse embedded;
    private WarehouseConnections connections;
    private StateStore store;
    private RunRegistry runs;
    private Main main;
    private KlaviyoApi klaviyo;
    private DryRunRecorder dryRunRecorder;
    private MappingWorkers mappingWorkers;
    private BulkJobSettler settler;
    private List<String> columnCheckNotes = new ArrayList<>();
    private PrometheusMeterRegistry meters;
    private RunProgressLogger progress;
    private final List<ObjectName> mbeans = new ArrayList<>();
    private ClusterSettings cluster;
    private HistoryRetention retention;
    private volatile ProducerTemplate runSender;

    private SyncApplication(Settings settings, Path root, Mode mode, Map<String, SyncDefinition> syncs) {
        this.settings = settings;
        this.root = root;
        this.mode = mode;
        this.syncs = syncs;
    }

    /**
     * Validates the sync files, opens the warehouse (starting the embedded one if none is
     * configured), checks model columns and prepares the bookkeeping schema. Throws
     * {@link ConfigurationException} with every problem found.
     */
    public static SyncApplication prepare(Settings settings, Path root, Mode mode) throws Exception {
        Map<String, SyncDefinition> syncs = SyncCatalogLoader.load(root, root.resolve(settings.get("routes.dir", "routes")),
                root.resolve(settings.get("syncs.dir", "routes/syncs")));
        SyncApplication app = new SyncApplication(settings, root, mode, syncs);
        try {
            app.openWarehouse();
            app.checkModelColumns();
            app.cluster = ClusterSettings.from(settings);
            app.store = new StateStore(app.connections.state());
            try {
                app.store.migrate();
            } catch (SQLException e) {
                if (!ConnectionFailure.is(e)) {
                    throw e;
                }
                throw new SQLException("could not connect to the bookkeeping database ("
                        + app.connections.describeState() + "): " + ConnectionFailure.reason(e), e.getSQLState(), e);
            }
            app.retention = new HistoryRetention(app.store, settings.getInt("state.retention-days", 30));
            app.retention.purge();
            return app;
        } catch (Exception e) {
            app.close();
            throw e;
        }
    }

    private void openWarehouse() throws SQLException {
        Optional<String> url = settings.get("warehouse.jdbc-url");
        if (url.isPresent()) {
            connections = WarehouseConnections.open(settings, url.get(), settings.get("warehouse.user", null),
                    settings.secret(Settings.WAREHOUSE_PASSWORD));
            LOG.info("Warehouse {} ({}): models {}", connections.describeWarehouse(),
                    connections.engine().displayName(), connections.describeStreaming());
            return;
        }
        embedded = EmbeddedWarehouse.start(root.resolve(settings.get("embedded.data-dir", "data/embedded-postgres")));
        connections = WarehouseConnections.open(settings, embedded.jdbcUrl(), embedded.user(), Optional.empty());
        DemoCustomers.ensure(connections.state(), settings.getInt("embedded.demo-rows", DemoCustomers.DEFAULT_ROWS));
    }

    private void checkModelColumns() {
        ModelColumnCheck check = new ModelColumnCheck(new ModelColumns(connections.models()));
        List<String> problems = new ArrayList<>();
        for (SyncDefinition sync : syncs.values()) {
            try {
                problems.addAll(check.check(sync, check.columnsOf(sync)));
            } catch (SQLException e) {
                if (ConnectionFailure.is(e)) {
                    String note = "could not check the columns of sync '" + sync.syncId() + "': could not connect to"
                            + " the warehouse (" + connections.describeWarehouse() + "): " + ConnectionFailure.reason(e);
                    LOG.warn(note);
                    columnCheckNotes.add(note);
                    // the warehouse is not answering: the other models cannot be checked either, but the
                    // problems found so far must still stop start-up
                    break;
                }
                problems.add(ModelColumnCheck.describeModelError(sync, e));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
    }

    /** Starts Camel with the routes and beans; in service mode the Quartz schedules start firing. */
    public void start() throws Exception {
        Optional<String> apiKey = settings.secret(Settings.KLAVIYO_API_KEY);
        main = new Main();
        main.setDefaultPropertyPlaceholderLocation("false");
        Properties props = settings.camelProperties();
        String routesDir = settings.get("routes.dir", "routes");
        String syncsDir = settings.get("syncs.dir", "routes/syncs");
        props.setProperty("camel.main.routes-include-pattern",
                "file:" + root.resolve(routesDir) + "/*.yaml,file:" + root.resolve(syncsDir) + "/*.yaml");
        props.setProperty("camel.main.routes-reload-enabled", "false");
        // the application stops Camel itself (SIGTERM), after letting active runs end cleanly
        if (main.getShutdownStrategy() instanceof DefaultMainShutdownStrategy strategy) {
            strategy.disableHangupSupport();
        }
        if (mode == Mode.ONE_SHOT) {
            props.setProperty("camel.component.quartz.auto-start-scheduler", "false");
        }
        for (String key : new String[] {"klaviyo.base-url", "klaviyo.revision", "klaviyo.connect-timeout-ms",
            "klaviyo.response-timeout-ms", "klaviyo.submit-threads", "klaviyo.submit-queue"}) {
            settings.get(key).ifPresent(v -> props.setProperty(key, v));
        }
        // the route's statement fetch size follows the engine's streaming rule (MySQL's driver wants Integer.MIN_VALUE)
        props.setProperty("warehouse.fetch-size", String.valueOf(connections.statementFetchSize()));
        // one throttle route per Klaviyo rate limit, at its documented or configured limits
        main.configure().addRoutesBuilder(new KlaviyoThrottleRoutes(settings));
        managementProperties(props);
        props.setProperty("camel.main.shutdown-timeout", Long.toString(camelShutdownTimeout().toSeconds()));
        // the service purges the history on a schedule too (routes/klaviyo-sync-housekeeping.yaml)
        props.setProperty("state.purge-scheduled", Boolean.toString(mode == Mode.SERVICE));
        props.setProperty("state.purge-interval-ms",
                Long.toString(Duration.ofSeconds(settings.getLong("state.purge-interval-seconds", 86_400)).toMillis()));
        // the route template reads it: clustered triggers carry the fixed Camel context name
        props.setProperty("cluster.enabled", Boolean.toString(clustered()));
        props.putIfAbsent("klaviyo.revision", "2026-07-15");
        props.putIfAbsent("klaviyo.base-url", "https://a.klaviyo.com");
        main.setInitialProperties(props);

        boolean dryRun = apiKey.isEmpty();
        dryRunRecorder = new DryRunRecorder(json, root.resolve(settings.get("dry-run.dir", "out/dry-run")));
        ListCreationBudget budget = new ListCreationBudget(settings.getInt("klaviyo.list-create-daily-cap", 150),
                java.time.Clock.systemUTC());
        runs = new RunRegistry(syncs, store, new FingerprintStore(connections.state()), dryRun, sync -> {
            ListDirectory directory = new ListDirectory(klaviyo, json, budget);
            return new ListTargets(reference -> {
                ListResolution r = directory.resolve(reference, sync.createLists());
                return new ListTargets.Target(r.listId(), r.rejection());
            });
        }, settings.getInt("klaviyo.batch.max-profiles", 10_000), settings.getLong("klaviyo.batch.max-bytes", 5_000_000),
                run -> dryRunRecorder.fileFor(run).toString());
        // one run per sync at a time across every process on the bookkeeping database
        runs.useLocks(new SyncLocks(connections.locks(syncs.size() + 2)), cluster.instanceId());
        runs.failInterruptedRuns();
        if (clustered()) {
            bindClusteredQuartz();
        }

        main.bind("modelDataSource", connections.models());
        main.bind("modelRowMapper", new ModelRowMapper(json));
        // with the bookkeeping in the warehouse, unchanged rows are told there and never leave it
        boolean compareInWarehouse = connections.bookkeepingInWarehouse()
                && RowFingerprints.available(connections.models());
        runs.compareInWarehouse(compareInWarehouse);
        main.bind("runStarter", new RunStarter(runs, new DuplicateIdentifierQuery(connections.models()),
                compareInWarehouse ? new RowFingerprints(connections.models()) : null));
        mappingWorkers = new MappingWorkers(settings.getInt("pipeline.mapping-threads",
                Runtime.getRuntime().availableProcessors()));
        main.bind("profilePayloadProcessor", new ProfilePayloadProcessor(json, mappingWorkers));
        FingerprintCommits commits = new FingerprintCommits(runs, settings.getInt("state.fingerprint-batch-size", 10_000));
        main.bind("profileRouter", new ProfileRouter(runs));
        main.bind("batchFlusher", new BatchFlusher());
        main.bind("modelRows", new ModelRows(settings.getInt("pipeline.chunk-rows", 1000)));
        main.bind("runFailer", new RunFailer());
        BatchDeliveries deliveries = new BatchDeliveries(shutdownGrace().multipliedBy(2).dividedBy(5));
        main.bind("batchDeliveries", deliveries);
        main.bind("runFinisher", new RunFinisher(runs, deliveries));
        main.bind("deadLetterRecorder", new DeadLetterRecorder(() -> klaviyo != null && klaviyo.outage()));
        main.bind("dryRunRecorder", dryRunRecorder);
        main.bind("historyRetention", retention);

        if (!dryRun) {
            Main m = main;
            CamelKlaviyoTransport transport = new CamelKlaviyoTransport(m::getCamelContext,
                    settings.get("klaviyo.base-url", "https://a.klaviyo.com"), apiKey.get());
            RetryPolicy retry = RetryPolicy.defaults()
                    .withMaxAttempts(settings.getInt("klaviyo.retry.max-attempts", RetryPolicy.DEFAULT_MAX_ATTEMPTS))
                    .withDelays(Duration.ofMillis(settings.getLong("klaviyo.retry.base-delay-ms", 500)), 2.0,
                            Duration.ofMillis(settings.getLong("klaviyo.retry.max-delay-ms", 30_000)));
            OutageBreaker breaker = new OutageBreaker(settings.getInt("klaviyo.outage.failures", 5),
                    Duration.ofMillis(settings.getLong("klaviyo.outage.cool-down-ms", 60_000)), Clock.systemUTC());
            klaviyo = new KlaviyoApi(transport, json, retry, breaker);
        }
        BulkImportJobs jobs = klaviyo == null ? null : new BulkImportJobs(klaviyo, json);
        BulkJobSettler settler = new BulkJobSettler(jobs,
                Duration.ofMillis(settings.getLong("klaviyo.job-poll-interval-ms", 2000)),
                Duration.ofMillis(settings.getLong("klaviyo.job-timeout-ms", 1_800_000)),
                klaviyo == null ? null : new NullClearer(new ProfileImports(klaviyo, json)), commits,
                settings.getInt("klaviyo.submit-threads", 4));
        this.settler = settler;
        main.bind("bulkJobSettler", settler);
        main.bind("bulkImportSubmitter",
                new BulkImportSubmitter(jobs, settler, settings.getInt("klaviyo.max-pending-jobs", 50)));
        // camel-micrometer-prometheus serves the registry bound under this name on /observe/metrics
        meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        main.bind("metricsRegistry", meters);
        new SyncMetrics(runs, meters);
        if (klaviyo != null) {
            new KlaviyoRequestMetrics(klaviyo, meters);
        }
        JolokiaAccess jolokiaAccess = JolokiaAccess.of(settings.get("management.user"),
                settings.secret(Settings.MANAGEMENT_PASSWORD));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                jolokiaAccess.guardWhenServing(configured.getCamelContext());
                HandNamedStepsXmlDumper.install(configured.getCamelContext());
                try {
                    SyncRoutes.addSchedules(configured.getCamelContext(), syncs.values());
                } catch (Exception e) {
                    throw new IllegalStateException("could not add the schedule routes: " + e.getMessage(), e);
                }
            }
        });
        main.start();
        jolokiaAccess.guard(main.getCamelContext());
        startObserving();
        if (dryRun) {
            LOG.warn("KLAVIYO_API_KEY is not set: dry run. Payloads are written to {} and nothing is sent to Klaviyo."
                    + " Set KLAVIYO_API_KEY to a private key (pk_...) to send for real.",
                    root.resolve(settings.get("dry-run.dir", "out/dry-run")));
        }
        LOG.info("klaviyo-sync started with {} sync(s): {}", syncs.size(), String.join(", ", syncs.keySet()));
    }

    /**
     * Stops every active run within the shutdown grace, less what Camel's own stop may take
     * afterwards (camel.main.shutdown-timeout): each is closed in the history, its unsettled rows
     * deferred with {@code reason}. No run starts afterwards.
     */
    public void stopRuns(String reason) {
        if (runs != null) {
            runs.stopAll(reason, shutdownGrace().minus(camelShutdownTimeout().multipliedBy(2)));
        }
    }

    /**
     * {@link #close()} bounded by the shutdown grace (less two seconds for the JVM to exit): once the
     * runs are closed, a Camel or a pool that will not stop in time (a thread stuck in a call) is
     * left to the process's exit rather than waited for past the grace.
     */
    public void closeWithinGrace() {
        long deadline = System.nanoTime() + shutdownGrace().minusSeconds(2).toNanos();
        Thread closing = new Thread(this::close, "klaviyo-sync-close");
        closing.setDaemon(true);
        closing.start();
        try {
            closing.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closing.isAlive()) {
            LOG.warn("Camel and the connection pools did not stop within the {} s grace; exiting anyway (every run"
                    + " is closed)", shutdownGrace().toSeconds());
        }
    }

    /**
     * SHUTDOWN_GRACE_SECONDS (25): from SIGTERM to exit, so that a container stop (30 s by
     * default) never ends in SIGKILL.
     */
    private Duration shutdownGrace() {
        return Duration.ofSeconds(Math.max(3, settings.getLong("shutdown.grace-seconds", 25)));
    }

    /** How long Camel waits for exchanges still in flight once the runs are closed: a fifth of the grace. */
    private Duration camelShutdownTimeout() {
        return Duration.ofSeconds(Math.max(1, shutdownGrace().toSeconds() / 5));
    }

    /** Whether this service shares its schedules with other instances (cluster.enabled, service mode). */
    public boolean clustered() {
        return mode == Mode.SERVICE && cluster.enabled();
    }

    /** This process's instance id, stored with every run it makes. */
    public String instanceId() {
        return cluster.instanceId();
    }

    /**
     * Quartz with its clustered JDBC job store on the bookkeeping database, on the bookkeeping
     * pool (grown by what the job store needs). One-shot commands keep the in-memory store: they
     * never fire schedules and must not touch the shared triggers.
     */
    private void bindClusteredQuartz() throws SQLException {
        connections.growStatePool(cluster.connectionsNeeded());
        QuartzComponent quartz = new QuartzComponent();
        quartz.setProperties(cluster.quartzProperties(connections.state(),
                settings.get("camel.main.name", "klaviyo-sync")));
        // the scheduler name is the cluster's name in the tables: the same on every instance
        quartz.setPrefixInstanceName(false);
        main.bind("quartz", quartz);
        LOG.info("Clustered schedules: instance {} shares the Quartz triggers in {}* of the bookkeeping database",
                cluster.instanceId(), ClusterSettings.TABLE_PREFIX);
    }

    /**
     * The management server (health, metrics, Jolokia) on {@code management.port}. On by default
     * for the service; off for one-shot CLI commands, which would otherwise fight the running
     * service for the port.
     */
    private void managementProperties(Properties props) {
        boolean enabled = settings.getBoolean("management.enabled", mode == Mode.SERVICE);
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

    /** Health checks, one JMX MBean per sync and the progress lines. */
    private void startObserving() throws Exception {
        CamelContext camel = main.getCamelContext();
        HealthCheckRegistry health = HealthCheckRegistry.get(camel);
        health.register(new WarehouseHealthCheck(connections.state(),
                settings.getInt("health.warehouse-timeout-seconds", 5)));
        KlaviyoApi api = klaviyo;
        health.register(new KlaviyoKeyHealthCheck(api == null ? null : () -> new KeyCheck(api).problems(),
                Duration.ofSeconds(settings.getLong("health.klaviyo-check-interval-seconds", 300)),
                java.time.Clock.systemUTC()));
        int threshold = settings.getInt("health.failed-runs-threshold", 3);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (String syncId : syncs.keySet()) {
            SyncHealthCheck check = new SyncHealthCheck(syncId, threshold);
            health.register(check);
            SyncControl control = new SyncControl(syncId, SyncRoutes.scheduleRouteId(syncId), runs, this::runNow,
                    this::camel);
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
        progress = new RunProgressLogger(runs, Duration.ofSeconds(settings.getLong("progress.interval-seconds", 10)));
    }

    /** Runs a sync now, in the calling thread, through its route; returns how it ended. */
    public RunSummary runNow(String syncId) throws Exception {
        return runNow(syncId, RunOptions.INCREMENTAL);
    }

    /** As {@link #runNow(String)}, full or replaying some rows as {@code options} say. */
    public RunSummary runNow(String syncId, RunOptions options) throws Exception {
        if (!syncs.containsKey(syncId)) {
            throw new IllegalArgumentException(unknownSync(syncId));
        }
        // the sync's direct endpoint, as its schedule sends to; the run goes on in this thread
        Exchange exchange = runSender().send(SyncRoutes.entry(syncId),
                e -> e.setProperty(ExchangeKeys.OPTIONS, options));
        RunSummary summary = exchange.getProperty(ExchangeKeys.SUMMARY, RunSummary.class);
        if (summary == null) {
            Throwable e = exchange.getException();
            String error = exchange.getProperty(ExchangeKeys.SUMMARY + ".error", String.class);
            return new RunSummary(syncId, 0, RunSummary.FAILED, runs.dryRun(), 0, 0, 0, 0, 0, 0, 0,
                    error != null ? error : e != null ? e.getMessage() : "the run did not start", null);
        }
        return summary;
    }

    private ProducerTemplate runSender() {
        ProducerTemplate sender = runSender;
        if (sender == null) {
            synchronized (this) {
                if (runSender == null) {
                    runSender = main.getCamelContext().createProducerTemplate();
                }
                sender = runSender;
            }
        }
        return sender;
    }

    /** What to tell a user who named a sync that does not exist. */
    public String unknownSync(String syncId) {
        return "no sync named '" + syncId + "'; the syncs are " + String.join(", ", syncs.keySet());
    }

    public Map<String, SyncDefinition> syncs() {
        return syncs;
    }

    public RunRegistry runs() {
        return runs;
    }

    public StateStore store() {
        return store;
    }

    public WarehouseConnections connections() {
        return connections;
    }

    public Optional<KlaviyoApi> klaviyo() {
        return Optional.ofNullable(klaviyo);
    }

    public ObjectMapper json() {
        return json;
    }

    public Settings settings() {
        return settings;
    }

    public boolean embeddedWarehouse() {
        return embedded != null;
    }

    public List<String> columnCheckNotes() {
        return columnCheckNotes;
    }

    public CamelContext camel() {
        return main == null ? null : main.getCamelContext();
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    @Override
    public void close() {
        stopRuns("the service was stopped");
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
        if (runSender != null) {
            try {
                runSender.close();
            } catch (Exception e) {
                LOG.debug("The run sender did not close cleanly: {}", e.getMessage());
            }
        }
        if (main != null) {
            try {
                main.stop();
            } catch (Exception e) {
                LOG.warn("Camel did not stop cleanly: {}", e.getMessage());
            }
        }
        if (mappingWorkers != null) {
            mappingWorkers.close();
        }
        if (settler != null) {
            settler.close();
        }
        if (connections != null) {
            connections.close();
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (Exception e) {
                LOG.warn("The embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
            }
        }
    }
}
