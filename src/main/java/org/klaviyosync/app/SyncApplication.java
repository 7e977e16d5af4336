package org.klaviyosync.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.DefaultMainShutdownStrategy;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.klaviyosync.cluster.ClusterSettings;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.klaviyo.KlaviyoApi;
import org.klaviyosync.klaviyo.ListCreationBudget;
import org.klaviyosync.klaviyo.ListDirectory;
import org.klaviyosync.klaviyo.ListResolution;
import org.klaviyosync.observe.HandNamedStepsXmlDumper;
import org.klaviyosync.observe.JolokiaAccess;
import org.klaviyosync.pipeline.DryRunRecorder;
import org.klaviyosync.pipeline.KlaviyoThrottleRoutes;
import org.klaviyosync.run.ListTargets;
import org.klaviyosync.run.RunOptions;
import org.klaviyosync.run.RunRegistry;
import org.klaviyosync.run.RunSummary;
import org.klaviyosync.settings.ConfigurationException;
import org.klaviyosync.settings.KlaviyoSettings;
import org.klaviyosync.settings.ObserveSettings;
import org.klaviyosync.settings.PipelineSettings;
import org.klaviyosync.settings.ServiceSettings;
import org.klaviyosync.settings.Settings;
import org.klaviyosync.settings.StateSettings;
import org.klaviyosync.state.FingerprintStore;
import org.klaviyosync.state.HistoryRetention;
import org.klaviyosync.state.StateStore;
import org.klaviyosync.state.SyncLocks;
import org.klaviyosync.warehouse.ConnectionFailure;
import org.klaviyosync.warehouse.ModelColumns;
import org.klaviyosync.warehouse.WarehouseConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembled service, in the order it starts and stops: validated syncs, the warehouse and
 * bookkeeping ({@link #prepare}), then the Klaviyo client, the beans the routes refer to, Camel and
 * what observes it ({@link #start}). The service mode lets Quartz fire the schedules; the one-shot
 * mode (CLI commands) keeps the scheduler stopped and runs syncs on demand. Every run, scheduled or
 * on demand, is sent to the sync's direct endpoint.
 */
public final class SyncApplication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SyncApplication.class);

    public enum Mode { SERVICE, ONE_SHOT }

    private final Settings settings;
    private final Path root;
    private final Mode mode;
    private final Map<String, SyncDefinition> syncs;
    private final ObjectMapper json = new ObjectMapper();
    private final ShutdownGrace grace;
    private final List<String> columnCheckNotes = new ArrayList<>();
    private OpenedWarehouse warehouse;
    private ClusterSettings cluster;
    private StateStore store;
    private HistoryRetention retention;
    private RunRegistry runs;
    private Main main;
    private KlaviyoApi klaviyo;
    private List<SyncKindBeans> kinds = List.of();
    private Observing observing;
    private RunSender runSender;

    private SyncApplication(Settings settings, Path root, Mode mode, Map<String, SyncDefinition> syncs) {
        this.settings = settings;
        this.root = root;
        this.mode = mode;
        this.syncs = syncs;
        this.grace = new ShutdownGrace(settings.get(ServiceSettings.SHUTDOWN_GRACE_SECONDS));
    }

    /**
     * Checks the settings (reporting given ones that match none), validates the sync files, opens the warehouse (starting the embedded one if none is
     * configured), checks model columns and prepares the bookkeeping schema. Throws
     * {@link ConfigurationException} with every problem found.
     */
    public static SyncApplication prepare(Settings settings, Path root, Mode mode) throws Exception {
        settings.check();
        settings.unknown().forEach(LOG::warn);
        Map<String, SyncDefinition> syncs = SyncCatalogLoader.load(root, root.resolve(settings.get(ServiceSettings.ROUTES_DIR)),
                root.resolve(settings.get(ServiceSettings.SYNCS_DIR)));
        SyncApplication app = new SyncApplication(settings, root, mode, syncs);
        try {
            app.warehouse = OpenedWarehouse.open(settings, root);
            app.checkModelColumns();
            app.cluster = ClusterSettings.from(settings);
            app.store = new StateStore(app.connections().state());
            try {
                app.store.migrate();
            } catch (SQLException e) {
                if (!ConnectionFailure.is(e)) {
                    throw e;
                }
                throw new SQLException("could not connect to the bookkeeping database ("
                        + app.connections().describeState() + "): " + ConnectionFailure.reason(e), e.getSQLState(), e);
            }
            app.retention = new HistoryRetention(app.store, settings.get(StateSettings.RETENTION_DAYS));
            app.retention.purge();
            return app;
        } catch (Exception e) {
            app.close();
            throw e;
        }
    }

    private void checkModelColumns() {
        ModelColumnCheck check = new ModelColumnCheck(new ModelColumns(connections().models()));
        List<String> problems = new ArrayList<>();
        for (SyncDefinition sync : syncs.values()) {
            try {
                problems.addAll(check.check(sync, check.columnsOf(sync)));
            } catch (SQLException e) {
                if (ConnectionFailure.is(e)) {
                    String note = "could not check the columns of sync '" + sync.syncId() + "': could not connect to"
                            + " the warehouse (" + connections().describeWarehouse() + "): " + ConnectionFailure.reason(e);
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
        Optional<String> apiKey = settings.find(KlaviyoSettings.API_KEY);
        boolean dryRun = apiKey.isEmpty();
        main = new Main();
        main.setDefaultPropertyPlaceholderLocation("false");
        // the application stops Camel itself (SIGTERM), after letting active runs end cleanly
        if (main.getShutdownStrategy() instanceof DefaultMainShutdownStrategy strategy) {
            strategy.disableHangupSupport();
        }
        main.setInitialProperties(CamelProperties.of(settings, root, mode, clustered(),
                connections().statementFetchSize(), grace));
        // one throttle route per Klaviyo rate limit, at its documented or configured limits
        main.configure().addRoutesBuilder(new KlaviyoThrottleRoutes(settings));

        DryRunRecorder dryRunRecorder = new DryRunRecorder(json, dryRunDir());
        runs = newRunRegistry(dryRun, dryRunRecorder);
        // one run per sync at a time across every process on the bookkeeping database
        runs.useLocks(new SyncLocks(connections().locks(syncs.size() + 2)), cluster.instanceId());
        runs.failInterruptedRuns();
        if (clustered()) {
            ClusteredSchedules.bind(main, cluster, connections(), settings.get(ServiceSettings.NAME));
        }
        if (!dryRun) {
            klaviyo = KlaviyoClientFactory.create(settings, main::getCamelContext, apiKey.get(), json);
        }
        KlaviyoApi api = klaviyo;
        PipelineBeans.bind(main, settings, json, connections(), runs, dryRunRecorder, retention, grace,
                () -> api != null && api.outage());
        kinds = syncKinds(dryRunRecorder);
        kinds.forEach(kind -> kind.bind(main));
        observing = new Observing(settings, runs);
        observing.bindMetrics(main, klaviyo);
        runSender = new RunSender(this::camel, syncs.keySet(), runs::dryRun);

        JolokiaAccess jolokiaAccess = JolokiaAccess.of(settings.find(ObserveSettings.MANAGEMENT_USER),
                settings.find(ObserveSettings.MANAGEMENT_PASSWORD));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                jolokiaAccess.guardWhenServing(configured.getCamelContext());
                HandNamedStepsXmlDumper.install(configured.getCamelContext());
                try {
                    if (CamelProperties.observed(settings, mode)) {
                        SyncRoutes.addSchedules(configured.getCamelContext(), syncs.values());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("could not add the schedule routes: " + e.getMessage(), e);
                }
            }
        });
        main.start();
        jolokiaAccess.guard(main.getCamelContext());
        observing.start(main.getCamelContext(), this::camel, connections().state(), klaviyo, syncs.keySet(),
                this::runNow, CamelProperties.observed(settings, mode));
        if (dryRun) {
            LOG.warn("KLAVIYO_API_KEY is not set: dry run. Payloads are written to {} and nothing is sent to Klaviyo."
                    + " Set KLAVIYO_API_KEY to a private key (pk_...) to send for real.", dryRunDir());
        }
        LOG.info("klaviyo-sync started with {} sync(s): {}", syncs.size(), String.join(", ", syncs.keySet()));
    }

    /** The beans of each kind of sync; a new kind of sync adds its own here. */
    private List<SyncKindBeans> syncKinds(DryRunRecorder dryRunRecorder) {
        return List.of(new ProfileSyncBeans(settings, runs, json, klaviyo, connections(), dryRunRecorder),
                new EventSyncBeans(runs, json, klaviyo, connections(), dryRunRecorder,
                        settings.get(PipelineSettings.MAPPING_THREADS)));
    }

    private RunRegistry newRunRegistry(boolean dryRun, DryRunRecorder dryRunRecorder) {
        ListCreationBudget budget = new ListCreationBudget(settings.get(KlaviyoSettings.LIST_CREATE_DAILY_CAP),
                Clock.systemUTC());
        return new RunRegistry(syncs, store, new FingerprintStore(connections().state()), dryRun, sync -> {
            ListDirectory directory = new ListDirectory(klaviyo, json, budget);
            return new ListTargets(reference -> {
                ListResolution r = directory.resolve(reference, sync.createLists());
                return new ListTargets.Target(r.listId(), r.rejection());
            });
        }, settings.get(KlaviyoSettings.BATCH_MAX_PROFILES), settings.get(KlaviyoSettings.BATCH_MAX_BYTES),
                run -> dryRunRecorder.fileFor(run).toString());
    }

    private Path dryRunDir() {
        return root.resolve(settings.get(ServiceSettings.DRY_RUN_DIR));
    }

    /**
     * Stops every active run within the shutdown grace, less what Camel's own stop may take
     * afterwards (camel.main.shutdown-timeout): each is closed in the history, its unsettled rows
     * deferred with {@code reason}. No run starts afterwards.
     */
    public void stopRuns(String reason) {
        if (runs != null) {
            runs.stopAll(reason, grace.forRuns());
        }
    }

    /**
     * {@link #close()} bounded by the shutdown grace (SHUTDOWN_GRACE_SECONDS, less two seconds for
     * the JVM to exit): once the runs are closed, a Camel or a pool that will not stop in time is
     * left to the process's exit rather than waited for past the grace.
     */
    public void closeWithinGrace() {
        grace.closeWithin(this::close);
    }

    /** Whether this service shares its schedules with other instances (cluster.enabled, service mode). */
    public boolean clustered() {
        return mode == Mode.SERVICE && cluster.enabled();
    }

    /** This process's instance id, stored with every run it makes. */
    public String instanceId() {
        return cluster.instanceId();
    }

    /** Runs a sync now, in the calling thread, through its route; returns how it ended. */
    public RunSummary runNow(String syncId) throws Exception {
        return runNow(syncId, RunOptions.INCREMENTAL);
    }

    /** As {@link #runNow(String)}, full or replaying some rows as {@code options} say. */
    public RunSummary runNow(String syncId, RunOptions options) throws Exception {
        if (runSender == null) {
            throw new IllegalStateException("the application is not started");
        }
        return runSender.runNow(syncId, options);
    }

    /** What to tell a user who named a sync that does not exist. */
    public String unknownSync(String syncId) {
        return RunSender.unknownSync(syncs.keySet(), syncId);
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
        return warehouse.connections();
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
        return warehouse.embedded() != null;
    }

    public List<String> columnCheckNotes() {
        return columnCheckNotes;
    }

    public CamelContext camel() {
        return main == null ? null : main.getCamelContext();
    }

    public PrometheusMeterRegistry meters() {
        return observing == null ? null : observing.meters();
    }

    @Override
    public void close() {
        stopRuns("the service was stopped");
        if (observing != null) {
            observing.close();
        }
        if (runSender != null) {
            runSender.close();
        }
        if (main != null) {
            try {
                main.stop();
            } catch (Exception e) {
                LOG.warn("Camel did not stop cleanly: {}", e.getMessage());
            }
        }
        kinds.forEach(SyncKindBeans::close);
        if (warehouse != null) {
            warehouse.close();
        }
    }
}
