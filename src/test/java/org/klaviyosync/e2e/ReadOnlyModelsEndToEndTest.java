package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Models run read-only: one that tries to write fails with a clear error naming the sync and
 * changes nothing, whether start-up catches it or the warehouse's read-only transaction does; a
 * model with an SQL error reports the sync, PostgreSQL's message and where in the model it is.
 */
class ReadOnlyModelsEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.withDemoCustomers(50);

    @BeforeAll
    static void start() throws Exception {
        e2e.warehouse().execute("create function wipe_customers() returns bigint language plpgsql as $$"
                + " declare n bigint; begin delete from customers; get diagnostics n = row_count; return n; end $$");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "delete from customers returning *",
        "update customers set email = null returning *",
        "insert into customers (customer_id) values ('x') returning *",
        "create table stolen as select * from customers",
        "  -- a comment first\n  DELETE FROM customers RETURNING *",
    })
    void aModelThatWritesIsRefusedAtStartUpAndChangesNothing(String model) throws Exception {
        e2e.cli().sync("writer", "model", model, "identifier", "external_id", "identifierColumn", "customer_id",
                "properties", "email=email", "lists", "L");

        CliHarness.Result r = e2e.cli().run("run", "writer");

        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("sync 'writer'"), r.err());
        assertTrue(r.err().contains("read-only"), r.err());
        assertEquals(50, count("select count(*) from customers"));
        assertEquals(0, count("select count(*) from pg_tables where tablename = 'stolen'"));
    }

    @Test
    void aWriteHiddenInAWithClauseIsRefusedAtStartUpAndChangesNothing() throws Exception {
        e2e.cli().sync("sneaky-with", "model",
                "with gone as (delete from customers returning *) select customer_id as id from gone",
                "identifier", "external_id", "identifierColumn", "id", "properties", "*", "lists", "L");

        CliHarness.Result r = e2e.cli().run("run", "--json", "sneaky-with");

        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("sync 'sneaky-with'") && r.err().contains("models run read-only"), r.err());
        assertEquals(50, count("select count(*) from customers"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "select w::text as id from wipe_customers() as w",
    })
    void aWriteTheProbeCannotSeeFailsInTheReadOnlyTransaction(String model) throws Exception {
        e2e.cli().sync("sneaky", "model", model, "identifier", "external_id",
                "identifierColumn", "id", "properties", "*", "lists", "L");

        CliHarness.Result r = e2e.cli().run("run", "--json", "sneaky");

        assertEquals(1, r.exitCode(), r.err());
        JsonNode run = JSON.readTree(r.out().strip());
        assertEquals("failed", run.get("status").asText());
        String error = run.get("error").asText();
        assertTrue(error.contains("read-only transaction") && error.contains("nothing was changed"), error);
        assertEquals(50, count("select count(*) from customers"));
    }

    @Test
    void anSqlErrorNamesTheSyncThePostgresMessageAndItsPositionInTheModel() throws Exception {
        e2e.cli().sync("typo", "model", "select customer_id,\n  emial from customers", "identifier", "external_id",
                "identifierColumn", "customer_id", "properties", "*", "lists", "L");

        CliHarness.Result r = e2e.cli().run("run", "typo");

        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("sync 'typo'"), r.err());
        assertTrue(r.err().contains("column \"emial\" does not exist"), r.err());
        assertTrue(r.err().contains("line 2, column 3 of the model, position 23, near 'emial from customers'"), r.err());
    }

    private static long count(String sql) throws Exception {
        try (Connection c = e2e.warehouse().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
