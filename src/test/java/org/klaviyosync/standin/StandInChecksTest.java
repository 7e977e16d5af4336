package org.klaviyosync.standin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stand-in's hand-written checks agree with the rules they replace. */
class StandInChecksTest {

    @Test
    void emailAndPhoneChecksAgreeWithTheirPatterns() {
        List<String> samples = new ArrayList<>(List.of("a@b.co", "person1@example.com", "first.last@sub.example.org",
                "x!#$%&'*+/=?^_`{|}~-y@example.com", "@example.com", "a@", "a@b", "a@b.", "a@.b.com", "a..b@example.com",
                ".a@example.com", "a.@example.com", "a@@example.com", "a@b@example.com", "a b@example.com",
                "a@-b.com", "a@b-.com", "a@b--c.com", "a@b_c.com", "é@example.com", "a@exämple.com",
                "a@example.com\n", "\na@example.com", "a@example.com ", "a@" + "x".repeat(63) + ".com",
                "a@" + "x".repeat(64) + ".com", "a@1.2", "A@B.CO", "a@b.c-d.e", "", "@", ".", "a@b..com",
                "+15005550006", "+1", "+12", "+123456789012345", "+1234567890123456", "+0123", "15005550006",
                "+1500555000a", "+1 500", "+١٢٣", "+15005550006\n"));
        Random random = new Random(7);
        String alphabet = "ab1.-@_+!é \n9Z";
        for (int i = 0; i < 50_000; i++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            samples.add(sb.toString());
            samples.add(sb + "@example.com");
            samples.add("+" + random.nextInt(10) + sb.toString().replaceAll("[^0-9]", "") + (i % 3 == 0 ? "x" : ""));
        }
        for (String s : samples) {
            assertEquals(ProfileValidation.EMAIL.matcher(s).matches(), ProfileValidation.isEmail(s), s);
            assertEquals(ProfileValidation.E164.matcher(s).matches(), ProfileValidation.isE164(s), s);
        }
    }

    @Test
    void sizeBoundNeverPassesAProfileOverTheLimit() throws Exception {
        Random random = new Random(11);
        String[] pieces = {"a", "\"", "\\", "\n", "\u0001", "é", "\u20ac", "\ud83d\ude00", "\ud800", "/", "\u007f"};
        for (int i = 0; i < 300; i++) {
            ObjectNode node = StandInJson.object();
            ObjectNode props = node.putObject("attributes").putObject("properties");
            int keys = 1 + random.nextInt(4);
            for (int k = 0; k < keys; k++) {
                StringBuilder sb = new StringBuilder();
                int length = random.nextInt(400);
                for (int c = 0; c < length; c++) {
                    sb.append(pieces[random.nextInt(pieces.length)]);
                }
                props.put("k" + k + pieces[random.nextInt(pieces.length)], sb.toString());
            }
            props.put("n", random.nextLong()).put("d", random.nextDouble() * 1e300).put("b", true).putNull("z");
            int exact = StandInJson.bytes(node).length;
            Object value = StandInJson.toJava(node);
            for (int limit : new int[] {exact - 1, exact, exact + 1, exact / 2, exact * 7}) {
                assertEquals(exact <= limit, StandInJson.compactSizeAtMost(value, limit), "limit " + limit + " for " + exact);
            }
        }
    }

    @Test
    void readCompactGivesTheValuesOfTheTree() throws Exception {
        String json = "{\"type\":\"profile\",\"id\":null,\"attributes\":{\"email\":\"a@b.co\",\"properties\":"
                + "{\"i\":7,\"l\":12345678901,\"big\":123456789012345678901234567890,\"d\":1.5,\"e\":1e5,"
                + "\"t\":true,\"f\":false,\"n\":null,\"list\":[1,\"x\",null,{\"a\":[]}],\"o\":{}}}}";
        Object compact;
        try (JsonParser p = StandInJson.MAPPER.createParser(json)) {
            p.nextToken();
            compact = StandInJson.readCompact(p);
        }
        JsonNode tree = StandInJson.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(StandInJson.toJava(tree), compact);
        assertEquals(tree, StandInJson.toNode(compact));
        assertTrue(compact instanceof CompactMap);
    }

    @Test
    void compactMapsKeepOrderAndDropNullsWhenCopied() {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("b", 1);
        source.put("a", null);
        source.put("c", "x");
        CompactMap copy = CompactMap.copyOf(source);
        assertEquals(List.of("b", "c"), new ArrayList<>(copy.keySet()));
        assertEquals(Map.of("b", 1, "c", "x"), copy);
        assertSame(copy, CompactMap.copyOf(copy));
        assertNull(copy.get("a"));
        assertFalse(copy.containsKey("a"));

        CompactMap.Builder b = new CompactMap.Builder(copy);
        b.put("b", 2);
        b.put("d", 4);
        b.remove("c");
        b.append("e", 5);
        assertEquals(List.of("b", "d", "e"), new ArrayList<>(b.build().keySet()));
        assertEquals(Map.of("b", 2, "d", 4, "e", 5), b.build());
        assertSame(CompactMap.EMPTY, new CompactMap.Builder(CompactMap.EMPTY).build());
    }
}
