package org.klaviyosync.mapping;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Blob;
import java.sql.Clob;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Converts a value read through JDBC (as PostgreSQL's driver returns it, e.g. through Spring's
 * {@code ColumnMapRowMapper}) into the JSON value sent to Klaviyo.
 *
 * <ul>
 *   <li>Integers ({@code Short}, {@code Integer}, {@code Long}, {@code BigInteger}, integral
 *       {@code BigDecimal}) and decimals become JSON numbers when their magnitude is at most
 *       2<sup>53</sup>; larger ones become strings holding the exact digits, since Klaviyo stores
 *       numbers as doubles. {@code Double} and {@code Float} stay numbers; NaN and infinities are a
 *       problem.</li>
 *   <li>{@code Boolean} as boolean; {@code String}, {@code Character} and {@code UUID} as text.</li>
 *   <li>Dates ({@code java.sql.Date}, {@code LocalDate}) as {@code yyyy-MM-dd}; times of day
 *       ({@code java.sql.Time}, {@code LocalTime}) as {@code HH:mm:ss[.fraction]}.</li>
 *   <li>Points in time as ISO-8601 in UTC with {@code Z}, e.g. {@code 2024-05-01T12:30:00Z}.
 *       {@code OffsetDateTime}, {@code ZonedDateTime}, {@code Instant} and non-SQL
 *       {@code java.util.Date} carry their instant. {@code java.sql.Timestamp} and
 *       {@code LocalDateTime} carry no zone: their wall-clock fields are read as UTC. That is
 *       exact for {@code timestamp without time zone} columns holding UTC times. For
 *       {@code timestamp with time zone} columns the driver renders the instant in the JVM's
 *       default zone, so run the JVM in UTC ({@code -Duser.timezone=UTC}) or select such columns
 *       {@code at time zone 'UTC'}.</li>
 *   <li>PostgreSQL {@code json}/{@code jsonb} values ({@code org.postgresql.util.PGobject},
 *       recognised by class name so the driver is not needed here) are parsed into JSON; invalid
 *       JSON is a problem. Object keys are sorted and oversized integers become strings, as
 *       above. Other {@code PGobject} types ({@code interval}, {@code inet}, ...) are sent as
 *       their text.</li>
 *   <li>{@code java.sql.Array}, Java arrays and {@code Collection}s become JSON arrays;
 *       {@code Map}s become JSON objects with sorted keys.</li>
 *   <li>{@code byte[]}, {@code Blob}, {@code Clob} and any other type are a problem naming the
 *       column.</li>
 * </ul>
 *
 * <p>Never throws on bad data: every failure is a {@link ConvertedValue#problem()}. Thread-safe.
 */
public final class ColumnValueConverter {

    /** 2<sup>53</sup>: integers beyond plus or minus this are sent as strings. */
    public static final long MAX_EXACT_INTEGER = 1L << 53;

    private static final BigInteger MAX_EXACT_BIG = BigInteger.valueOf(MAX_EXACT_INTEGER);
    private static final BigDecimal MAX_EXACT_DECIMAL = BigDecimal.valueOf(MAX_EXACT_INTEGER);
    private static final int MAX_DEPTH = 1000;
    private static final String PG_OBJECT = "org.postgresql.util.PGobject";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_LOCAL_TIME;

    private static final ClassValue<Method[]> PG_ACCESSORS = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                if (c.getName().equals(PG_OBJECT)) {
                    try {
                        return new Method[] {type.getMethod("getType"), type.getMethod("getValue")};
                    } catch (NoSuchMethodException e) {
                        return null;
                    }
                }
            }
            return null;
        }
    };

    private final JsonNodeFactory nodes;
    private final ObjectReader jsonReader;

    public ColumnValueConverter(ObjectMapper json) {
        this.nodes = json.getNodeFactory();
        this.jsonReader = json.readerFor(JsonNode.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The JSON value of {@code value}, read from {@code column}; SQL NULL gives {@link ConvertedValue#isNull()}. */
    public ConvertedValue toJson(String column, Object value) {
        if (value == null) {
            return ConvertedValue.sqlNull();
        }
        try {
            return ConvertedValue.of(convert(value, 0));
        } catch (Unsendable e) {
            return ConvertedValue.problem(column, "column '" + column + "' " + e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            return ConvertedValue.problem(column, "column '" + column + "' could not be converted: " + e);
        }
    }

    /**
     * The value as text, for standard profile attributes and identifiers: numbers in plain
     * decimal form ({@code 10017}, {@code 12.50}), dates and times as in {@link #toJson}, JSON
     * scalars as their text. JSON objects and arrays are a problem.
     */
    public ConvertedValue toText(String column, Object value) {
        if (value == null) {
            return ConvertedValue.sqlNull();
        }
        if (value instanceof String s) {
            return ConvertedValue.of(nodes.textNode(s));
        }
        String plain = plainNumber(value);
        if (plain != null) {
            return ConvertedValue.of(nodes.textNode(plain));
        }
        ConvertedValue json = toJson(column, value);
        if (!json.ok() || json.isNull() || json.value().isTextual()) {
            return json;
        }
        JsonNode node = json.value();
        if (node.isContainerNode()) {
            String what = node.isArray() ? "a list" : "a JSON object";
            return ConvertedValue.problem(column, "column '" + column + "' holds " + what + ", but this field takes text");
        }
        return ConvertedValue.of(nodes.textNode(node.isNumber() ? plainNumber(node.numberValue()) : node.asText()));
    }

    /**
     * Parses JSON text read from {@code column}, with the same normalisation as {@code json}
     * columns. Empty text, trailing content and malformed JSON are problems.
     */
    public ConvertedValue parseJson(String column, String text) {
        try {
            return ConvertedValue.of(parse(text));
        } catch (Unsendable e) {
            return ConvertedValue.problem(column, "column '" + column + "' " + e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            return ConvertedValue.problem(column, "column '" + column + "' could not be converted: " + e);
        }
    }

    /** The {@code [type, value]} of a PostgreSQL {@code PGobject}, or null when {@code value} is not one. */
    static String[] pgObject(Object value) throws Unsendable {
        Method[] accessors = PG_ACCESSORS.get(value.getClass());
        if (accessors == null) {
            return null;
        }
        try {
            return new String[] {(String) accessors[0].invoke(value), (String) accessors[1].invoke(value)};
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new Unsendable("could not be read as a PostgreSQL value: " + e);
        }
    }

    private JsonNode convert(Object value, int depth) throws Unsendable {
        if (depth > MAX_DEPTH) {
            throw new Unsendable("is nested more than " + MAX_DEPTH + " levels deep");
        }
        if (value == null) {
            return nodes.nullNode();
        }
        if (value instanceof String s) {
            return nodes.textNode(s);
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return nodes.numberNode(((Number) value).intValue());
        }
        if (value instanceof Long l) {
            return l >= -MAX_EXACT_INTEGER && l <= MAX_EXACT_INTEGER ? nodes.numberNode(l) : nodes.textNode(l.toString());
        }
        if (value instanceof BigInteger b) {
            return integer(b);
        }
        if (value instanceof BigDecimal d) {
            return decimal(d);
        }
        if (value instanceof Double d) {
            return floating(d);
        }
        if (value instanceof Float f) {
            return Float.isFinite(f) ? nodes.numberNode(Double.parseDouble(f.toString())) : floating(f.doubleValue());
        }
        if (value instanceof Boolean b) {
            return nodes.booleanNode(b);
        }
        if (value instanceof Character || value instanceof UUID) {
            return nodes.textNode(value.toString());
        }
        JsonNode temporal = temporal(value);
        if (temporal != null) {
            return temporal;
        }
        String[] pg = pgObject(value);
        if (pg != null) {
            if (pg[1] == null) {
                return nodes.nullNode();
            }
            if ("json".equals(pg[0]) || "jsonb".equals(pg[0])) {
                return parse(pg[1]);
            }
            if ("interval".equals(pg[0])) {
                return nodes.textNode(IsoDuration.ofPostgresInterval(pg[1]));
            }
            return nodes.textNode(pg[1]);
        }
        if (value instanceof byte[]) {
            throw unsendableType("bytea/byte[]");
        }
        if (value instanceof Blob) {
            throw unsendableType("blob/java.sql.Blob");
        }
        if (value instanceof Clob) {
            throw unsendableType("clob/java.sql.Clob");
        }
        if (value instanceof java.sql.SQLXML xml) {
            try {
                String text = xml.getString();
                return text == null ? nodes.nullNode() : nodes.textNode(text);
            } catch (SQLException e) {
                throw new Unsendable("could not be read as XML: " + e.getMessage());
            }
        }
        if (value instanceof java.sql.Array sqlArray) {
            Object elements;
            String baseType;
            try {
                elements = sqlArray.getArray();
                baseType = sqlArray.getBaseTypeName();
            } catch (SQLException | RuntimeException e) {
                throw new Unsendable("could not be read as an array: " + e.getMessage());
            }
            if (elements == null) {
                return nodes.nullNode();
            }
            boolean jsonElements = "json".equals(baseType) || "jsonb".equals(baseType)
                    || "_json".equals(baseType) || "_jsonb".equals(baseType);
            return jsonElements ? jsonArray(elements, depth) : convert(elements, depth);
        }
        if (value.getClass().isArray()) {
            int length = java.lang.reflect.Array.getLength(value);
            ArrayNode array = nodes.arrayNode(length);
            for (int i = 0; i < length; i++) {
                array.add(convert(java.lang.reflect.Array.get(value, i), depth + 1));
            }
            return array;
        }
        if (value instanceof Collection<?> collection) {
            ArrayNode array = nodes.arrayNode(collection.size());
            for (Object element : collection) {
                array.add(convert(element, depth + 1));
            }
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sorted.put(String.valueOf(e.getKey()), e.getValue());
            }
            ObjectNode object = nodes.objectNode();
            for (Map.Entry<String, Object> e : sorted.entrySet()) {
                object.set(e.getKey(), convert(e.getValue(), depth + 1));
            }
            return object;
        }
        if (value instanceof JsonNode node) {
            return normalize(node, depth);
        }
        throw unsendableType(value.getClass().getName());
    }

    /** An array of json/jsonb elements, which the driver hands over as JSON text. */
    private JsonNode jsonArray(Object elements, int depth) throws Unsendable {
        if (depth > MAX_DEPTH) {
            throw new Unsendable("is nested more than " + MAX_DEPTH + " levels deep");
        }
        if (elements instanceof String text) {
            return parse(text);
        }
        if (elements == null) {
            return nodes.nullNode();
        }
        if (!elements.getClass().isArray()) {
            return convert(elements, depth);
        }
        int length = java.lang.reflect.Array.getLength(elements);
        ArrayNode array = nodes.arrayNode(length);
        for (int i = 0; i < length; i++) {
            array.add(jsonArray(java.lang.reflect.Array.get(elements, i), depth + 1));
        }
        return array;
    }

    private JsonNode temporal(Object value) {
        if (value instanceof java.sql.Timestamp ts) {
            return instant(ts.toLocalDateTime().toInstant(ZoneOffset.UTC));
        }
        if (value instanceof java.sql.Date d) {
            return nodes.textNode(d.toLocalDate().toString());
        }
        if (value instanceof java.sql.Time t) {
            return nodes.textNode(TIME.format(t.toLocalTime()));
        }
        if (value instanceof java.util.Date d) {
            return instant(d.toInstant());
        }
        if (value instanceof LocalDate d) {
            return nodes.textNode(d.toString());
        }
        if (value instanceof LocalDateTime t) {
            return instant(t.toInstant(ZoneOffset.UTC));
        }
        if (value instanceof OffsetDateTime t) {
            return instant(t.toInstant());
        }
        if (value instanceof ZonedDateTime t) {
            return instant(t.toInstant());
        }
        if (value instanceof Instant i) {
            return instant(i);
        }
        if (value instanceof LocalTime t) {
            return nodes.textNode(TIME.format(t));
        }
        if (value instanceof OffsetTime t) {
            return nodes.textNode(t.toString());
        }
        return null;
    }

    private JsonNode instant(Instant instant) {
        return nodes.textNode(DateTimeFormatter.ISO_INSTANT.format(instant));
    }

    private JsonNode integer(BigInteger b) {
        return b.abs().compareTo(MAX_EXACT_BIG) <= 0 ? nodes.numberNode(b.longValue()) : nodes.textNode(b.toString());
    }

    private JsonNode decimal(BigDecimal d) {
        if (d.scale() <= 0) {
            return integer(d.toBigInteger());
        }
        return d.abs().compareTo(MAX_EXACT_DECIMAL) <= 0 ? nodes.numberNode(d) : nodes.textNode(d.toPlainString());
    }

    private JsonNode floating(double d) throws Unsendable {
        if (Double.isNaN(d)) {
            throw new Unsendable("holds NaN, which cannot be sent to Klaviyo (JSON has no NaN)");
        }
        if (Double.isInfinite(d)) {
            throw new Unsendable("holds " + (d > 0 ? "Infinity" : "-Infinity")
                    + ", which cannot be sent to Klaviyo (JSON has no infinities)");
        }
        return nodes.numberNode(d);
    }

    private JsonNode parse(String text) throws Unsendable {
        JsonNode parsed;
        try {
            parsed = jsonReader.readTree(text);
        } catch (java.io.IOException e) {
            throw new Unsendable("holds invalid JSON: " + firstLine(e.getMessage()));
        }
        if (parsed == null || parsed.isMissingNode()) {
            throw new Unsendable("holds invalid JSON: the text is empty");
        }
        return normalize(parsed, 0);
    }

    /** Sorts object keys and turns integers beyond 2^53 into strings, recursively. */
    private JsonNode normalize(JsonNode node, int depth) throws Unsendable {
        if (depth > MAX_DEPTH) {
            throw new Unsendable("is nested more than " + MAX_DEPTH + " levels deep");
        }
        if (node.isObject()) {
            List<String> names = new ArrayList<>(node.size());
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            names.sort(null);
            ObjectNode sorted = nodes.objectNode();
            for (String name : names) {
                sorted.set(name, normalize(node.get(name), depth + 1));
            }
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode array = nodes.arrayNode(node.size());
            for (JsonNode element : node) {
                array.add(normalize(element, depth + 1));
            }
            return array;
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? convert(node.longValue(), depth) : integer(node.bigIntegerValue());
        }
        if (node.isBigDecimal()) {
            return decimal(node.decimalValue());
        }
        if (node.isDouble() || node.isFloat()) {
            return floating(node.doubleValue());
        }
        return node;
    }

    /** Numbers in plain decimal form without exponent or trailing fraction zeros; null for other values. */
    private static String plainNumber(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            return value.toString();
        }
        if (value instanceof BigDecimal d) {
            return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (!Double.isFinite(d)) {
                return null;
            }
            BigDecimal decimal = value instanceof Float ? new BigDecimal(value.toString()) : BigDecimal.valueOf(d);
            return decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    private static Unsendable unsendableType(String type) {
        return new Unsendable("has type " + type + " which cannot be sent to Klaviyo");
    }

    /** A value that cannot be sent; the message completes "column 'x' ...". Carries no stack trace. */
    static final class Unsendable extends Exception {
        Unsendable(String message) {
            super(message, null, false, false);
        }
    }
}
