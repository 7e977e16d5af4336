package org.klaviyosync.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.klaviyosync.mapping.Fixtures.JSON;
import static org.klaviyosync.mapping.Fixtures.pg;
import static org.klaviyosync.mapping.Fixtures.specific;
import static org.klaviyosync.mapping.Fixtures.sync;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.klaviyosync.config.NullHandling;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.klaviyosync.config.Identifier;
import org.klaviyosync.config.PropertyMappings;

/** Feeds generated rows of every kind of value and checks that each one gets a clear verdict. */
class RandomRowsTest {

    private static final long SEED = 20240501L;
    private static final int ROWS = 5_000;
    private static final String[] COLUMNS = {"id", "email", "phone_number", "first_name", "city", "zip",
            "score", "note", "seen_at", "tags", "attrs", "lists", "Weird Name", "$hidden", "ünïcode"};

    @Test
    void everyRowIsValidWithPayloadOrInvalidWithReason() throws Exception {
        Random random = new Random(SEED);
        List<ProfilePayloadMapper> mappers = List.of(
                new ProfilePayloadMapper(sync(Identifier.EXTERNAL_ID, "id", PropertyMappings.all(), "lists",
                        List.of("Census Uploads")), JSON),
                new ProfilePayloadMapper(sync(Identifier.EMAIL, "email", specific("first_name", "first_name",
                        "location.city", "city", "location.zip", "zip", "score", "score", "note", "note",
                        "seen_at", "seen_at", "tags", "tags", "attrs", "attrs", "phone_number", "phone_number"),
                        "lists", List.of()), JSON),
                new ProfilePayloadMapper(sync(Identifier.PHONE_NUMBER, "phone_number", PropertyMappings.all(), null,
                        List.of("A", "B")), JSON),
                new ProfilePayloadMapper(sync(Identifier.EXTERNAL_ID, "id", PropertyMappings.all(), "lists",
                        List.of("Census Uploads")).withValues(NullHandling.CLEAR, "US"), JSON),
                new ProfilePayloadMapper(sync(Identifier.PHONE_NUMBER, "phone_number", specific("first_name",
                        "first_name", "location.city", "city", "score", "score", "note", "note", "email", "email"),
                        null, List.of("A")).withValues(NullHandling.CLEAR, "GB"), JSON));
        int valid = 0;
        int invalid = 0;
        int withClears = 0;
        Map<String, Integer> problemFields = new java.util.TreeMap<>();
        for (int i = 0; i < ROWS; i++) {
            Map<String, Object> row = randomRow(random);
            ProfilePayloadMapper mapper = mappers.get(i % mappers.size());
            MappedRow mapped = mapper.map(row);
            if (mapped.valid()) {
                valid++;
                checkValid(mapped, i);
                if (mapped.nullsToClear() != null) {
                    withClears++;
                    checkClear(mapped, i);
                }
            } else {
                invalid++;
                checkInvalid(mapped, i);
                problemFields.merge(mapped.problem().field(), 1, Integer::sum);
            }
        }
        System.out.println(valid + " valid, " + invalid + " invalid; problems by field: " + problemFields);
        // the generator mixes good and bad values; both outcomes must occur often
        assertTrue(valid > ROWS / 20, "valid rows: " + valid);
        assertTrue(invalid > ROWS / 20, "invalid rows: " + invalid);
        assertTrue(withClears > ROWS / 20, "rows with nulls to clear: " + withClears);
    }

    /** The profile-import resource of nulls=clear: the identifier, nulls only, and property names to unset. */
    private static void checkClear(MappedRow mapped, int i) {
        JsonNode clear = mapped.nullsToClear();
        assertEquals("profile", clear.path("type").asText(), "row " + i);
        JsonNode attributes = clear.get("attributes");
        int identifiers = 0;
        for (java.util.Iterator<Map.Entry<String, JsonNode>> it = attributes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isTextual()) {
                identifiers++;
                assertEquals(mapped.identifierValue(), e.getValue().textValue(), "row " + i);
            } else if (e.getKey().equals("location")) {
                e.getValue().forEach(v -> assertTrue(v.isNull(), "row " + i));
            } else {
                assertTrue(e.getValue().isNull(), "row " + i + " " + e);
                assertFalse(mapped.profile().get("attributes").has(e.getKey()), "row " + i + " sent and cleared");
            }
        }
        assertEquals(1, identifiers, "row " + i + " " + clear);
        JsonNode unset = clear.path("meta").path("patch_properties").path("unset");
        JsonNode properties = mapped.profile().get("attributes").path("properties");
        unset.forEach(name -> {
            assertFalse(name.asText().isBlank() || name.asText().startsWith("$"), "row " + i);
            assertFalse(properties.has(name.asText()), "row " + i + " sent and unset: " + name);
        });
        assertTrue(attributes.size() > 1 || unset.size() > 0, "row " + i + " clears something");
    }

    private static void checkValid(MappedRow mapped, int i) throws Exception {
        assertNull(mapped.problem(), "row " + i);
        assertNotNull(mapped.identifierValue(), "row " + i);
        assertFalse(mapped.identifierValue().isBlank(), "row " + i);
        assertEquals("profile", mapped.profile().path("type").asText(), "row " + i);
        JsonNode attributes = mapped.profile().get("attributes");
        assertTrue(attributes.isObject(), "row " + i);
        byte[] bytes = JSON.writeValueAsBytes(mapped.profile());
        assertEquals(bytes.length, mapped.payloadBytes(), "row " + i);
        assertTrue(bytes.length <= ProfilePayloadMapper.MAX_PROFILE_BYTES, "row " + i);
        JsonNode reread = JSON.readTree(new String(bytes, StandardCharsets.UTF_8));
        assertEquals("profile", reread.path("type").asText(), "row " + i);
        assertEquals(attributes.size(), reread.path("attributes").size(), "row " + i);
        JsonNode email = attributes.get("email");
        if (email != null) {
            assertTrue(EmailAddress.isValid(email.asText()), "row " + i + " email " + email);
        }
        JsonNode phone = attributes.get("phone_number");
        if (phone != null) {
            assertTrue(PhoneNumber.isE164(phone.asText()), "row " + i + " phone " + phone);
        }
        JsonNode properties = attributes.get("properties");
        if (properties != null) {
            properties.fieldNames().forEachRemaining(name -> {
                assertFalse(name.isBlank(), "row " + i);
                assertFalse(name.startsWith("$"), "row " + i);
            });
        }
        assertEquals(mapped.lists().size(), mapped.lists().stream().distinct().count(), "row " + i);
    }

    private static void checkInvalid(MappedRow mapped, int i) {
        RowProblem problem = mapped.problem();
        assertNotNull(problem.field(), "row " + i);
        assertNotNull(problem.reason(), "row " + i);
        assertFalse(problem.reason().isBlank(), "row " + i);
        assertNull(mapped.profile(), "row " + i);
        String described = mapped.describe("fuzz");
        assertTrue(described.startsWith("sync 'fuzz' row "), described);
        assertTrue(described.contains("field '" + problem.field() + "'"), described);
    }

    private static Map<String, Object> randomRow(Random random) {
        // a third of the rows may hold anything; the others only values that can be sent
        boolean hostile = random.nextInt(3) == 0;
        List<String> columns = new ArrayList<>(Arrays.asList(COLUMNS));
        java.util.Collections.shuffle(columns, random);
        Map<String, Object> row = new LinkedHashMap<>();
        for (String column : columns) {
            if (hostile ? random.nextInt(40) == 0 : column.startsWith("$")) {
                continue; // a missing column now and then
            }
            row.put(random.nextInt(10) == 0 ? column.toUpperCase() : column, value(column, random, hostile));
        }
        return row;
    }

    private static Object value(String column, Random random, boolean hostile) {
        if (random.nextInt(6) == 0 && !(column.equals("id") && !hostile)) {
            return null;
        }
        boolean wellFormed = !hostile || random.nextInt(4) != 0;
        if (!hostile && !column.equals("lists") && !column.equals("id") && !column.equals("email")
                && !column.equals("phone_number")) {
            return safeValue(random);
        }
        switch (column) {
            case "id":
                return wellFormed ? "crm-" + random.nextInt(1_000_000) : anyValue(random);
            case "email":
                return wellFormed ? "user" + random.nextInt(10_000) + "@example.com" : text(random, 12);
            case "phone_number":
                if (!wellFormed) {
                    return text(random, 10);
                }
                switch (random.nextInt(4)) {
                    case 0: return "(415) 555-" + (1000 + random.nextInt(9000));
                    case 1: return "020 7946 " + (1000 + random.nextInt(9000));
                    default: return "+1" + (2_000_000_000L + random.nextInt(1_000_000_000));
                }
            case "lists":
                return wellFormed ? listValue(random) : anyValue(random);
            default:
                return anyValue(random);
        }
    }

    private static Object listValue(Random random) {
        String[] names = {"VIP", "Census Uploads", "Newsletter", "Ünïcode ✓", "RYkk48"};
        List<String> chosen = new ArrayList<>();
        for (int n = random.nextInt(4); n > 0; n--) {
            chosen.add(names[random.nextInt(names.length)]);
        }
        String json;
        try {
            json = JSON.writeValueAsString(chosen);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        switch (random.nextInt(4)) {
            case 0:
                return json;
            case 1:
                return pg("jsonb", json);
            case 2:
                return Fixtures.sqlArray(chosen.toArray(new String[0]));
            default:
                return chosen;
        }
    }

    private static Object anyValue(Random random) {
        switch (random.nextInt(26)) {
            case 0: return text(random, 20);
            case 1: return text(random, random.nextInt(5) == 0 ? 60_000 : 200);
            case 2: return random.nextInt();
            case 3: return random.nextLong();
            case 4: return (short) random.nextInt();
            case 5: return new BigDecimal(BigInteger.valueOf(random.nextLong()), random.nextInt(8) - 2);
            case 6: return new BigInteger(90, random);
            case 7: return randomDouble(random);
            case 8: return (float) randomDouble(random);
            case 9: return random.nextBoolean();
            case 10: return new Date(random.nextLong() % 4_000_000_000_000L);
            case 11: return new Time(random.nextInt(86_400_000));
            case 12: return new Timestamp(random.nextLong() % 4_000_000_000_000L);
            case 13: return LocalDate.ofEpochDay(random.nextInt(100_000) - 50_000);
            case 14: return LocalDateTime.ofEpochSecond(random.nextInt(), 0, ZoneOffset.UTC);
            case 15: return OffsetDateTime.ofInstant(Instant.ofEpochSecond(random.nextInt()), ZoneOffset.ofHours(random.nextInt(25) - 12));
            case 16: return UUID.randomUUID();
            case 17: return pg(random.nextBoolean() ? "json" : "jsonb", randomJson(random));
            case 18: return Fixtures.sqlArray(new Object[] {text(random, 5), random.nextInt(), null});
            case 19: return new byte[random.nextInt(10)];
            case 20: return Map.of("k" + random.nextInt(3), text(random, 8), "n", random.nextInt());
            case 21: return Arrays.asList(text(random, 4), randomDouble(random), null);
            case 22: return (char) (32 + random.nextInt(20_000));
            case 23: return pg("interval", random.nextInt(30) + " days");
            case 24: return new Object();
            default: return Instant.ofEpochMilli(random.nextLong() % 4_000_000_000_000L);
        }
    }

    private static Object safeValue(Random random) {
        switch (random.nextInt(12)) {
            case 0: return text(random, 30).replace('\uD800', 'x');
            case 1: return random.nextLong();
            case 2: return new BigDecimal(BigInteger.valueOf(random.nextLong()), random.nextInt(8) - 2);
            case 3: return random.nextGaussian() * 1e6;
            case 4: return random.nextBoolean();
            case 5: return new Timestamp(random.nextLong() % 4_000_000_000_000L);
            case 6: return LocalDate.ofEpochDay(random.nextInt(100_000) - 50_000);
            case 7: return UUID.randomUUID();
            case 8: return pg("jsonb", "{\"b\":[1,\"x\"],\"a\":{\"n\":12345678901234567890}}");
            case 9: return Fixtures.sqlArray(new Object[] {"a", 1, null});
            case 10: return pg("interval", random.nextInt(30) + " days");
            default: return (char) ('A' + random.nextInt(26));
        }
    }

    private static double randomDouble(Random random) {
        switch (random.nextInt(8)) {
            case 0: return Double.NaN;
            case 1: return random.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 2: return random.nextGaussian() * 1e300;
            default: return random.nextGaussian() * 1000;
        }
    }

    private static String randomJson(Random random) {
        String[] samples = {"{\"a\":1,\"b\":[true,null,\"x\"]}", "[1,2,3]", "\"text\"", "42", "null",
                "{\"big\":123456789012345678901234}", "{\"nested\":{\"z\":{\"y\":[{}]}}}", "{\"a\":", "[1,,2]",
                "", "{} extra", "{\"é\":\"✓\"}", "[\"VIP\"]"};
        return samples[random.nextInt(samples.length)];
    }

    /** Text of any Unicode code points, including astral ones, blanks, and now and then a lone surrogate. */
    private static String text(Random random, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(6)) {
                case 0: sb.appendCodePoint(0x1F600 + random.nextInt(80)); break;
                case 1: sb.append((char) (0x00C0 + random.nextInt(0x2000))); break;
                case 2: sb.append(random.nextInt(10) == 0 ? ' ' : '@'); break;
                case 3: sb.append((char) random.nextInt(32)); break;
                default: sb.append((char) ('a' + random.nextInt(26)));
            }
        }
        if (length > 0 && random.nextInt(50) == 0) {
            sb.append('\uD800');
        }
        return sb.toString();
    }
}
