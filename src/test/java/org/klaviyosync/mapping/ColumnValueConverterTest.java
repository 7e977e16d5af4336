package org.klaviyosync.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.klaviyosync.mapping.Fixtures.JSON;
import static org.klaviyosync.mapping.Fixtures.pg;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Blob;
import java.sql.Date;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ColumnValueConverterTest {

    private final ColumnValueConverter converter = new ColumnValueConverter(JSON);

    private String json(Object value) throws Exception {
        ConvertedValue c = converter.toJson("col", value);
        assertTrue(c.ok(), () -> "unexpected problem: " + c.problem());
        return c.isNull() ? null : JSON.writeValueAsString(c.value());
    }

    private String problem(Object value) {
        ConvertedValue c = converter.toJson("col", value);
        assertFalse(c.ok(), "expected a problem for " + value);
        assertNull(c.value());
        assertEquals("col", c.problem().field());
        return c.problem().reason();
    }

    @Test
    void numbers() throws Exception {
        assertEquals("42", json(42));
        assertEquals("-7", json((short) -7));
        assertEquals("9007199254740992", json(1L << 53));
        assertEquals("-9007199254740992", json(-(1L << 53)));
        assertEquals("\"9007199254740993\"", json((1L << 53) + 1));
        assertEquals("\"-9223372036854775808\"", json(Long.MIN_VALUE));
        assertEquals("\"123456789012345678901234567890\"", json(new BigInteger("123456789012345678901234567890")));
        assertEquals("12345", json(new BigInteger("12345")));
        assertEquals("12.50", json(new BigDecimal("12.50")));
        assertEquals("1000", json(new BigDecimal("1E+3")));
        assertEquals("\"12345678901234567890.5\"", json(new BigDecimal("12345678901234567890.5")));
        assertEquals("\"99999999999999999999\"", json(new BigDecimal("99999999999999999999")));
        assertEquals("1.5", json(1.5d));
        assertEquals("0.1", json(0.1f));
    }

    @Test
    void nanAndInfinityAreProblems() {
        assertTrue(problem(Double.NaN).contains("NaN"));
        assertTrue(problem(Double.POSITIVE_INFINITY).contains("Infinity"));
        assertTrue(problem(Float.NEGATIVE_INFINITY).contains("-Infinity"));
    }

    @Test
    void scalars() throws Exception {
        assertEquals("true", json(true));
        assertEquals("\"héllo ✓ \uD83D\uDE00\"", json("héllo ✓ \uD83D\uDE00"));
        assertEquals("\"x\"", json('x'));
        UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        assertEquals("\"123e4567-e89b-12d3-a456-426614174000\"", json(id));
        assertNull(json(null));
    }

    @Test
    void datesAndTimes() throws Exception {
        assertEquals("\"2024-02-29\"", json(Date.valueOf("2024-02-29")));
        assertEquals("\"2024-02-29\"", json(LocalDate.of(2024, 2, 29)));
        assertEquals("\"13:45:00\"", json(Time.valueOf("13:45:00")));
        assertEquals("\"13:45:30.5\"", json(LocalTime.of(13, 45, 30, 500_000_000)));
    }

    @Test
    void timestampsAreUtcWithZ() throws Exception {
        // a timestamp without zone: its wall clock is read as UTC, whatever the JVM's zone
        assertEquals("\"2024-05-01T12:30:00Z\"", json(Timestamp.valueOf("2024-05-01 12:30:00")));
        assertEquals("\"2024-05-01T12:30:00.123Z\"", json(Timestamp.valueOf("2024-05-01 12:30:00.123")));
        assertEquals("\"2024-05-01T12:30:00Z\"", json(LocalDateTime.of(2024, 5, 1, 12, 30)));
        assertEquals("\"2024-05-01T10:30:00Z\"",
                json(OffsetDateTime.of(2024, 5, 1, 12, 30, 0, 0, ZoneOffset.ofHours(2))));
        assertEquals("\"2024-05-01T12:30:00Z\"", json(Instant.parse("2024-05-01T12:30:00Z")));
        assertEquals("\"1970-01-01T00:00:01Z\"", json(new java.util.Date(1000)));
    }

    @Test
    void jsonColumnsAreParsedWithSortedKeys() throws Exception {
        assertEquals("{\"a\":[1,\"x\",null],\"b\":{\"c\":true}}", json(pg("jsonb", "{\"b\":{\"c\":true},\"a\":[1,\"x\",null]}")));
        assertEquals("[1,2]", json(pg("json", " [1, 2] ")));
        assertEquals("{\"big\":\"12345678901234567890\",\"ok\":9007199254740992}",
                json(pg("jsonb", "{\"big\":12345678901234567890,\"ok\":9007199254740992}")));
        assertEquals("\"text\"", json(pg("json", "\"text\"")));
        assertNull(json(pg("jsonb", "null")));
        assertNull(json(pg("jsonb", null)));
        assertEquals("\"P1D\"", json(pg("interval", "1 day")));
        assertEquals("\"P-1DT2H30M\"", json(pg("interval", "-1 days +02:30:00")));
        assertEquals("\"10.0.0.1\"", json(pg("inet", "10.0.0.1")));
    }

    @Test
    void invalidJsonIsAProblem() {
        assertTrue(problem(pg("jsonb", "{\"a\":")).startsWith("column 'col' holds invalid JSON"));
        assertTrue(problem(pg("json", "{} trailing")).startsWith("column 'col' holds invalid JSON"));
        assertTrue(problem(pg("json", "")).startsWith("column 'col' holds invalid JSON"));
        assertTrue(problem(pg("json", "[NaN]")).startsWith("column 'col' holds invalid JSON"));
        assertFalse(converter.parseJson("col", "not json").ok());
    }

    @Test
    void arraysListsAndMaps() throws Exception {
        assertEquals("[\"a\",\"b\",null]", json(Fixtures.sqlArray(new String[] {"a", "b", null})));
        assertEquals("[1,2,3]", json(new int[] {1, 2, 3}));
        assertEquals("[1,\"2024-01-01\"]", json(List.of(1, LocalDate.of(2024, 1, 1))));
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("z", 1);
        map.put("a", Arrays.asList("x", null));
        assertEquals("{\"a\":[\"x\",null],\"z\":1}", json(map));
        assertTrue(problem(List.of(1.0, Double.NaN)).contains("NaN"));
    }

    @Test
    void unsendableTypesNameTheColumn() {
        assertEquals("column 'col' has type bytea/byte[] which cannot be sent to Klaviyo", problem(new byte[] {1, 2}));
        assertTrue(problem(blob()).contains("java.sql.Blob"));
        assertEquals("column 'col' has type java.lang.Thread which cannot be sent to Klaviyo", problem(new Thread()));
        assertTrue(problem(List.of(new byte[1])).contains("bytea"));
    }

    @Test
    void textForm() {
        assertEquals("10017", text(10017));
        assertEquals("10017", text(10017.0d));
        assertEquals("12.50", text(new BigDecimal("12.50")));
        assertEquals("100000000000000000000", text(1e20));
        assertEquals("0.1", text(0.1f));
        assertEquals("12345678901234567890", text(new BigInteger("12345678901234567890")));
        assertEquals("true", text(true));
        assertEquals("2024-05-01T12:30:00Z", text(Timestamp.valueOf("2024-05-01 12:30:00")));
        assertEquals("Paris", text(pg("jsonb", "\"Paris\"")));
        assertEquals("3", text(pg("jsonb", "3")));
        assertNull(converter.toText("col", null).value());
        ConvertedValue object = converter.toText("col", pg("jsonb", "{\"a\":1}"));
        assertFalse(object.ok());
        assertTrue(object.problem().reason().contains("JSON object"));
    }

    private String text(Object value) {
        ConvertedValue c = converter.toText("col", value);
        assertTrue(c.ok(), () -> "unexpected problem: " + c.problem());
        JsonNode node = c.value();
        assertTrue(node.isTextual());
        return node.textValue();
    }

    private static Blob blob() {
        return (Blob) java.lang.reflect.Proxy.newProxyInstance(ColumnValueConverterTest.class.getClassLoader(),
                new Class<?>[] {Blob.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getBinaryStream")) {
                        InputStream in = new ByteArrayInputStream(new byte[0]);
                        return in;
                    }
                    return null;
                });
    }
}
