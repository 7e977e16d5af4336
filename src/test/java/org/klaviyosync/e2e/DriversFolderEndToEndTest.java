package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.klaviyosync.settings.Settings;
import org.klaviyosync.standin.KlaviyoStandIn;
import org.klaviyosync.standin.StandInProfile;
import org.klaviyosync.warehouse.JdbcEngine;
import org.klaviyosync.warehouse.WarehouseConnections;

/**
 * A JDBC driver that does not ship in the jar, dropped in {@code drivers/}, is loaded by the main
 * class itself: the service runs in its own JVM, from an installation folder holding
 * {@code application.properties} and {@code drivers/}, on a class path without that driver, as
 * {@code java -jar} would. The warehouse is a SQLite database file (opened read-only by its URL),
 * the bookkeeping the embedded PostgreSQL named by STATE_JDBC_URL.
 */
class DriversFolderEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static KlaviyoStandIn klaviyo;
    private static TestWarehouse state;

    @TempDir
    Path work;

    private record Outcome(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void startServers() throws Exception {
        klaviyo = KlaviyoStandIn.start();
        state = TestWarehouse.fresh();
    }

    @AfterAll
    static void stopServers() {
        klaviyo.close();
    }

    @Test
    void aDriverJarInDriversIsLoadedAtStartUpAndTheSyncReadsItsWarehouse() throws Exception {
        Path sqliteJar = Path.of(org.sqlite.JDBC.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String classPath = ChildProcess.classPathWithout(sqliteJar.getFileName().toString());
        assertFalse(classPath.contains("sqlite"), "the service's class path has no SQLite driver: " + classPath);

        List<SampleCustomers.Customer> customers = SampleCustomers.generate(300);
        Path db = work.resolve("shop.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("create table customers (customer_id varchar(20) primary key, email varchar(200),"
                    + " first_name varchar(50), plan varchar(20), lifetime_value decimal(12, 2), lists varchar(200))");
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("insert into customers values (?, ?, ?, ?, ?, ?)")) {
                for (SampleCustomers.Customer r : customers) {
                    ps.setString(1, r.id());
                    ps.setString(2, r.email());
                    ps.setString(3, r.firstName());
                    ps.setString(4, r.plan());
                    ps.setBigDecimal(5, r.lifetimeValue());
                    ps.setString(6, r.listsJson());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }

        // an installation: application.properties and drivers/ in the working directory
        Path install = Files.createDirectories(work.resolve("install"));
        Files.copy(Path.of("application.properties"), install.resolve("application.properties"));
        CliHarness cli = new CliHarness(install)
                .env("ROUTES_DIR", Path.of("routes").toAbsolutePath().toString())
                .env("WAREHOUSE_JDBC_URL", "jdbc:sqlite:" + db + "?open_mode=1")
                .env("STATE_JDBC_URL", state.jdbcUrl())
                .env("KLAVIYO_API_KEY", klaviyo.apiKey())
                .env("KLAVIYO_BASE_URL", klaviyo.baseUrl());
        cli.sync("sqlite-customers",
                "model", "select customer_id, email, first_name, plan, lifetime_value, lists from customers",
                "identifier", "external_id", "identifierColumn", "customer_id",
                "properties", "email=email,first_name=first_name,plan=plan,lifetime_value=lifetime_value",
                "listColumn", "lists", "lists", SampleCustomers.STATIC_LIST);

        Outcome without = run(classPath, install, cli.env());
        assertEquals(1, without.exitCode(), without.err());
        assertTrue(without.err().contains("Failed to get driver instance for jdbcUrl=jdbc:sqlite:"), without.err());
        assertEquals(0, klaviyo.profiles().size());

        Path drivers = Files.createDirectories(install.resolve("drivers"));
        Files.copy(sqliteJar, drivers.resolve(sqliteJar.getFileName()));
        Outcome with = run(classPath, install, cli.env());

        assertEquals(0, with.exitCode(), with.err());
        assertTrue(with.err().contains("JDBC driver org.sqlite.JDBC") && with.err().contains("loaded from " + drivers),
                with.err());
        JsonNode summary = JSON.readTree(with.out().strip());
        List<SampleCustomers.Customer> valid = customers.stream().filter(SampleCustomers.Customer::valid).toList();
        assertEquals("completed", summary.get("status").asText(), summary.toString());
        assertEquals(customers.size(), summary.get("read").asLong());
        assertEquals(valid.size(), summary.get("sent").asLong());
        assertEquals(customers.size() - valid.size(), summary.get("invalid").asLong());
        assertEquals(valid.size(), klaviyo.profiles().size(), "the stand-in holds exactly the valid rows");
        Map<String, String> listNames = klaviyo.listsByIdToName();
        for (SampleCustomers.Customer c : valid) {
            StandInProfile p = klaviyo.profileByExternalId(c.id()).orElseThrow(() -> new AssertionError(c.id()));
            assertEquals(c.email(), p.email());
            assertEquals(c.firstName(), p.attribute("first_name"));
            assertEquals(c.plan(), p.property("plan"));
            assertEquals(0, c.lifetimeValue().compareTo(new BigDecimal(String.valueOf(p.property("lifetime_value")))),
                    "lifetime_value of " + c.id() + ": " + p.property("lifetime_value"));
            Set<String> expected = new TreeSet<>(c.lists());
            expected.add(SampleCustomers.STATIC_LIST);
            assertEquals(expected, p.listIds().stream().map(listNames::get).collect(Collectors.toCollection(TreeSet::new)),
                    "lists of " + c.id());
        }
    }

    @Test
    void anEngineTheServiceDoesNotKnowRunsModelsOnReadOnlyConnectionsOrNotAtAll() throws Exception {
        Path db = work.resolve("ro.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("create table t (id integer)");
            s.execute("insert into t values (1)");
        }
        Settings settings = Settings.of(Map.of("state.jdbc-url", state.jdbcUrl(), "warehouse.connect-timeout-ms", "2000"),
                Map.of());
        // SQLite's driver cannot make an open connection read-only: no model runs on a writable one
        try (WarehouseConnections connections = WarehouseConnections.open(settings, "jdbc:sqlite:" + db, null,
                Optional.empty())) {
            assertEquals(JdbcEngine.OTHER, connections.engine());
            SQLException refused = assertThrows(SQLException.class, () -> connections.models().getConnection().close());
            StringBuilder chain = new StringBuilder();
            for (Throwable t = refused; t != null; t = t.getCause()) {
                chain.append(t).append(" <- ");
            }
            assertTrue(chain.toString().contains("read-only"), chain.toString());
        }
        // opened read-only by its URL, it runs models and refuses writes
        try (WarehouseConnections connections = WarehouseConnections.open(settings, "jdbc:sqlite:" + db + "?open_mode=1",
                null, Optional.empty());
                Connection c = connections.models().getConnection(); Statement s = c.createStatement()) {
            assertTrue(c.isReadOnly());
            assertFalse(c.getAutoCommit());
            SQLException write = assertThrows(SQLException.class, () -> s.executeUpdate("insert into t values (2)"));
            assertTrue(write.getMessage().contains("READONLY"), write.getMessage());
            try (ResultSet rs = s.executeQuery("select count(*) from t")) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
            }
        }
    }

    private Outcome run(String classPath, Path install, Map<String, String> env) throws Exception {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process p = ChildProcess.start(classPath, install, env, out, err, "org.klaviyosync.KlaviyoSync",
                "run", "--json", "sqlite-customers");
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the service did not end within 180 s: " + Files.readString(err));
        }
        return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
