package org.klaviyosync.standin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
            for (int limit : new int[] {exact - 1, exact, exact + 1, exact / 2, exact * 7}) {
                assertEquals(exact <= limit, StandInJson.compactSizeAtMost(node, limit), "limit " + limit + " for " + exact);
            }
        }
    }
}
