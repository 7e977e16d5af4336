package org.klaviyosync.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.main.Main;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.apache.camel.support.DefaultConsumer;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.klaviyo.BulkImportJobs;
import org.klaviyosync.klaviyo.KlaviyoApi;
import org.klaviyosync.klaviyo.ListCreationBudget;
import org.klaviyosync.klaviyo.ListDirectory;
import org.klaviyosync.klaviyo.ListResolution;
import org.klaviyosync.klaviyo.RetryPolicy;
import org.klaviyosync.pipeline.BatchFlusher;
import org.klaviyosync.pipeline.BulkImportSubmitter;
import org.klaviyosync.pipeline.BulkJobSettler;
import org.klaviyosync.pipeline.CamelKlaviyoTransport;
import org.klaviyosync.pipeline.DeadLetterRecorder;
import org.klaviyosync.pipeline.DryRunRecorder;
import org.klaviyosync.pipeline.ExchangeKeys;
import org.klaviyosync.pipeline.ProfilePayloadProcessor;
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
import org.klaviyosync.state.StateStore;
import org.klaviyosync.warehouse.DemoCustomers;
import org.klaviyosync.warehouse.DuplicateIdentifierQuery;
import org.klaviyosync.warehouse.EmbeddedWarehouse;
import org.klaviyosync.warehouse.ModelColumns;
import org.klaviyosync.warehouse.WarehouseConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assembled service: validated syncs, warehouse pools, bookkeeping, the Klaviyo client and
 * the Camel routes. The service mode lets Quartz fire the schedules; the one-shot mode (CLI
 * commands) keeps the scheduler stopped and runs syncs on demand.
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
    private List<String> columnCheckNotes = new ArrayList<>();

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
        Map<String, SyncDefinition> syncs = SyncCatalogLoader.load(root,
                root.resolve(settings.get("syncs.dir", "routes/syncs")));
        SyncApplication app = new SyncApplication(settings, root, mode, syncs);
        try {
            app.openWarehouse();
            app.checkModelColumns();
            app.store = new StateStore(app.connections.state());
            app.store.migrate();
            int retentionDays = settings.getInt("state.retention-days", 30);
            int purged = app.store.purgeOlderThan(Duration.ofDays(retentionDays));
            if (purged > 0) {
                LOG.info("Removed {} runs older than {} days from the history", purged, retentionDays);
            }
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
                if (isConnectionProblem(e)) {
                    String note = "could not check the columns of sync '" + sync.syncId() + "': the warehouse ("
                            + connections.describeWarehouse() + ") did not answer: " + e.getMessage();
                    LOG.warn(note);
                    columnCheckNotes.add(note);
                    return;
                }
                problems.add(ModelColumnCheck.describeModelError(sync, e));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
    }

    static boolean isConnectionProblem(SQLException e) {
        String state = e.getSQLState();
        return state == null || state.startsWith("08") || state.startsWith("28") || state.startsWith("3D");
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
        if (mode == Mode.ONE_SHOT) {
            props.setProperty("camel.component.quartz.auto-start-scheduler", "false");
        }
        for (String key : new String[] {"klaviyo.base-url", "klaviyo.revision", "klaviyo.connect-timeout-ms",
            "klaviyo.response-timeout-ms", "warehouse.fetch-size"}) {
            settings.get(key).ifPresent(v -> props.setProperty(key, v));
        }
        for (String bucket : new String[] {"bulk-import", "bulk-job-read", "list-write", "profile-import", "reads"}) {
            for (String per : new String[] {"per-second", "per-minute"}) {
                String key = "klaviyo.limits." + bucket + "." + per;
                settings.get(key).ifPresent(v -> props.setProperty(key, v));
            }
        }
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

        main.bind("modelDataSource", connections.models());
        main.bind("runStarter", new RunStarter(runs, new DuplicateIdentifierQuery(connections.models())));
        main.bind("profilePayloadProcessor", new ProfilePayloadProcessor(json));
        main.bind("profileRouter", new ProfileRouter(runs, settings.getInt("state.fingerprint-batch-size", 1000)));
        main.bind("batchFlusher", new BatchFlusher());
        main.bind("runFailer", new RunFailer());
        main.bind("runFinisher", new RunFinisher(runs));
        main.bind("deadLetterRecorder", new DeadLetterRecorder());
        main.bind("dryRunRecorder", dryRunRecorder);

        if (!dryRun) {
            Main m = main;
            CamelKlaviyoTransport transport = new CamelKlaviyoTransport(m::getCamelContext,
                    settings.get("klaviyo.base-url", "https://a.klaviyo.com"), apiKey.get());
            klaviyo = new KlaviyoApi(transport, json, RetryPolicy.defaults());
        }
        BulkImportJobs jobs = klaviyo == null ? null : new BulkImportJobs(klaviyo, json);
        BulkJobSettler settler = new BulkJobSettler(jobs,
                Duration.ofMillis(settings.getLong("klaviyo.job-poll-interval-ms", 2000)),
                Duration.ofMillis(settings.getLong("klaviyo.job-timeout-ms", 1_800_000)));
        main.bind("bulkJobSettler", settler);
        main.bind("bulkImportSubmitter",
                new BulkImportSubmitter(jobs, settler, settings.getInt("klaviyo.max-pending-jobs", 50)));
        main.start();
        if (dryRun) {
            LOG.warn("KLAVIYO_API_KEY is not set: dry run. Payloads are written to {} and nothing is sent to Klaviyo."
                    + " Set KLAVIYO_API_KEY to a private key (pk_...) to send for real.",
                    root.resolve(settings.get("dry-run.dir", "out/dry-run")));
        }
        LOG.info("klaviyo-sync started with {} sync(s): {}", syncs.size(), String.join(", ", syncs.keySet()));
    }

    /** Runs a sync now, in the calling thread, through its route; returns how it ended. */
    public RunSummary runNow(String syncId) throws Exception {
        return runNow(syncId, RunOptions.INCREMENTAL);
    }

    /** As {@link #runNow(String)}, full or replaying some rows as {@code options} say. */
    public RunSummary runNow(String syncId, RunOptions options) throws Exception {
        if (!syncs.containsKey(syncId)) {
            throw new IllegalArgumentException("no sync named '" + syncId + "'; the syncs are "
                    + String.join(", ", syncs.keySet()));
        }
        CamelContext camel = main.getCamelContext();
        Route route = camel.getRoute(syncId);
        if (route == null) {
            throw new IllegalStateException("sync '" + syncId + "' has no route; is its routeId different?");
        }
        DefaultConsumer consumer = (DefaultConsumer) route.getConsumer();
        Exchange exchange = consumer.createExchange(false);
        exchange.setProperty(ExchangeKeys.OPTIONS, options);
        AsyncProcessor processor = AsyncProcessorConverterHelper.convert(consumer.getProcessor());
        try {
            processor.process(exchange);
        } finally {
            consumer.releaseExchange(exchange, false);
        }
        RunSummary summary = exchange.getProperty(ExchangeKeys.SUMMARY, RunSummary.class);
        if (summary == null) {
            Throwable e = exchange.getException();
            String error = exchange.getProperty(ExchangeKeys.SUMMARY + ".error", String.class);
            return new RunSummary(syncId, 0, RunSummary.FAILED, runs.dryRun(), 0, 0, 0, 0, 0, 0, 0,
                    error != null ? error : e != null ? e.getMessage() : "the run did not start", null);
        }
        return summary;
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

    @Override
    public void close() {
        if (main != null) {
            try {
                main.stop();
            } catch (Exception e) {
                LOG.warn("Camel did not stop cleanly: {}", e.getMessage());
            }
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
