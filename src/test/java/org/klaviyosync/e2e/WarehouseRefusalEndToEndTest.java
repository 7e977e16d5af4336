package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.klaviyosync.standin.KlaviyoStandIn;

/**
 * A warehouse that refuses the connection is reported by {@code check}, {@code run --json} and the
 * run record in the driver's own words, within seconds. The bookkeeping tables are in a database
 * that accepts the connection (STATE_JDBC_URL), so that the failed run is recorded.
 */
class WarehouseRefusalEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "sync";
    private static final String PASSWORD = "right-password";

    private static TestWarehouse warehouse;
    private static TestWarehouse bookkeeping;
    private static String serverUrl;
    private static String database;

    @TempDir
    Path work;

    @BeforeAll
    static void passwordProtectedWarehouse() throws Exception {
        warehouse = TestWarehouse.fresh();
        bookkeeping = TestWarehouse.fresh();
        Matcher m = Pattern.compile("(jdbc:postgresql://[^/]+/)([^?]+)").matcher(warehouse.jdbcUrl());
        assertTrue(m.find(), warehouse.jdbcUrl());
        serverUrl = m.group(1);
        database = m.group(2);
        warehouse.execute("create table members (id text, email text)",
                "insert into members values ('m-1', 'one@example.com')",
                "do $$ begin if not exists (select from pg_roles where rolname = '" + USER + "') then create role "
                        + USER + " login; end if; end $$",
                "alter role " + USER + " password '" + PASSWORD + "'",
                "grant select on members to " + USER);
        // the embedded server trusts every connection: this user must give its password
        try (Connection c = warehouse.dataSource().getConnection(); Statement s = c.createStatement()) {
            String hba;
            try (ResultSet rs = s.executeQuery("select pg_read_file(current_setting('hba_file'))")) {
                rs.next();
                hba = rs.getString(1);
            }
            long content;
            try (PreparedStatement write = c.prepareStatement("select lo_from_bytea(0, convert_to(?, 'UTF8'))")) {
                write.setString(1, "host all " + USER + " all scram-sha-256\n" + hba);
                try (ResultSet rs = write.executeQuery()) {
                    rs.next();
                    content = rs.getLong(1);
                }
            }
            s.execute("select lo_export(" + content + ", current_setting('hba_file'))");
            s.execute("select lo_unlink(" + content + ")");
            s.execute("select pg_reload_conf()");
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (Connection c = DriverManager.getConnection(warehouseUrl(), USER, "wrong")) {
                assertTrue(System.nanoTime() < deadline, "the server still lets " + USER + " in without a password");
                Thread.sleep(100);
            } catch (SQLException refused) {
                break;
            }
        }
        try (Connection c = DriverManager.getConnection(warehouseUrl(), USER, PASSWORD)) {
            assertTrue(c.isValid(2));
        }
    }

    private static String hbaFile() throws SQLException {
        try (Connection c = warehouse.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("show hba_file")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String warehouseUrl() {
        return serverUrl + database;
    }

    private CliHarness cli(KlaviyoStandIn klaviyo, String url, String password) throws Exception {
        CliHarness cli = new CliHarness(work)
                .env("WAREHOUSE_JDBC_URL", url)
                .env("WAREHOUSE_USER", USER)
                .env("WAREHOUSE_PASSWORD", password)
                .env("STATE_JDBC_URL", bookkeeping.jdbcUrl())
                .env("KLAVIYO_API_KEY", klaviyo.apiKey())
                .env("KLAVIYO_BASE_URL", klaviyo.baseUrl());
        cli.sync("members", "model", "select id, email from members", "identifier", "external_id",
                "identifierColumn", "id", "properties", "email=email", "lists", "Members");
        return cli;
    }

    @Test
    void aWrongPasswordIsReportedInTheDriversWordsWithinSeconds() throws Exception {
        assertRefusalReported(warehouseUrl(), "wrong-password",
                "password authentication failed for user \"" + USER + "\"");
    }

    @Test
    void anUnknownDatabaseIsReportedInTheDriversWordsWithinSeconds() throws Exception {
        assertRefusalReported(serverUrl + "no_such_warehouse", PASSWORD,
                "database \"no_such_warehouse\" does not exist");
    }

    @Test
    void theRightPasswordConnects() throws Exception {
        try (KlaviyoStandIn klaviyo = KlaviyoStandIn.start()) {
            CliHarness.Result run = cli(klaviyo, warehouseUrl(), PASSWORD).run("run", "--json", "members");
            assertEquals(0, run.exitCode(), run.out() + run.err());
            assertEquals(1, JSON.readTree(run.out().strip()).get("sent").asLong(), run.out());
        }
    }

    @Test
    void bookkeepingInTheRefusingWarehouseStopsTheCommandWithinSecondsSayingWhy() throws Exception {
        try (KlaviyoStandIn klaviyo = KlaviyoStandIn.start()) {
            CliHarness cli = cli(klaviyo, warehouseUrl(), "wrong-password").env("STATE_JDBC_URL", null);
            long started = System.nanoTime();
            CliHarness.Result run = cli.run("run", "--json", "members");
            long runMs = (System.nanoTime() - started) / 1_000_000;
            assertEquals(1, run.exitCode(), run.out() + run.err());
            assertTrue(run.err().contains("error: could not connect to the bookkeeping database (" + warehouseUrl()
                    + "): password authentication failed for user \"" + USER + "\""), run.err());
            assertTrue(runMs < 5000, "run --json took " + runMs + " ms to say so");
        }
    }

    private void assertRefusalReported(String url, String password, String reason) throws Exception {
        try (KlaviyoStandIn klaviyo = KlaviyoStandIn.start()) {
            // the same check against a warehouse that lets the user in: what Camel's start-up and the Klaviyo
            // checks cost; refusal may add a few seconds to that, not the pool's 10 s wait per attempt
            long started = System.nanoTime();
            CliHarness.Result accepted = cli(klaviyo, warehouseUrl(), PASSWORD).run("check");
            long acceptedMs = (System.nanoTime() - started) / 1_000_000;
            assertEquals(0, accepted.exitCode(), accepted.out() + accepted.err());

            CliHarness cli = cli(klaviyo, url, password);
            started = System.nanoTime();
            CliHarness.Result check = cli.run("check");
            long checkMs = (System.nanoTime() - started) / 1_000_000;
            assertEquals(1, check.exitCode(), check.out() + check.err());
            assertTrue(check.out().contains("Warehouse:    FAILED: could not connect: " + reason), check.out());
            assertTrue(!check.out().contains("Connection is not available"), check.out());

            CliHarness.Result run = cli.run("run", "--json", "members");
            System.out.printf("refused warehouse (%s): check took %d ms (%d ms when accepted), the run %s ms%n",
                    reason, checkMs, acceptedMs, JSON.readTree(run.out().strip()).path("durationMs"));
            assertEquals(1, run.exitCode(), run.out() + run.err());
            JsonNode r = JSON.readTree(run.out().strip());
            assertEquals("failed", r.get("status").asText());
            assertEquals("could not connect to the warehouse: " + reason, r.get("error").asText());
            assertTrue(r.get("durationMs").asLong() < 5000, "the run failed after " + r.get("durationMs") + " ms");

            try (Connection c = bookkeeping.dataSource().getConnection(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select status, error from klaviyo_sync.runs where run_id = "
                            + r.get("runId").asLong())) {
                assertTrue(rs.next());
                assertEquals("failed", rs.getString(1));
                assertEquals("could not connect to the warehouse: " + reason, rs.getString(2));
            }
            assertTrue(checkMs - acceptedMs < 5000, "check took " + checkMs + " ms, " + acceptedMs + " ms when accepted");
        }
    }
}
