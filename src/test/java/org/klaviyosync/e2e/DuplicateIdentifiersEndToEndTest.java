package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Duplicate identifiers are decided on the key Klaviyo matches profiles on, through PostgreSQL and
 * the stand-in: one phone number written two ways, one email address in two cases; external ids
 * differing only in case are two profiles.
 */
class DuplicateIdentifiersEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.freshWarehouse().jobPollsUntilComplete(1);

    @BeforeEach
    void setUp() throws Exception {
        e2e.warehouse().execute("drop table if exists contacts",
                "create table contacts (id text, email text, mobile text, first_name text)");
    }

    private JsonNode run(String syncId) throws Exception {
        CliHarness.Result r = e2e.cli().run("run", "--json", syncId);
        assertEquals(0, r.exitCode(), r.err());
        return JSON.readTree(r.out().strip());
    }

    private void phoneSync(String order) throws Exception {
        e2e.cli().sync("phones", "model", "select mobile, first_name from contacts order by id " + order,
                "identifier", "phone_number", "identifierColumn", "mobile", "properties", "first_name=first_name",
                "lists", "Phones", "phoneRegion", "US");
    }

    @Test
    void onePhoneNumberWrittenTwoWaysIsInvalidInEveryRunWhateverTheOrder() throws Exception {
        e2e.warehouse().execute("insert into contacts (id, mobile, first_name) values"
                + " ('1', '(646) 798-1234', 'Ann'), ('2', '+16467981234', 'Bob'), ('3', '(415) 555-2671', 'Cy')");
        for (String order : List.of("asc", "desc", "asc")) {
            phoneSync(order);
            JsonNode run = run("phones");

            assertEquals(1, run.get("sent").asInt() + run.get("unchanged").asInt(), order + ": " + run);
            assertEquals(2, run.get("invalid").asInt(), order + ": " + run);
            List<String[]> invalid = invalid(run);
            assertEquals(2, invalid.size());
            for (String[] row : invalid) {
                assertEquals("+16467981234", row[0], "the row key is the number in E.164");
                assertEquals("mobile", row[1]);
                assertTrue(row[2].contains("sync 'phones'") && row[2].contains("duplicate identifier '+16467981234'")
                        && row[2].contains("'(646) 798-1234'") && row[2].contains("'+16467981234'"), row[2]);
            }
            assertTrue(e2e.klaviyo().profileByPhone("+16467981234").isEmpty(), order + ": neither row is sent");
            assertTrue(e2e.klaviyo().profileByPhone("+14155552671").isPresent());
        }
    }

    @Test
    void aPhoneNumberWhoseKeyTheWarehouseCannotReproduceIsInvalid() throws Exception {
        e2e.warehouse().execute("insert into contacts (id, mobile, first_name) values"
                + " ('1', '(646) 798-1234 ext. 5', 'Ann'), ('2', '1 (415) 555-2671', 'Cy')");
        phoneSync("asc");

        JsonNode run = run("phones");

        assertEquals(1, run.get("sent").asInt(), run.toString());
        assertEquals(1, run.get("invalid").asInt());
        String[] row = invalid(run).get(0);
        assertEquals("+16467981234", row[0]);
        assertTrue(row[2].contains("duplicate of it could go unnoticed") && row[2].contains("E.164"), row[2]);
        assertTrue(e2e.klaviyo().profileByPhone("+14155552671").isPresent(), "a national prefix is understood");
    }

    @Test
    void anEmailInTwoCasesIsInvalidAndEmailsAreSentLowerCased() throws Exception {
        e2e.warehouse().execute("insert into contacts (id, email, first_name) values"
                + " ('1', 'Ann@shop.com', 'Ann'), ('2', ' ann@shop.com', 'Anne'), ('3', 'Bob@Shop.COM', 'Bob')");
        for (String order : List.of("asc", "desc")) {
            e2e.cli().sync("emails", "model", "select email, first_name from contacts order by id " + order,
                    "identifier", "email", "identifierColumn", "email", "properties", "first_name=first_name",
                    "lists", "Emails");
            JsonNode run = run("emails");

            assertEquals(2, run.get("invalid").asInt(), order + ": " + run);
            for (String[] row : invalid(run)) {
                assertEquals("ann@shop.com", row[0]);
                assertTrue(row[2].contains("duplicate identifier 'ann@shop.com'") && row[2].contains("'Ann@shop.com'")
                        && row[2].contains("'ann@shop.com'"), row[2]);
            }
            assertTrue(e2e.klaviyo().profileByEmail("ann@shop.com").isEmpty(), "neither row is sent");
            assertEquals("bob@shop.com", e2e.klaviyo().profileByEmail("bob@shop.com").orElseThrow().email());
        }
    }

    @Test
    void externalIdsDifferingInCaseAreTwoProfiles() throws Exception {
        e2e.warehouse().execute("insert into contacts (id, first_name) values ('abc', 'Lower'), ('ABC', 'Upper'),"
                + " ('x1', 'One'), (' x1', 'Two'), (E'x1\\x1f', 'Three'), ('\u00e9x', 'Accent')");
        // naming the identifier column again in properties is redundant, and accepted
        e2e.cli().sync("ids", "model", "select id, first_name from contacts", "identifier", "external_id",
                "identifierColumn", "id", "properties", "external_id=id,first_name=first_name", "lists", "Ids");

        JsonNode run = run("ids");

        assertEquals(3, run.get("sent").asInt(), run.toString());
        assertEquals(3, run.get("invalid").asInt(), "' x1' and 'x1\\u001f' are 'x1' once trimmed");
        assertEquals("Lower", e2e.klaviyo().profileByExternalId("abc").orElseThrow().attribute("first_name"));
        assertEquals("Upper", e2e.klaviyo().profileByExternalId("ABC").orElseThrow().attribute("first_name"));
        assertTrue(e2e.klaviyo().profileByExternalId("x1").isEmpty());
        assertEquals("Accent", e2e.klaviyo().profileByExternalId("\u00e9x").orElseThrow().attribute("first_name"));
    }

    /** The invalid rows of a run: identifier, field, reason. */
    private static List<String[]> invalid(JsonNode run) throws Exception {
        List<String[]> out = new ArrayList<>();
        try (Connection c = e2e.warehouse().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select identifier_value, field, reason from klaviyo_sync.row_results"
                        + " where run_id = " + run.get("runId").asLong() + " and outcome = 'invalid'")) {
            while (rs.next()) {
                out.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            }
        }
        return out;
    }
}
