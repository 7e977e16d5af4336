package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.standin.StandInProfile;

/**
 * The core sync end to end: demo data in a real PostgreSQL, the shipped sync files, {@code run
 * --json} through Camel and camel-http to the strict Klaviyo stand-in, which must end holding
 * exactly the expected profiles, properties and list memberships.
 */
class CoreSyncEndToEndTest {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{1,14}$");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.withDemoCustomers(3000).jobPollsUntilComplete(2);

    @Test
    void externalIdSyncDeliversExactlyTheValidRowsWithTheirPropertiesAndLists() throws Exception {
        Files.copy(Path.of("routes/syncs/customers-by-external-id.yaml"),
                e2e.cli().syncsDir().resolve("customers-by-external-id.yaml"));

        long started = System.nanoTime();
        CliHarness.Result r = e2e.cli().run("run", "--json", "customers-by-external-id");
        long wallMs = java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertEquals(0, r.exitCode(), r.err());
        JsonNode run = JSON.readTree(r.out().strip());
        List<Map<String, Object>> rows = rows("select * from customers order by customer_id");
        List<Map<String, Object>> valid = rows.stream().filter(CoreSyncEndToEndTest::validContact).toList();
        assertTrue(valid.size() < rows.size(), "the demo data holds bad emails and phones");
        assertEquals("completed", run.get("status").asText());
        assertEquals(rows.size(), run.get("read").asLong());
        assertEquals(valid.size(), run.get("sent").asLong());
        assertEquals(rows.size() - valid.size(), run.get("invalid").asLong());
        assertEquals(0, run.get("rejected").asLong());
        assertEquals(0, run.get("deferred").asLong());
        assertEquals(0, run.get("unchanged").asLong());
        long durationMs = run.get("durationMs").asLong();
        assertTrue(durationMs > 0 && durationMs <= wallMs, "durationMs " + durationMs + " of a " + wallMs + " ms command");

        assertEquals(valid.size(), e2e.klaviyo().profiles().size(), "the stand-in holds exactly the valid rows");
        Map<String, String> listNames = e2e.klaviyo().listsByIdToName();
        for (Map<String, Object> row : valid) {
            StandInProfile p = e2e.klaviyo().profileByExternalId((String) row.get("customer_id")).orElseThrow();
            assertEquals(row.get("email"), p.email());
            assertEquals(row.get("phone"), p.phoneNumber());
            assertEquals(row.get("first_name"), p.attribute("first_name"));
            assertEquals(row.get("last_name"), p.attribute("last_name"));
            @SuppressWarnings("unchecked")
            Map<String, Object> location = (Map<String, Object>) p.attribute("location");
            assertEquals(row.get("city"), location.get("city"));
            assertEquals(row.get("zip"), location.get("zip"));
            assertEquals(row.get("plan"), p.property("plan"));
            assertEquals(((Number) row.get("lifetime_value")).doubleValue(),
                    ((Number) p.property("lifetime_value")).doubleValue(), 0.001);
            assertTrue(String.valueOf(p.property("signed_up_at")).endsWith("Z"));
            Set<String> expectedLists = new TreeSet<>(listsOf(row));
            expectedLists.add("klaviyo-sync customers");
            Set<String> actualLists = p.listIds().stream().map(listNames::get).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(expectedLists, actualLists, "lists of " + row.get("customer_id"));
        }
        for (Map<String, Object> row : rows) {
            if (!validContact(row)) {
                assertTrue(e2e.klaviyo().profileByExternalId((String) row.get("customer_id")).isEmpty());
            }
        }
        // each list name was looked up and created once
        assertEquals(1, e2e.klaviyo().listIdsNamed("Newsletter").size());
        List<Map<String, Object>> invalid = rows("select identifier_value, field, reason from klaviyo_sync.row_results"
                + " where run_id = " + run.get("runId").asLong() + " and outcome = 'invalid'");
        assertEquals(rows.size() - valid.size(), invalid.size());
        for (Map<String, Object> i : invalid) {
            String reason = (String) i.get("reason");
            assertTrue(reason.contains("customers-by-external-id") && reason.contains((String) i.get("identifier_value")),
                    reason);
            assertTrue(Set.of("email", "phone_number", "phone").contains(i.get("field")), "field " + i.get("field"));
        }
    }

    @Test
    void emailSyncWithSyncAllFillsStandardAttributesAndCustomPropertiesAndJoinsTheStaticList() throws Exception {
        Files.copy(Path.of("routes/syncs/active-customers-by-email.yaml"),
                e2e.cli().syncsDir().resolve("active-customers-by-email.yaml"));

        CliHarness.Result r = e2e.cli().run("run", "--json", "active-customers-by-email");

        assertEquals(0, r.exitCode(), r.err());
        JsonNode run = JSON.readTree(r.out().strip());
        List<Map<String, Object>> rows = rows("select * from customers where is_active and email is not null");
        List<Map<String, Object>> valid = rows.stream().filter(row -> EMAIL.matcher((String) row.get("email")).matches())
                .toList();
        assertEquals(rows.size(), run.get("read").asLong());
        assertEquals(valid.size(), run.get("sent").asLong());
        assertEquals(valid.size(), e2e.klaviyo().profiles().size());
        String activeList = e2e.klaviyo().listIdsNamed("Active customers").get(0);
        for (Map<String, Object> row : valid) {
            StandInProfile p = e2e.klaviyo().profileByEmail((String) row.get("email")).orElseThrow();
            assertEquals(row.get("first_name"), p.attribute("first_name"));
            @SuppressWarnings("unchecked")
            Map<String, Object> location = (Map<String, Object>) p.attribute("location");
            assertEquals(row.get("city"), location.get("city"));
            assertEquals(row.get("country"), location.get("country"));
            assertEquals(row.get("plan"), p.property("plan"));
            assertTrue(p.properties().containsKey("lifetime_value"));
            assertFalse(p.properties().containsKey("email"), "the identifier is not a custom property");
            assertEquals(Set.of(activeList), p.listIds());
        }
    }

    @Test
    void rowsKlaviyoRefusesInTheJobAreRejectedWithItsReasonAndTheRestAreSent() throws Exception {
        e2e.warehouse().execute("create table import_probe (id text, email text)",
                "insert into import_probe values ('a', 'ok.one@example.com'), ('b', 'refused@import-error.test'),"
                        + " ('c', 'ok.two@example.com')");
        e2e.cli().sync("probe", "model", "select id, email from import_probe", "identifier", "external_id",
                "identifierColumn", "id", "properties", "email=email", "lists", "Probe");

        CliHarness.Result r = e2e.cli().run("run", "--json", "probe");

        assertEquals(0, r.exitCode(), "a rejected row does not fail the run: " + r.err());
        JsonNode run = JSON.readTree(r.out().strip());
        assertEquals(3, run.get("read").asLong());
        assertEquals(2, run.get("sent").asLong());
        assertEquals(1, run.get("rejected").asLong());
        assertTrue(e2e.klaviyo().profileByExternalId("b").isEmpty());
        assertTrue(e2e.klaviyo().profileByExternalId("a").isPresent());
        List<Map<String, Object>> rejected = rows("select identifier_value, code, reason from klaviyo_sync.row_results"
                + " where run_id = " + run.get("runId").asLong() + " and outcome = 'rejected'");
        assertEquals(1, rejected.size());
        assertEquals("b", rejected.get(0).get("identifier_value"));
        assertEquals("invalid", rejected.get(0).get("code"));
        assertTrue(((String) rejected.get(0).get("reason")).contains("rejected by the import"),
                (String) rejected.get(0).get("reason"));
    }

    @Test
    void listsAreUsedByIdFoundByEscapedNameCreatedOrRejected() throws Exception {
        String existingId = e2e.klaviyo().createList("Existing \"quoted\" \\ list");
        e2e.klaviyo().createList("Twice");
        e2e.klaviyo().createList("Twice");
        String byId = e2e.klaviyo().createList("Known by id");
        e2e.warehouse().execute("create table list_probe (id text, lists jsonb)",
                "insert into list_probe values"
                        + " ('by-name', '[\"Existing \\\"quoted\\\" \\\\ list\"]'),"
                        + " ('by-id', '[\"" + byId + "\"]'),"
                        + " ('ambiguous', '[\"Twice\"]'),"
                        + " ('missing', '[\"Not there yet\"]')");
        e2e.cli().sync("strict-lists", "model", "select id, lists from list_probe", "identifier", "external_id",
                "identifierColumn", "id", "properties", "", "listColumn", "lists", "createLists", "false");
        e2e.cli().write("strict-lists.yaml", Files.readString(e2e.cli().syncsDir().resolve("strict-lists.yaml"))
                .replace("      - name: properties\n        value: \"\"\n", "      - name: properties\n        value: \"*\"\n"));

        CliHarness.Result r = e2e.cli().run("run", "--json", "strict-lists");

        assertEquals(0, r.exitCode(), r.err());
        JsonNode run = JSON.readTree(r.out().strip());
        assertEquals(4, run.get("read").asLong());
        assertEquals(2, run.get("sent").asLong());
        assertEquals(2, run.get("rejected").asLong());
        assertEquals(Set.of(existingId), e2e.klaviyo().profileByExternalId("by-name").orElseThrow().listIds());
        assertEquals(Set.of(byId), e2e.klaviyo().profileByExternalId("by-id").orElseThrow().listIds());
        assertTrue(e2e.klaviyo().listIdsNamed("Not there yet").isEmpty(), "createLists=false creates nothing");
        Map<Object, Object> reasons = rows("select identifier_value, reason from klaviyo_sync.row_results where run_id = "
                + run.get("runId").asLong()).stream()
                .collect(Collectors.toMap(m -> m.get("identifier_value"), m -> m.get("reason")));
        assertTrue(String.valueOf(reasons.get("ambiguous")).contains("ambiguous"), String.valueOf(reasons));
        assertTrue(String.valueOf(reasons.get("missing")).contains("createLists is false"), String.valueOf(reasons));
    }

    @Test
    void aRefusedKeyFailsTheRunAtOnceAndMarksNothingSent() throws Exception {
        e2e.cli().env("KLAVIYO_API_KEY", "pk_wrong_key_for_this_account");
        Files.copy(Path.of("routes/syncs/customers-by-external-id.yaml"),
                e2e.cli().syncsDir().resolve("customers-by-external-id.yaml"));

        CliHarness.Result r = e2e.cli().run("run", "--json", "customers-by-external-id");

        assertEquals(1, r.exitCode());
        JsonNode run = JSON.readTree(r.out().strip());
        assertEquals("failed", run.get("status").asText());
        assertEquals(0, run.get("sent").asLong());
        assertEquals(run.get("read").asLong(), run.get("invalid").asLong() + run.get("deferred").asLong()
                + run.get("rejected").asLong());
        assertTrue(run.get("error").asText().contains("KLAVIYO_API_KEY"), run.get("error").asText());
        assertFalse(r.out().contains("pk_wrong_key") || r.err().contains("pk_wrong_key"), "the key is never printed");
        assertTrue(e2e.klaviyo().profiles().isEmpty());
    }

    private static boolean validContact(Map<String, Object> row) {
        String email = (String) row.get("email");
        String phone = (String) row.get("phone");
        return (email == null || EMAIL.matcher(email).matches()) && (phone == null || E164.matcher(phone).matches());
    }

    private static List<String> listsOf(Map<String, Object> row) throws Exception {
        List<String> out = new ArrayList<>();
        JSON.readTree(String.valueOf(row.get("lists"))).forEach(n -> out.add(n.asText()));
        return out;
    }

    static List<Map<String, Object>> rows(String sql) throws Exception {
        return rows(e2e.warehouse(), sql);
    }

    static List<Map<String, Object>> rows(TestWarehouse warehouse, String sql) throws Exception {
        try (Connection c = warehouse.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<Map<String, Object>> out = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    m.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                out.add(m);
            }
            return out;
        }
    }
}
