package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.klaviyosync.standin.KlaviyoStandIn;
import org.klaviyosync.standin.StandInProfile;

/**
 * Demo-like customers for the warehouses other than PostgreSQL: every column type the issue names
 * (text, decimal, date, timestamp, boolean, a JSON object and a JSON list of list names), a few
 * bad emails that must end as invalid rows, and the assertion that the Klaviyo stand-in holds
 * exactly the expected profiles, with the same JSON forms as a PostgreSQL warehouse gives.
 */
final class SampleCustomers {

    static final String STATIC_LIST = "klaviyo-sync customers";
    static final String COLUMNS = "customer_id, email, first_name, plan, lifetime_value, signed_up_on, last_seen_at,"
            + " is_active, preferences, lists";
    static final String PROPERTIES = "email=email,first_name=first_name,plan=plan,lifetime_value=lifetime_value,"
            + "signed_up_on=signed_up_on,last_seen_at=last_seen_at,is_active=is_active,preferences=preferences";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] PLANS = {"free", "starter", "pro", "enterprise"};

    record Customer(String id, String email, String firstName, String plan, BigDecimal lifetimeValue,
                    LocalDate signedUpOn, LocalDateTime lastSeenAt, boolean active, String preferencesJson,
                    List<String> lists) {

        boolean valid() {
            return email.contains("@");
        }

        String listsJson() {
            return lists.stream().map(l -> "\"" + l + "\"").collect(Collectors.joining(",", "[", "]"));
        }
    }

    private SampleCustomers() {
    }

    static List<Customer> generate(int n) {
        List<Customer> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String email = i % 37 == 5 ? "not-an-email-" + i : "customer" + i + "@example.com";
            List<String> lists = switch (i % 3) {
                case 0 -> List.of("Newsletter");
                case 1 -> List.of("Newsletter", "VIP");
                default -> List.of();
            };
            out.add(new Customer(String.format("c-%04d", i), email, "Name" + i, PLANS[i % PLANS.length],
                    new BigDecimal(i).multiply(new BigDecimal("1.25")).setScale(2),
                    LocalDate.of(2024, 1, 1).plusDays(i), LocalDateTime.of(2025, 3, 4, 5, 6, 7).plusMinutes(i),
                    i % 2 == 0, "{\"weekly\":" + (i % 4 == 0) + ",\"channel\":\"" + (i % 2 == 0 ? "email" : "sms") + "\"}",
                    lists));
        }
        return out;
    }

    /** Inserts the customers into {@code table} through {@code c}; the JSON columns as text. */
    static void insert(Connection c, String table, List<Customer> customers) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into " + table + " (" + COLUMNS
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Customer r : customers) {
                ps.setString(1, r.id());
                ps.setString(2, r.email());
                ps.setString(3, r.firstName());
                ps.setString(4, r.plan());
                ps.setBigDecimal(5, r.lifetimeValue());
                ps.setObject(6, r.signedUpOn());
                ps.setObject(7, r.lastSeenAt());
                ps.setBoolean(8, r.active());
                ps.setString(9, r.preferencesJson());
                ps.setString(10, r.listsJson());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The sync every warehouse test runs: external ids, the typed columns, the list column and a static list. */
    static void writeSync(CliHarness cli, String syncId, String model) throws java.io.IOException {
        cli.sync(syncId, "model", model, "identifier", "external_id", "identifierColumn", "customer_id",
                "properties", PROPERTIES, "listColumn", "lists", "lists", STATIC_LIST);
    }

    /** The run's counts and the stand-in's profiles are exactly those of the valid customers. */
    static void assertDelivered(CliHarness.Result r, List<Customer> customers, KlaviyoStandIn klaviyo) throws Exception {
        assertEquals(0, r.exitCode(), r.err());
        JsonNode run = JSON.readTree(r.out().strip());
        List<Customer> valid = customers.stream().filter(Customer::valid).toList();
        assertTrue(valid.size() < customers.size(), "some rows are invalid");
        assertEquals("completed", run.get("status").asText(), run.toString());
        assertEquals(customers.size(), run.get("read").asLong());
        assertEquals(valid.size(), run.get("sent").asLong());
        assertEquals(customers.size() - valid.size(), run.get("invalid").asLong());
        assertEquals(0, run.get("rejected").asLong());
        assertEquals(0, run.get("deferred").asLong());

        assertEquals(valid.size(), klaviyo.profiles().size(), "the stand-in holds exactly the valid rows");
        Map<String, String> listNames = klaviyo.listsByIdToName();
        for (Customer c : customers) {
            if (!c.valid()) {
                assertTrue(klaviyo.profileByExternalId(c.id()).isEmpty(), c.id() + " is invalid and not sent");
                continue;
            }
            StandInProfile p = klaviyo.profileByExternalId(c.id()).orElseThrow(() -> new AssertionError(c.id()));
            assertEquals(c.email(), p.email());
            assertEquals(c.firstName(), p.attribute("first_name"));
            assertEquals(c.plan(), p.property("plan"));
            assertEquals(0, c.lifetimeValue().compareTo(new BigDecimal(String.valueOf(p.property("lifetime_value")))),
                    "lifetime_value of " + c.id() + ": " + p.property("lifetime_value"));
            assertTrue(p.property("lifetime_value") instanceof Number, "a decimal is a JSON number");
            assertEquals(c.signedUpOn().toString(), p.property("signed_up_on"), "a date is yyyy-MM-dd");
            assertEquals(c.lastSeenAt().toInstant(ZoneOffset.UTC).toString(), p.property("last_seen_at"),
                    "a timestamp is ISO 8601 in UTC");
            assertEquals(c.active(), p.property("is_active"), "a boolean is a JSON boolean");
            assertEquals(JSON.readValue(c.preferencesJson(), Map.class), p.property("preferences"),
                    "a JSON column is a JSON object");
            Set<String> expected = new TreeSet<>(c.lists());
            expected.add(STATIC_LIST);
            Set<String> actual = p.listIds().stream().map(listNames::get).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(expected, actual, "lists of " + c.id());
        }
        assertEquals(1, klaviyo.listIdsNamed("Newsletter").size());
        assertEquals(1, klaviyo.listIdsNamed("VIP").size());
    }
}
