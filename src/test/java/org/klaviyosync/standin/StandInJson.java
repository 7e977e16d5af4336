package org.klaviyosync.standin;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Strict JSON parsing (no duplicate keys, no trailing tokens) and small conversions. */
final class StandInJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();


    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx").withZone(ZoneOffset.UTC);

    private StandInJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    static JsonNode parse(byte[] body) throws IOException {
        return MAPPER.readTree(body);
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String time(Instant instant) {
        return instant == null ? null : TIME.format(instant);
    }

    /**
     * The plain Java value of a parsed node (String, Integer, Long, BigInteger, Double, Boolean, null,
     * ArrayList, LinkedHashMap), as {@code MAPPER.convertValue(node, Object.class)} gives it, without
     * a round trip through a token buffer.
     */
    static Object toJava(JsonNode node) {
        switch (node.getNodeType()) {
            case STRING:
                return node.textValue();
            case BOOLEAN:
                return node.booleanValue();
            case NULL:
                return null;
            case NUMBER:
                if (node.isInt()) {
                    return node.intValue();
                }
                if (node.isLong()) {
                    return node.longValue();
                }
                if (node.isDouble()) {
                    return node.doubleValue();
                }
                if (node.isBigInteger()) {
                    return node.bigIntegerValue();
                }
                break;
            case ARRAY: {
                List<Object> list = new ArrayList<>(node.size());
                for (JsonNode item : node) {
                    list.add(toJava(item));
                }
                return list;
            }
            case OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    map.put(e.getKey(), toJava(e.getValue()));
                }
                return map;
            }
            default:
                break;
        }
        return MAPPER.convertValue(node, Object.class);
    }

    /**
     * Whether the compact JSON of {@code value} (plain Java values, as {@link #bytes} would write the
     * tree) takes at most {@code limit} bytes. Upper bounds computed without writing anything settle
     * most cases (first six bytes for every character of a string, then the exact cost of each
     * character); only a value whose bounds both exceed the limit is written out and measured.
     */
    static boolean compactSizeAtMost(Object value, long limit) {
        if (sizeBound(value, limit, false) <= limit || sizeBound(value, limit, true) <= limit) {
            return true;
        }
        try {
            return MAPPER.writeValueAsBytes(value).length <= limit;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An upper bound of the compact size of {@code value}; stops counting once it passes {@code limit}. */
    private static long sizeBound(Object value, long limit, boolean perCharacter) {
        if (value == null) {
            return 4;
        }
        if (value instanceof String s) {
            return stringBound(s, perCharacter);
        }
        if (value instanceof Boolean) {
            return 5;
        }
        if (value instanceof Integer || value instanceof Long) {
            return 20;
        }
        if (value instanceof Double) {
            return 25;
        }
        if (value instanceof BigInteger big) {
            return big.toString().length();
        }
        if (value instanceof List<?> list) {
            long n = 2 + Math.max(0, list.size() - 1);
            for (Object item : list) {
                n += sizeBound(item, limit, perCharacter);
                if (n > limit) {
                    return n;
                }
            }
            return n;
        }
        if (value instanceof Map<?, ?> map) {
            long n = 2 + Math.max(0, map.size() - 1);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                n += stringBound((String) e.getKey(), perCharacter) + 1 + sizeBound(e.getValue(), limit, perCharacter);
                if (n > limit) {
                    return n;
                }
            }
            return n;
        }
        return Long.MAX_VALUE;
    }

    /**
     * Quotes plus at most 6 bytes a character (a six-character escape); with {@code perCharacter},
     * plain printable ASCII counts 1 and a quote or backslash 2.
     */
    private static long stringBound(String s, boolean perCharacter) {
        if (!perCharacter) {
            return 2 + 6L * s.length();
        }
        long n = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                n += c == '"' || c == '\\' ? 2 : 1;
            } else {
                n += 6;
            }
        }
        return n;
    }

    /**
     * Reads the value at the parser's current token into the plain Java values {@link #toJava} gives,
     * except that objects become {@link CompactMap}s (null members kept). Leaves the parser on the
     * value's last token.
     */
    static Object readCompact(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        switch (token) {
            case START_OBJECT: {
                Object[] kv = new Object[8];
                int n = 0;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    Object value = readCompact(p);
                    if (n == kv.length) {
                        kv = Arrays.copyOf(kv, 2 * n);
                    }
                    kv[n++] = name;
                    kv[n++] = value;
                }
                return CompactMap.of(kv, n);
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readCompact(p));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IllegalStateException("unexpected " + token);
        }
    }

    /** {@link #parseCompact} of a body without any JSON value (empty or only whitespace). */
    static final Object NO_VALUE = new Object();

    /**
     * Parses a whole body strictly (duplicate keys and trailing tokens refused) into the values of
     * {@link #readCompact}; {@link #NO_VALUE} when the body holds none.
     */
    static Object parseCompact(byte[] body) throws IOException {
        try (JsonParser p = MAPPER.createParser(body)) {
            if (p.nextToken() == null) {
                return NO_VALUE;
            }
            Object value = readCompact(p);
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new JsonParseException(p, "Trailing token (of type " + trailing + ") found after the value");
            }
            return value;
        }
    }

    static JsonNode toNode(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** Deep, unmodifiable copy of a JSON-like value (maps, lists, scalars). */
    @SuppressWarnings("unchecked")
    static Object frozen(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put((String) k, frozen(v)));
            return Collections.unmodifiableMap(copy);
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            l.forEach(v -> copy.add(frozen(v)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> frozenMap(Map<String, Object> map) {
        return (Map<String, Object>) frozen(map);
    }
}
