package org.klaviyosync.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.klaviyosync.standin.KlaviyoStandIn;

/**
 * The end-to-end set-up most test classes share, as one JUnit extension: a warehouse (empty or
 * holding demo customers) and a Klaviyo stand-in for the whole class; before each test the syncs'
 * bookkeeping is forgotten, the stand-in is reset, and a fresh work folder gets a {@link CliHarness}
 * connected to both. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SyncTestEnvironment e2e = SyncTestEnvironment.withDemoCustomers(300);
 * }</pre>
 *
 * Its callbacks run before the class's own {@code @BeforeAll} and {@code @BeforeEach} methods,
 * which can therefore fill the warehouse, set stand-in switches or add to the harness.
 */
public final class SyncTestEnvironment
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final int demoCustomers;
    private boolean warehousePerTest;
    private Integer jobPollsUntilComplete;
    private boolean apiKey = true;

    private TestWarehouse warehouse;
    private KlaviyoStandIn klaviyo;
    private Path work;
    private CliHarness cli;

    private SyncTestEnvironment(int demoCustomers) {
        this.demoCustomers = demoCustomers;
    }

    /** An empty warehouse database: the class creates its own tables. */
    public static SyncTestEnvironment freshWarehouse() {
        return new SyncTestEnvironment(0);
    }

    /** A new empty warehouse database for each test, where the tests change the tables they share. */
    public static SyncTestEnvironment freshWarehouseForEachTest() {
        SyncTestEnvironment e = new SyncTestEnvironment(0);
        e.warehousePerTest = true;
        return e;
    }

    /** A warehouse database holding {@code rows} demo customers. */
    public static SyncTestEnvironment withDemoCustomers(int rows) {
        if (rows <= 0) {
            throw new IllegalArgumentException("demo customers must be positive: " + rows);
        }
        return new SyncTestEnvironment(rows);
    }

    /** Before each test, bulk import jobs on the stand-in complete after this many polls. */
    public SyncTestEnvironment jobPollsUntilComplete(int polls) {
        this.jobPollsUntilComplete = polls;
        return this;
    }

    /** The harness gets the warehouse and the stand-in's URL but no API key; tests give one when they need it. */
    public SyncTestEnvironment withoutApiKey() {
        this.apiKey = false;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!warehousePerTest) {
            warehouse = demoCustomers == 0 ? TestWarehouse.fresh() : TestWarehouse.withDemoCustomers(demoCustomers);
        }
        klaviyo = KlaviyoStandIn.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (klaviyo != null) {
            klaviyo.close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (warehousePerTest) {
            warehouse = TestWarehouse.fresh();
        }
        warehouse.forgetSyncs();
        klaviyo.reset();
        if (jobPollsUntilComplete != null) {
            klaviyo.setJobPollsUntilComplete(jobPollsUntilComplete);
        }
        work = Files.createTempDirectory("klaviyo-sync-e2e");
        cli = CliHarness.connectedTo(work, warehouse, klaviyo);
        if (!apiKey) {
            cli.env("KLAVIYO_API_KEY", null);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (work == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(SyncTestEnvironment::delete);
        }
        work = null;
    }

    private static void delete(Path p) {
        try {
            Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TestWarehouse warehouse() {
        return warehouse;
    }

    public KlaviyoStandIn klaviyo() {
        return klaviyo;
    }

    /** This test's own folder; the harness keeps its sync files in {@code syncs/} under it. */
    public Path work() {
        return work;
    }

    /** This test's harness, connected to the warehouse and the stand-in. */
    public CliHarness cli() {
        return cli;
    }
}
