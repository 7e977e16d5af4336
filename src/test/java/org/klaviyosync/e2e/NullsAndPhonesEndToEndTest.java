package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.standin.StandInProfile;

/**
 * {@code nulls} and {@code phoneRegion} end to end: national phone formats normalised to E.164,
 * invalid ones made invalid rows naming the column (not the number), and with {@code nulls=clear}
 * a null clears the attribute or unsets the property in Klaviyo, while {@code skip} leaves it.
 */
class NullsAndPhonesEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "select id, mobile, first_name, city, tier, score from people order by id";
    private static final String PROPERTIES =
            "phone_number=mobile,first_name=first_name,location.city=city,tier=tier,score=score";

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.freshWarehouse().jobPollsUntilComplete(1);

    @BeforeEach
    void setUp() throws Exception {
        e2e.warehouse().execute("drop table if exists people",
                "create table people (id text primary key, mobile text, first_name text, city text, tier text,"
                        + " score int)",
                "insert into people values"
                        + " ('p1', '(415) 555-2671', 'Ann', 'Paris', 'gold', 5),"
                        + " ('p2', '+44 20 7946 0958', 'Bob', 'London', 'silver', 7),"
                        + " ('p3', '+15005550006', 'Cy', 'Austin', 'bronze', 1),"
                        + " ('p4', '555', 'Dee', 'Oslo', 'gold', 2)");
    }

    private JsonNode run(String nulls) throws Exception {
        e2e.cli().sync("people", "model", MODEL, "identifier", "external_id", "identifierColumn", "id",
                "properties", PROPERTIES, "lists", "People", "phoneRegion", "US", "nulls", nulls);
        CliHarness.Result r = e2e.cli().run("run", "--json", "people");
        assertEquals(0, r.exitCode(), r.err());
        return JSON.readTree(r.out().strip());
    }

    @Test
    void nationalPhonesAreNormalisedAndInvalidOnesNameTheColumnNotTheNumber() throws Exception {
        JsonNode run = run("skip");

        assertEquals(4, run.get("read").asInt());
        assertEquals(3, run.get("sent").asInt());
        assertEquals(1, run.get("invalid").asInt());
        assertEquals("+14155552671", e2e.klaviyo().profileByExternalId("p1").orElseThrow().phoneNumber());
        assertEquals("+442079460958", e2e.klaviyo().profileByExternalId("p2").orElseThrow().phoneNumber());
        assertEquals("+15005550006", e2e.klaviyo().profileByExternalId("p3").orElseThrow().phoneNumber());
        assertTrue(e2e.klaviyo().profileByExternalId("p4").isEmpty());
        Map<String, String> invalid = results(run, "invalid");
        String reason = invalid.get("p4");
        assertTrue(reason.contains("column 'mobile'") && reason.contains("not a valid phone number"), reason);
        assertFalse(reason.contains("'555'"), "the number itself is not stored: " + reason);
    }

    @Test
    void clearUnsetsNullPropertiesAndClearsNullAttributesWhileSkipLeavesThem() throws Exception {
        JsonNode first = run("clear");
        assertEquals(3, first.get("sent").asInt());
        assertEquals(0, e2e.klaviyo().count("POST", "/api/profile-import"), "no nulls, no extra calls");

        e2e.warehouse().execute("update people set first_name = null, tier = null where id = 'p1'",
                "update people set city = null, score = null, mobile = '  ' where id = 'p2'");
        JsonNode skip = run("skip");
        assertEquals(3, skip.get("sent").asInt());
        StandInProfile p1 = e2e.klaviyo().profileByExternalId("p1").orElseThrow();
        assertEquals("Ann", p1.attribute("first_name"), "skip leaves Klaviyo's value alone");
        assertEquals("gold", p1.property("tier"));
        assertEquals(0, e2e.klaviyo().count("POST", "/api/profile-import"));

        JsonNode clear = run("clear");
        assertEquals(4, clear.get("read").asInt());
        assertEquals(3, clear.get("sent").asInt());
        assertEquals(1, clear.get("invalid").asInt());
        assertEquals(0, clear.get("rejected").asInt() + clear.get("deferred").asInt());
        assertEquals(2, e2e.klaviyo().count("POST", "/api/profile-import"), "one profile-import per row with nulls");

        p1 = e2e.klaviyo().profileByExternalId("p1").orElseThrow();
        assertNull(p1.attribute("first_name"));
        assertNull(p1.property("tier"));
        assertEquals(5, ((Number) p1.property("score")).intValue());
        @SuppressWarnings("unchecked")
        Map<String, Object> location = (Map<String, Object>) p1.attribute("location");
        assertEquals("Paris", location.get("city"));

        StandInProfile p2 = e2e.klaviyo().profileByExternalId("p2").orElseThrow();
        assertEquals("Bob", p2.attribute("first_name"));
        assertNull(p2.property("score"));
        assertNull(p2.phoneNumber(), "a blank phone number is a null, cleared");
        @SuppressWarnings("unchecked")
        Map<String, Object> location2 = (Map<String, Object>) p2.attribute("location");
        assertTrue(location2 == null || location2.get("city") == null, "city cleared: " + location2);
        assertEquals("silver", p2.property("tier"));
        StandInProfile p3 = e2e.klaviyo().profileByExternalId("p3").orElseThrow();
        assertEquals("bronze", p3.property("tier"));
    }

    @Test
    void aDryRunWritesTheClearRequestsItWouldSend() throws Exception {
        e2e.warehouse().execute("update people set tier = null where id = 'p3'");
        e2e.cli().env("KLAVIYO_API_KEY", null);
        JsonNode run = run("clear");
        assertEquals("dry_run", run.get("status").asText());
        List<String> lines = Files.readAllLines(Path.of(run.get("dryRunFile").asText()));
        List<JsonNode> clears = lines.stream().map(l -> {
            try {
                return JSON.readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).filter(n -> n.has("clearsNullsOf")).toList();
        assertEquals(1, clears.size(), lines.toString());
        assertEquals("p3", clears.get(0).get("clearsNullsOf").asText());
        assertEquals("[\"tier\"]", clears.get(0).at("/request/data/meta/patch_properties/unset").toString());
        assertEquals("p3", clears.get(0).at("/request/data/attributes/external_id").asText());
    }

    private static Map<String, String> results(JsonNode run, String outcome) throws Exception {
        Map<String, String> out = new HashMap<>();
        try (Connection c = e2e.warehouse().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select identifier_value, reason from klaviyo_sync.row_results"
                        + " where run_id = " + run.get("runId").asLong() + " and outcome = '" + outcome + "'")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }
}
