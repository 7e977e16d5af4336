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
