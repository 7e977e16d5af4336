package org.klaviyosync.standin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
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

    /** Reads one value in the middle of a document (the parser stays on the value's last token). */
    static final ObjectReader IN_PLACE = MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);


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
     * Whether the compact JSON of {@code node} ({@link #bytes}) takes at most {@code limit} bytes. Upper
     * bounds computed without writing anything settle most cases (first six bytes for every character
     * of a string, then the exact cost of each character); only a node whose bounds both exceed the
     * limit is written out and measured.
     */
    static boolean compactSizeAtMost(JsonNode node, long limit) {
        if (sizeBound(node, limit, false) <= limit || sizeBound(node, limit, true) <= limit) {
            return true;
        }
        return bytes(node).length <= limit;
    }

    /** An upper bound of the compact size of {@code node}; stops counting once it passes {@code limit}. */
    private static long sizeBound(JsonNode node, long limit, boolean perCharacter) {
        switch (node.getNodeType()) {
            case STRING:
                return stringBound(node.textValue(), perCharacter);
            case BOOLEAN:
                return 5;
            case NULL:
                return 4;
            case NUMBER:
                if (node.isInt() || node.isLong()) {
                    return 20;
                }
                if (node.isDouble()) {
                    return 25;
                }
                if (node.isBigInteger()) {
                    return node.bigIntegerValue().toString().length();
                }
                return Long.MAX_VALUE;
            case ARRAY: {
                long n = 2 + Math.max(0, node.size() - 1);
                for (JsonNode item : node) {
                    n += sizeBound(item, limit, perCharacter);
                    if (n > limit) {
                        return n;
                    }
                }
                return n;
            }
            case OBJECT: {
                long n = 2 + Math.max(0, node.size() - 1);
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    n += stringBound(e.getKey(), perCharacter) + 1 + sizeBound(e.getValue(), limit, perCharacter);
                    if (n > limit) {
                        return n;
                    }
                }
                return n;
            }
            default:
                return Long.MAX_VALUE;
        }
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

    /** {@link #toJava} of an object node. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> toMap(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("not an object: " + node.getNodeType());
        }
        return (Map<String, Object>) toJava(node);
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
