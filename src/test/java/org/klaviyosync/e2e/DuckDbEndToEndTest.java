package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.klaviyosync.settings.Settings;
import org.klaviyosync.standin.KlaviyoStandIn;
import org.klaviyosync.warehouse.JdbcEngine;
import org.klaviyosync.warehouse.WarehouseConnections;

/**
 * The core sync end to end with DuckDB as the warehouse: the test writes the customers to a
 * Parquet file (and a CSV file), the model reads the file with {@code read_parquet} /
 * {@code read_csv}, bookkeeping goes to the embedded PostgreSQL named by STATE_JDBC_URL, and the
 * stand-in ends holding exactly the expected profiles, with the same JSON forms as PostgreSQL's.
 */
class DuckDbEndToEndTest {

    private static KlaviyoStandIn klaviyo;
    private static TestWarehouse state;

    @TempDir
    Path work;

    private CliHarness cli;

    @BeforeAll
    static void startServers() throws Exception {
        klaviyo = KlaviyoStandIn.start();
        state = TestWarehouse.fresh();
    }

    @AfterAll
    static void stopServers() {
        klaviyo.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        state.forgetSyncs();
        klaviyo.reset();
        klaviyo.setJobPollsUntilComplete(1);
        cli = new CliHarness(work)
                .env("KLAVIYO_API_KEY", klaviyo.apiKey())
                .env("KLAVIYO_BASE_URL", klaviyo.baseUrl())
                .env("STATE_JDBC_URL", state.jdbcUrl())
                .env("WAREHOUSE_JDBC_URL", "jdbc:duckdb:");
    }

    /** Writes the customers with DuckDB itself: a typed table, then COPY ... TO the file. */
    private static Path export(Path dir, List<SampleCustomers.Customer> customers, String fileName, String format)
            throws Exception {
        Path file = dir.resolve(fileName);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("""
                    create table customers (
                      customer_id    varchar,
                      email          varchar,
                      first_name     varchar,
                      plan           varchar,
                      lifetime_value decimal(12, 2),
                      signed_up_on   date,
                      last_seen_at   timestamp,
                      is_active      boolean,
                      preferences    json,
                      lists          json)""");
            SampleCustomers.insert(c, "customers", customers);
            s.execute("copy (select * from customers order by customer_id) to '" + file + "' (format " + format + ")");
        }
        return file;
    }

    @Test
    void syncFromAParquetFileDeliversExactlyTheValidRows() throws Exception {
        List<SampleCustomers.Customer> customers = SampleCustomers.generate(500);
        Path parquet = export(work, customers, "customers.parquet", "parquet");
        SampleCustomers.writeSync(cli, "parquet-customers",
                "select " + SampleCustomers.COLUMNS + " from read_parquet('" + parquet + "')");

        CliHarness.Result r = cli.run("run", "--json", "parquet-customers");

        SampleCustomers.assertDelivered(r, customers, klaviyo);
    }

    @Test
    void syncFromACsvFileWithTypesGivenByTheModelDeliversExactlyTheValidRows() throws Exception {
        List<SampleCustomers.Customer> customers = SampleCustomers.generate(300);
        Path csv = export(work, customers, "customers.csv", "csv, header true");
        // a CSV file has no types: the model states them, as a model over any text source would
        SampleCustomers.writeSync(cli, "csv-customers", "select customer_id, email, first_name, plan,"
                + " lifetime_value::decimal(12, 2) as lifetime_value, signed_up_on::date as signed_up_on,"
                + " last_seen_at::timestamp as last_seen_at, is_active::boolean as is_active,"
                + " preferences::json as preferences, lists::json as lists"
                + " from read_csv('" + csv + "', header = true, all_varchar = true)");

        CliHarness.Result r = cli.run("run", "--json", "csv-customers");

        SampleCustomers.assertDelivered(r, customers, klaviyo);
    }

    @Test
    void duplicateIdentifiersAreDecidedOnTheKeyKlaviyoMatches() throws Exception {
        String contacts = "(values ('abc', 'Ann@shop.com', '(646) 798-1234', 'Lower'),"
                + " ('ABC', 'ann@shop.com', '+16467981234', 'Upper'),"
                + " ('x1', 'bob@shop.com', '(415) 555-2671', 'Bob')) as t(id, email, mobile, first_name)";
        cli.sync("ids", "model", "select id, first_name from " + contacts, "identifier", "external_id",
                "identifierColumn", "id", "properties", "first_name=first_name", "lists", "Ids");
        cli.sync("emails", "model", "select email, first_name from " + contacts, "identifier", "email",
                "identifierColumn", "email", "properties", "first_name=first_name", "lists", "Emails");
        cli.sync("phones", "model", "select mobile, first_name from " + contacts, "identifier", "phone_number",
                "identifierColumn", "mobile", "properties", "first_name=first_name", "lists", "Phones",
                "phoneRegion", "US");

        assertCounts(cli.run("run", "--json", "ids"), 3, 0);
        assertEquals("Upper", klaviyo.profileByExternalId("ABC").orElseThrow().attribute("first_name"));
        assertCounts(cli.run("run", "--json", "emails"), 1, 2);
        assertCounts(cli.run("run", "--json", "phones"), 1, 2);
        assertTrue(klaviyo.profileByPhone("+16467981234").isEmpty());
    }

    private static void assertCounts(CliHarness.Result r, int sent, int invalid) throws Exception {
        assertEquals(0, r.exitCode(), r.err());
        com.fasterxml.jackson.databind.JsonNode run = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertEquals(sent, run.get("sent").asInt(), run.toString());
        assertEquals(invalid, run.get("invalid").asInt(), run.toString());
    }

    @Test
    void aDuckDbDatabaseFileIsOpenedReadOnlyAndStreams() throws Exception {
        Path db = work.resolve("warehouse.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement s = c.createStatement()) {
            s.execute("create table t as select range as id from range(10)");
        }
        String url = "jdbc:duckdb:" + db;
        Settings settings = Settings.of(Map.of("state.jdbc-url", state.jdbcUrl()), Map.of());
        try (WarehouseConnections connections = WarehouseConnections.open(settings, url, null, Optional.empty())) {
            assertEquals(JdbcEngine.DUCKDB, connections.engine());
            try (Connection c = connections.models().getConnection(); Statement s = c.createStatement()) {
                assertTrue(c.isReadOnly());
                assertFalse(c.getAutoCommit());
                var refused = org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
                        () -> s.execute("insert into t values (99)"));
                assertTrue(refused.getMessage().toLowerCase().contains("read-only")
                        || refused.getMessage().toLowerCase().contains("read only"), refused.getMessage());
                c.rollback();
                try (Statement count = c.createStatement(); ResultSet rs = count.executeQuery("select count(*) from t")) {
                    assertTrue(rs.next());
                    assertEquals(10, rs.getLong(1));
                }
                c.rollback();
            }
        }
    }

    @Test
    void aWarehouseOtherThanPostgresWithoutStateJdbcUrlStopsStartUpWithExit2AndSaysWhy() throws Exception {
        cli.env("STATE_JDBC_URL", null);
        SampleCustomers.writeSync(cli, "no-state", "select 1 as customer_id");

        CliHarness.Result r = cli.run("run", "no-state");

        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("cannot start"), r.err());
        assertTrue(r.err().contains("(DuckDB) is not PostgreSQL") && r.err().contains("set STATE_JDBC_URL"), r.err());
    }

    @Test
    void theMainClassRunsFromAClasspathWithExtraDriverJarsAsReadmeShows() throws Exception {
        // docs/warehouses.md: java -cp target/klaviyo-sync.jar:drivers/* org.klaviyosync.KlaviyoSync run
        Path drivers = Files.createDirectories(work.resolve("drivers"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path") + java.io.File.pathSeparator + drivers + "/*",
                "org.klaviyosync.KlaviyoSync", "no-such-command")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), output);
        assertTrue(output.contains("unknown command 'no-such-command'"), output);
    }
}
