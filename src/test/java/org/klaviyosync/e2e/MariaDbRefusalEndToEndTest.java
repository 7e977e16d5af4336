package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.klaviyosync.standin.KlaviyoStandIn;

/** A MariaDB warehouse that refuses the password: MariaDB's own words, within seconds. */
class MariaDbRefusalEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static MariaDbServer mariadb;
    private static String skipReason;

    @TempDir
    Path work;

    @BeforeAll
    static void startServer() throws Exception {
        MariaDbServer.Start start = MariaDbServer.start();
        mariadb = start.server();
        skipReason = start.reason();
        if (mariadb != null) {
            mariadb.createDatabase("shop", "create table members (id varchar(20), email varchar(100))",
                    "insert into members values ('m-1', 'one@example.com')",
                    "create user if not exists 'sync'@'%' identified by 'right-password'",
                    "grant select on shop.* to 'sync'@'%'");
        }
    }

    @AfterAll
    static void stopServer() {
        if (mariadb != null) {
            mariadb.close();
        }
    }

    @Test
    void aWrongPasswordIsReportedInMariaDbsWords() throws Exception {
        Assumptions.assumeTrue(mariadb != null, () -> "MariaDB tests skipped: " + skipReason);
        TestWarehouse bookkeeping = TestWarehouse.fresh();
        try (KlaviyoStandIn klaviyo = KlaviyoStandIn.start()) {
            CliHarness cli = new CliHarness(work)
                    .env("WAREHOUSE_JDBC_URL", mariadb.jdbcUrl("shop").replaceAll("\\?.*", ""))
                    .env("WAREHOUSE_USER", "sync")
                    .env("WAREHOUSE_PASSWORD", "wrong-password")
                    .env("STATE_JDBC_URL", bookkeeping.jdbcUrl())
                    .env("KLAVIYO_API_KEY", klaviyo.apiKey())
                    .env("KLAVIYO_BASE_URL", klaviyo.baseUrl());
            cli.sync("members", "model", "select id, email from members", "identifier", "external_id",
                    "identifierColumn", "id", "properties", "email=email", "lists", "Members");

            CliHarness.Result check = cli.run("check");
            assertEquals(1, check.exitCode(), check.out() + check.err());
            assertTrue(check.out().matches("(?s).*Warehouse: {4}FAILED: could not connect: .*Access denied for user"
                    + " 'sync'@'[^']+'.*"), check.out());

            CliHarness.Result run = cli.run("run", "--json", "members");
            assertEquals(1, run.exitCode(), run.out() + run.err());
            JsonNode r = JSON.readTree(run.out().strip());
            assertEquals("failed", r.get("status").asText());
            assertTrue(r.get("error").asText().matches("could not connect to the warehouse: .*Access denied for user"
                    + " 'sync'@'[^']+'.*"), r.get("error").asText());
            assertTrue(r.get("durationMs").asLong() < 5000, "the run failed after " + r.get("durationMs") + " ms");
            System.out.println("MariaDB refusal: " + r.get("error").asText() + " after " + r.get("durationMs") + " ms");
        }
    }
}
