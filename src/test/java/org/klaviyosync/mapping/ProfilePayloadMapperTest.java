package org.klaviyosync.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.klaviyosync.mapping.Fixtures.JSON;
import static org.klaviyosync.mapping.Fixtures.pg;
import static org.klaviyosync.mapping.Fixtures.row;
import static org.klaviyosync.mapping.Fixtures.specific;
import static org.klaviyosync.mapping.Fixtures.sync;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.klaviyosync.config.Identifier;
import org.klaviyosync.config.PropertyMappings;

class ProfilePayloadMapperTest {

    private static final PropertyMappings CRM = specific(
            "email", "work_email",
            "first_name", "first",
            "location.city", "town",
            "location.zip", "postcode",
            "tier", "tier",
            "lifetime_value", "ltv",
            "signed_up", "signed_up");

    private static ProfilePayloadMapper mapper(Identifier identifier, String column, PropertyMappings properties,
            String listColumn, List<String> lists) {
        return new ProfilePayloadMapper(sync(identifier, column, properties, listColumn, lists), JSON);
    }

    private static ProfilePayloadMapper crm() {
        return mapper(Identifier.EXTERNAL_ID, "id", CRM, "lists", List.of("Census Uploads"));
    }

    private static Map<String, Object> crmRow() {
        return row("id", "crm-42", "work_email", " bob@example.com ", "first", "Bob", "town", "Paris",
                "postcode", 75001, "tier", "gold", "ltv", new BigDecimal("1234.50"),
                "signed_up", Timestamp.valueOf("2024-05-01 12:30:00"), "lists", "[\"VIP\"]");
    }

    private static String json(MappedRow mapped) throws Exception {
        return JSON.writeValueAsString(mapped.profile());
    }

    private static MappedRow invalid(ProfilePayloadMapper mapper, Map<String, Object> row) {
        MappedRow mapped = mapper.map(row);
        assertFalse(mapped.valid(), "expected an invalid row");
        assertNull(mapped.profile());
        assertTrue(mapped.lists().isEmpty());
        return mapped;
    }

    @Test
    void specificPropertiesWithLocationAndCustomProperties() throws Exception {
        MappedRow mapped = crm().map(crmRow());
        assertTrue(mapped.valid(), () -> mapped.describe("vip"));
        assertEquals("crm-42", mapped.identifierValue());
        assertEquals("{\"type\":\"profile\",\"attributes\":{"
                + "\"email\":\"bob@example.com\",\"external_id\":\"crm-42\",\"first_name\":\"Bob\","
                + "\"location\":{\"city\":\"Paris\",\"zip\":\"75001\"},"
                + "\"properties\":{\"lifetime_value\":1234.50,\"signed_up\":\"2024-05-01T12:30:00Z\",\"tier\":\"gold\"}}}",
                json(mapped));
        assertEquals(List.of("Census Uploads", "VIP"), mapped.lists());
        assertEquals(json(mapped).getBytes(StandardCharsets.UTF_8).length, mapped.payloadBytes());
        assertNull(mapped.problem());
        assertEquals("sync 'vip' row 'crm-42' is valid", mapped.describe("vip"));
    }

    @Test
    void columnLookupIgnoresCase() throws Exception {
        Map<String, Object> row = row("ID", "crm-42", "Work_Email", "bob@example.com", "FIRST", "Bob", "Town", null,
                "postcode", null, "TIER", null, "ltv", null, "signed_up", null, "LISTS", null);
        MappedRow mapped = crm().map(row);
        assertTrue(mapped.valid(), () -> mapped.describe("vip"));
        assertEquals("{\"type\":\"profile\",\"attributes\":{\"email\":\"bob@example.com\",\"external_id\":\"crm-42\","
                + "\"first_name\":\"Bob\"}}", json(mapped));
        assertEquals(List.of("Census Uploads"), mapped.lists());
    }

    @Test
    void syncAllProperties() throws Exception {
        ProfilePayloadMapper mapper = mapper(Identifier.EMAIL, "contact", PropertyMappings.all(), "lists", List.of());
        Map<String, Object> row = row("contact", "ann@example.com", "First_Name", "Ann", "city", "Lyon",
                "country", "France", "location_city", "Lyon 2e", "score", 12, "Nickname", "annie",
                "email", "other@example.com", "phone_number", "+33612345678", "lists", pg("jsonb", "[\"A\"]"),
                "notes", null);
        MappedRow mapped = mapper.map(row);
        assertTrue(mapped.valid(), () -> mapped.describe("vip"));
        assertEquals("ann@example.com", mapped.identifierValue());
        assertEquals("{\"type\":\"profile\",\"attributes\":{"
                + "\"email\":\"ann@example.com\",\"phone_number\":\"+33612345678\",\"first_name\":\"Ann\","
                + "\"location\":{\"city\":\"Lyon\",\"country\":\"France\"},"
                + "\"properties\":{\"Nickname\":\"annie\",\"location_city\":\"Lyon 2e\",\"score\":12}}}",
                json(mapped));
        assertEquals(List.of("A"), mapped.lists());
    }

    @Test
    void syncAllRefusesTwoColumnsForOneAttribute() {
        ProfilePayloadMapper mapper = mapper(Identifier.EXTERNAL_ID, "id", PropertyMappings.all(), null, List.of());
        MappedRow mapped = invalid(mapper, row("id", "1", "city", "Lyon", "CITY", "Paris"));
        assertEquals("location.city", mapped.problem().field());
    }

    @Test
    void identifierMissingOrBlank() {
        ProfilePayloadMapper mapper = crm();
        for (Object blank : new Object[] {null, "", "   "}) {
            Map<String, Object> row = crmRow();
            row.put("id", blank);
            MappedRow mapped = invalid(mapper, row);
            assertNull(mapped.identifierValue());
            assertEquals(new RowProblem("id", "identifier column 'id' is empty"), mapped.problem());
            assertEquals("sync 'vip' row without identifier field 'id': identifier column 'id' is empty",
                    mapped.describe("vip"));
        }
        Map<String, Object> row = crmRow();
        row.remove("id");
        assertEquals("id", invalid(mapper, row).problem().field());
    }

    @Test
    void numericIdentifierIsText() throws Exception {
        MappedRow mapped = mapper(Identifier.EXTERNAL_ID, "id", specific(), null, List.of()).map(row("id", 42L));
        assertTrue(mapped.valid());
        assertEquals("{\"type\":\"profile\",\"attributes\":{\"external_id\":\"42\"}}", json(mapped));
    }

    @Test
    void badEmail() {
        Map<String, Object> row = crmRow();
        row.put("work_email", "bob@");
        MappedRow mapped = invalid(crm(), row);
        assertEquals("email", mapped.problem().field());
        assertEquals("sync 'vip' row 'crm-42' field 'email': 'bob@' is not a valid email address (column 'work_email')",
                mapped.describe("vip"));

        ProfilePayloadMapper byEmail = mapper(Identifier.EMAIL, "email", specific(), null, List.of());
        MappedRow byIdentifier = invalid(byEmail, row("email", " bob@ "));
        assertEquals("bob@", byIdentifier.identifierValue());
        assertEquals("sync 'vip' row 'bob@' field 'email': 'bob@' is not a valid email address",
                byIdentifier.describe("vip"));
    }

    @Test
    void blankMappedEmailIsLeftOut() throws Exception {
        Map<String, Object> row = crmRow();
        row.put("work_email", "  ");
        MappedRow mapped = crm().map(row);
        assertTrue(mapped.valid());
        assertFalse(json(mapped).contains("\"email\""));
    }

    @Test
    void phoneNumbersMustBeE164() throws Exception {
        ProfilePayloadMapper byPhone = mapper(Identifier.PHONE_NUMBER, "phone", specific(), null, List.of());
        assertTrue(byPhone.map(row("phone", " +15005550006 ")).valid());
        MappedRow mapped = invalid(byPhone, row("phone", "(500) 555-0006"));
        assertEquals("phone_number", mapped.problem().field());
        assertTrue(mapped.problem().reason().contains("E.164"));

        ProfilePayloadMapper mappedPhone = mapper(Identifier.EXTERNAL_ID, "id", specific("phone_number", "mobile"),
                null, List.of());
        assertEquals("phone_number", invalid(mappedPhone, row("id", "1", "mobile", "0612345678")).problem().field());
        assertEquals("{\"type\":\"profile\",\"attributes\":{\"phone_number\":\"+33612345678\",\"external_id\":\"1\"}}",
                json(mappedPhone.map(row("id", "1", "mobile", "+33612345678"))));
    }

    @Test
    void e164NumbersMustBeValidForTheirCountryAndTheReasonNamesTheColumn() throws Exception {
        ProfilePayloadMapper mappedPhone = mapper(Identifier.EXTERNAL_ID, "id", specific("phone_number", "mobile"),
                null, List.of());
        MappedRow mapped = invalid(mappedPhone, row("id", "1", "mobile", "+331555010001"));
        assertEquals("phone_number", mapped.problem().field());
        assertTrue(mapped.problem().reason().contains("column 'mobile'")
                && mapped.problem().reason().contains("not a valid phone number for region FR"), mapped.problem().reason());
        assertTrue(mappedPhone.map(row("id", "1", "mobile", "+33155501000")).valid());
    }

    @Test
    void emailsAreSentLowerCasedAndAnEmailIdentifierIsTheRowKeyLowerCased() throws Exception {
        ProfilePayloadMapper byEmail = mapper(Identifier.EMAIL, "email", specific(), null, List.of());
        MappedRow mapped = byEmail.map(row("email", " Ann@Shop.com "));
        assertEquals("ann@shop.com", mapped.identifierValue());
        assertEquals("{\"type\":\"profile\",\"attributes\":{\"email\":\"ann@shop.com\"}}", json(mapped));
    }

    @Test
    void mappedColumnMissingFromRow() {
        Map<String, Object> row = crmRow();
        row.remove("ltv");
        MappedRow mapped = invalid(crm(), row);
        assertEquals("ltv", mapped.problem().field());
        assertTrue(mapped.problem().reason().contains("not in the row"));
    }

    @Test
    void listColumnForms() {
        ProfilePayloadMapper mapper = crm();
        Map<String, Object> row = crmRow();
        row.put("lists", pg("json", "[\"VIP\", \"Census Uploads\", \"Newsletter\", \"VIP\"]"));
        assertEquals(List.of("Census Uploads", "VIP", "Newsletter"), mapper.map(row).lists());
        row.put("lists", Fixtures.sqlArray(new String[] {"X"}));
        assertEquals(List.of("Census Uploads", "X"), mapper.map(row).lists());
        row.put("lists", "[\"VIP\"");
        MappedRow mapped = invalid(mapper, row);
        assertEquals("lists", mapped.problem().field());
        assertTrue(mapped.problem().reason().contains("invalid JSON"));
        row.remove("lists");
        assertEquals("lists", invalid(mapper, row).problem().field());
    }

    @Test
    void staticListsAreDeduplicated() {
        ProfilePayloadMapper mapper = mapper(Identifier.EXTERNAL_ID, "id", specific(), null, List.of("A", "B", "A"));
        assertEquals(List.of("A", "B"), mapper.map(row("id", "1")).lists());
    }

    @Test
    void fingerprintIgnoresColumnOrder() {
        Map<String, Object> forward = crmRow();
        TreeMap<String, Object> sorted = new TreeMap<>(forward);
        Map<String, Object> reversed = new java.util.LinkedHashMap<>();
        sorted.descendingMap().forEach(reversed::put);
        MappedRow a = crm().map(forward);
        MappedRow b = crm().map(reversed);
        assertEquals(a.fingerprint(), b.fingerprint());
        assertEquals(a.profile(), b.profile());

        ProfilePayloadMapper all = mapper(Identifier.EXTERNAL_ID, "id", PropertyMappings.all(), "lists", List.of());
        MappedRow c = all.map(row("id", "1", "x", 1, "y", "two", "city", "Lyon", "lists", "[\"A\",\"B\"]"));
        MappedRow d = all.map(row("lists", "[\"B\",\"A\"]", "city", "Lyon", "y", "two", "x", 1, "id", "1"));
        assertEquals(c.fingerprint(), d.fingerprint());
        assertEquals(c.payloadBytes(), d.payloadBytes());
        // json objects with the same content in another key order
        MappedRow e = all.map(row("id", "1", "j", pg("json", "{\"a\":1,\"b\":2}")));
        MappedRow f = all.map(row("id", "1", "j", pg("json", "{\"b\":2,\"a\":1}")));
        assertEquals(e.fingerprint(), f.fingerprint());
    }

    @Test
    void fingerprintChangesWithValuesAndLists() {
        ProfilePayloadMapper mapper = crm();
        long base = mapper.map(crmRow()).fingerprint();
        assertEquals(base, mapper.map(crmRow()).fingerprint());
        String[][] changes = {{"first", "Rob"}, {"tier", "silver"}, {"town", "Lyon"}, {"id", "crm-43"},
                {"lists", "[\"VIP\",\"Other\"]"}, {"lists", "[]"}};
        for (String[] change : changes) {
            Map<String, Object> row = crmRow();
            row.put(change[0], change[1]);
            assertNotEquals(base, mapper.map(row).fingerprint(), change[0] + "=" + change[1]);
        }
        Map<String, Object> row = crmRow();
        row.put("ltv", new BigDecimal("1234.51"));
        assertNotEquals(base, mapper.map(row).fingerprint());
        row = crmRow();
        row.put("tier", null);
        assertNotEquals(base, mapper.map(row).fingerprint());
        // a custom property and a standard one with the same value are different content
        ProfilePayloadMapper all = mapper(Identifier.EXTERNAL_ID, "id", PropertyMappings.all(), null, List.of());
        assertNotEquals(all.map(row("id", "1", "city", "Lyon")).fingerprint(),
                all.map(row("id", "1", "town", "Lyon")).fingerprint());
        // lists differ from static lists
        assertNotEquals(mapper(Identifier.EXTERNAL_ID, "id", specific(), null, List.of("A")).map(row("id", "1")).fingerprint(),
                mapper(Identifier.EXTERNAL_ID, "id", specific(), null, List.of("B")).map(row("id", "1")).fingerprint());
    }

    @Test
    void profilesOver100KbAreInvalid() {
        ProfilePayloadMapper mapper = mapper(Identifier.EXTERNAL_ID, "id", PropertyMappings.all(), null, List.of());
        assertTrue(mapper.map(row("id", "1", "bio", "x".repeat(90_000))).valid());
        MappedRow mapped = invalid(mapper, row("id", "1", "bio", "x".repeat(120_000)));
        assertEquals("profile", mapped.problem().field());
        assertTrue(mapped.payloadBytes() > ProfilePayloadMapper.MAX_PROFILE_BYTES);
        assertEquals("payload of " + mapped.payloadBytes() + " bytes exceeds Klaviyo's 100 KB per-profile limit",
                mapped.problem().reason());
        // counted in UTF-8 bytes, not characters
        assertFalse(mapper.map(row("id", "1", "bio", "é".repeat(60_000))).valid());
    }

    @Test
    void byteaIsInvalidNamingTheColumn() {
        ProfilePayloadMapper mapper = mapper(Identifier.EXTERNAL_ID, "id", PropertyMappings.all(), null, List.of());
        MappedRow mapped = invalid(mapper, row("id", "1", "avatar", new byte[] {1, 2, 3}));
        assertEquals(new RowProblem("avatar", "column 'avatar' has type bytea/byte[] which cannot be sent to Klaviyo"),
                mapped.problem());
        assertEquals("sync 'vip' row '1' field 'avatar': column 'avatar' has type bytea/byte[] which cannot be sent to Klaviyo",
                mapped.describe("vip"));
    }

    @Test
    void numbersBeyond2Pow53AreStrings() throws Exception {
        ProfilePayloadMapper mapper = mapper(Identifier.EXTERNAL_ID, "id", PropertyMappings.all(), null, List.of());
        MappedRow mapped = mapper.map(row("id", "1", "big", 9_007_199_254_740_993L, "small", 9_007_199_254_740_992L));
        assertEquals("{\"type\":\"profile\",\"attributes\":{\"external_id\":\"1\","
                + "\"properties\":{\"big\":\"9007199254740993\",\"small\":9007199254740992}}}", json(mapped));
    }

    @Test
    void timestampsAreUtc() throws Exception {
        ProfilePayloadMapper mapper = mapper(Identifier.EXTERNAL_ID, "id", PropertyMappings.all(), null, List.of());
        MappedRow mapped = mapper.map(row("id", "1", "seen", Timestamp.valueOf("2023-12-31 23:59:59.5"),
                "at", java.time.OffsetDateTime.parse("2024-01-01T01:00:00+01:00")));
        assertEquals("{\"type\":\"profile\",\"attributes\":{\"external_id\":\"1\","
                + "\"properties\":{\"at\":\"2024-01-01T00:00:00Z\",\"seen\":\"2023-12-31T23:59:59.500Z\"}}}",
                json(mapped));
    }

    @Test
    void reservedPropertyNames() {
        ProfilePayloadMapper all = mapper(Identifier.EXTERNAL_ID, "id", PropertyMappings.all(), null, List.of());
        MappedRow mapped = invalid(all, row("id", "1", "$email", "a@b.co"));
        assertEquals("$email", mapped.problem().field());
        assertTrue(mapped.problem().reason().contains("reserved"));
        assertEquals("", invalid(all, row("id", "1", "", "x")).problem().field());

        ProfilePayloadMapper specific = mapper(Identifier.EXTERNAL_ID, "id", specific("$source", "src"), null, List.of());
        assertEquals("$source", invalid(specific, row("id", "1", "src", "x")).problem().field());
    }

    @Test
    void standardAttributesAreText() throws Exception {
        ProfilePayloadMapper mapper = mapper(Identifier.EXTERNAL_ID, "id",
                specific("location.zip", "zip", "title", "rank", "organization", "org"), null, List.of());
        MappedRow mapped = mapper.map(row("id", "1", "zip", 10017, "rank", 3.0d, "org", pg("jsonb", "{\"a\":1}")));
        assertFalse(mapped.valid());
        assertEquals("org", mapped.problem().field());
        mapped = mapper.map(row("id", "1", "zip", 10017, "rank", 3.0d, "org", null));
        assertEquals("{\"type\":\"profile\",\"attributes\":{\"external_id\":\"1\",\"title\":\"3\","
                + "\"location\":{\"zip\":\"10017\"}}}", json(mapped));
    }

    @Test
    void identifierWinsOverAMappingOfTheSameAttribute() throws Exception {
        ProfilePayloadMapper mapper = mapper(Identifier.EMAIL, "email", specific("email", "other"), null, List.of());
        MappedRow mapped = mapper.map(row("email", "a@example.com", "other", "not-an-email"));
        assertTrue(mapped.valid());
        assertEquals("{\"type\":\"profile\",\"attributes\":{\"email\":\"a@example.com\"}}", json(mapped));
    }

    @Test
    void aNullRowIsReportedNotThrown() {
        MappedRow mapped = crm().map(null);
        assertFalse(mapped.valid());
        assertEquals("row", mapped.problem().field());
    }
}
