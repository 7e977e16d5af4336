package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.klaviyosync.settings.Settings;
import org.klaviyosync.standin.KlaviyoStandIn;
import org.klaviyosync.warehouse.JdbcEngine;
import org.klaviyosync.warehouse.WarehouseConnections;

/**
 * The core sync end to end with a real MariaDB server as the warehouse (bookkeeping in the
 * embedded PostgreSQL named by STATE_JDBC_URL): typed columns map to the same JSON as PostgreSQL's,
 * the model runs read-only, and the stand-in ends holding exactly the expected profiles. Skipped,
 * with the reason, where MariaDB is not installed or does not start.
 */
class MariaDbEndToEndTest {

    private static MariaDbServer mariadb;
    private static String skipReason;
    private static KlaviyoStandIn klaviyo;
    private static TestWarehouse state;

    @TempDir
    Path work;

    private CliHarness cli;

    @BeforeAll
    static void startServers() throws Exception {
        MariaDbServer.Start start = MariaDbServer.start();
        mariadb = start.server();
        skipReason = start.reason();
        if (mariadb != null) {
            klaviyo = KlaviyoStandIn.start();
            state = TestWarehouse.fresh();
        } else {
            System.err.println("MariaDbEndToEndTest skipped: " + skipReason);
        }
    }

    @AfterAll
    static void stopServers() {
        if (klaviyo != null) {
            klaviyo.close();
        }
        if (mariadb != null) {
            mariadb.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue(mariadb != null, () -> "MariaDB end-to-end tests skipped: " + skipReason);
        state.forgetSyncs();
        klaviyo.reset();
        klaviyo.setJobPollsUntilComplete(1);
        cli = new CliHarness(work)
                .env("KLAVIYO_API_KEY", klaviyo.apiKey())
                .env("KLAVIYO_BASE_URL", klaviyo.baseUrl())
                .env("STATE_JDBC_URL", state.jdbcUrl());
    }

    @Test
    void syncFromMariaDbDeliversExactlyTheValidRowsWithPostgresJsonForms() throws Exception {
        List<SampleCustomers.Customer> customers = SampleCustomers.generate(400);
        mariadb.createDatabase("shop", """
                create table customers (
                  customer_id    varchar(20) primary key,
                  email          varchar(200),
                  first_name     varchar(50),
                  plan           varchar(20),
                  lifetime_value decimal(12, 2),
                  signed_up_on   date,
                  last_seen_at   datetime,
                  is_active      boolean,
                  preferences    json,
                  lists          json)""");
        try (Connection c = DriverManager.getConnection(mariadb.jdbcUrl("shop"))) {
            SampleCustomers.insert(c, "customers", customers);
        }
        cli.env("WAREHOUSE_JDBC_URL", mariadb.jdbcUrl("shop"))
                .env("WAREHOUSE_FETCH_SIZE", "50");
        SampleCustomers.writeSync(cli, "mariadb-customers",
                "select " + SampleCustomers.COLUMNS + " from customers order by customer_id");

        CliHarness.Result r = cli.run("run", "--json", "mariadb-customers");

        SampleCustomers.assertDelivered(r, customers, klaviyo);
    }

    @Test
    void duplicateIdentifiersAreDecidedOnTheKeyKlaviyoMatchesNotOnTheCollation() throws Exception {
        mariadb.createDatabase("dups", "create table contacts (id varchar(20), email varchar(200), mobile varchar(40),"
                        + " first_name varchar(20)) default charset utf8mb4 collate utf8mb4_general_ci",
                "insert into contacts values ('abc', 'Ann@shop.com', '(646) 798-1234', 'Lower'),"
                        + " ('ABC', 'ann@shop.com', '+16467981234', 'Upper'),"
                        + " ('x1', 'bob@shop.com', '(415) 555-2671', 'Bob')");
        try (Connection c = DriverManager.getConnection(mariadb.jdbcUrl("dups")); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(distinct id) from contacts")) {
            assertTrue(rs.next());
            assertEquals(2, rs.getInt(1), "the collation takes abc and ABC for one value");
        }
        cli.env("WAREHOUSE_JDBC_URL", mariadb.jdbcUrl("dups"));
        cli.sync("ids", "model", "select id, first_name from contacts", "identifier", "external_id",
                "identifierColumn", "id", "properties", "first_name=first_name", "lists", "Ids");
        cli.sync("emails", "model", "select email, first_name from contacts", "identifier", "email",
                "identifierColumn", "email", "properties", "first_name=first_name", "lists", "Emails");
        cli.sync("phones", "model", "select mobile, first_name from contacts", "identifier", "phone_number",
                "identifierColumn", "mobile", "properties", "first_name=first_name", "lists", "Phones",
                "phoneRegion", "US");

        assertCounts(cli.run("run", "--json", "ids"), 3, 0);
        assertEquals("Lower", klaviyo.profileByExternalId("abc").orElseThrow().attribute("first_name"));
        assertEquals("Upper", klaviyo.profileByExternalId("ABC").orElseThrow().attribute("first_name"));

        assertCounts(cli.run("run", "--json", "emails"), 1, 2);
        assertTrue(klaviyo.profileByEmail("bob@shop.com").isPresent());

        assertCounts(cli.run("run", "--json", "phones"), 1, 2);
        assertTrue(klaviyo.profileByPhone("+14155552671").isPresent());
        assertTrue(klaviyo.profileByPhone("+16467981234").isEmpty());
    }

    private static void assertCounts(CliHarness.Result r, int sent, int invalid) throws Exception {
        assertEquals(0, r.exitCode(), r.err());
        com.fasterxml.jackson.databind.JsonNode run = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertEquals(sent, run.get("sent").asInt(), run.toString());
        assertEquals(invalid, run.get("invalid").asInt(), run.toString());
    }

    @Test
    void theModelPoolStreamsWithAPositiveFetchSizeAndRefusesWrites() throws Exception {
        mariadb.createDatabase("shop_ro", "create table customers (customer_id varchar(20), email varchar(200))",
                "insert into customers values ('a', 'a@example.com')");
        Settings settings = Settings.of(Map.of("warehouse.fetch-size", "250", "state.jdbc-url", state.jdbcUrl()),
                Map.of());
        try (WarehouseConnections connections = WarehouseConnections.open(settings, mariadb.jdbcUrl("shop_ro"),
                null, Optional.empty())) {
            assertEquals(JdbcEngine.MARIADB, connections.engine());
            assertEquals(250, connections.statementFetchSize(), "MariaDB Connector/J 3 streams with a positive size");
            try (Connection c = connections.models().getConnection(); Statement s = c.createStatement()) {
                assertTrue(c.isReadOnly());
                assertFalse(c.getAutoCommit());
                SQLException refused = assertThrows(SQLException.class,
                        () -> s.executeUpdate("insert into customers values ('b', 'b@example.com')"));
                assertTrue(refused.getMessage().toLowerCase(Locale.ROOT).contains("read only"), refused.getMessage());
                c.rollback();
                s.setFetchSize(connections.statementFetchSize());
                try (ResultSet rs = s.executeQuery("select count(*) from customers")) {
                    assertTrue(rs.next());
                    assertEquals(1, rs.getInt(1), "the write did not happen");
                }
                c.rollback();
            }
        }
    }
}
