package org.klaviyosync.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AcknowledgedFingerprintsTest {

    private static long hash(String id) {
        return AcknowledgedFingerprints.identifierHash(id);
    }

    @Test
    void matchesOnlyTheStoredFingerprintOfAStoredIdentifier() {
        AcknowledgedFingerprints a = new AcknowledgedFingerprints(3);
        a.put(hash("alice@example.com"), 11L);
        a.put(hash("bob@example.com"), 22L);
        a.put(hash("carol@example.com"), -33L);
        a.seal();

        assertTrue(a.matches("alice@example.com", 11L));
        assertTrue(a.matches("bob@example.com", 22L));
        assertTrue(a.matches("carol@example.com", -33L));
        assertFalse(a.matches("alice@example.com", 12L), "changed fingerprint");
        assertFalse(a.matches("alice@example.com", 22L), "another row's fingerprint");
        assertFalse(a.matches("dave@example.com", 11L), "absent identifier");
        assertEquals(3, a.size());
    }

    @Test
    void emptyMatchesNothing() {
        AcknowledgedFingerprints empty = AcknowledgedFingerprints.empty();
        assertFalse(empty.matches("alice@example.com", 0L));
        assertFalse(empty.matches("", 0L));
        assertEquals(0, empty.size());
        assertFalse(new AcknowledgedFingerprints(10).matches("x", 1L), "built for 10, given none");
    }

    @Test
    void zeroHashesZeroFingerprintsAndAZeroMixedValueAreOrdinaryEntries() {
        AcknowledgedFingerprints a = new AcknowledgedFingerprints(0);
        a.put(hash("zero-fingerprint"), 0L);
        a.put(0L, 5L); // an identifier hash of 0
        a.put(0L, 0L); // mixes to 0: fmix64 maps 0 to 0
        assertEquals(0L, AcknowledgedFingerprints.mix(0L, 0L));

        assertTrue(a.matches("zero-fingerprint", 0L));
        assertFalse(a.matches("zero-fingerprint", 1L));
        assertEquals(3, a.size());
        assertTrue(a.footprintBytes() > 0);
    }

    @Test
    void theSameEntryPutTwiceCountsOnce() {
        AcknowledgedFingerprints a = new AcknowledgedFingerprints(2);
        a.put(hash("a"), 1L);
        a.put(hash("a"), 1L);
        assertTrue(a.matches("a", 1L));
        assertEquals(1, a.size());
    }

    @Test
    void putsAfterLookupsAreSeenByLaterLookups() {
        AcknowledgedFingerprints a = new AcknowledgedFingerprints(1);
        a.put(hash("a"), 1L);
        assertTrue(a.matches("a", 1L));
        assertFalse(a.matches("b", 2L));
        a.put(hash("b"), 2L); // past the expected size: grows
        assertTrue(a.matches("b", 2L));
        assertTrue(a.matches("a", 1L));
        assertEquals(2, a.size());
    }

    @Test
    void mixingKeepsDistinctFingerprintsOfOneIdentifierApart() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            long h = random.nextLong();
            long fp = random.nextLong();
            long other = fp + 1 + random.nextInt(1000);
            assertTrue(AcknowledgedFingerprints.mix(h, fp) != AcknowledgedFingerprints.mix(h, other));
        }
    }

    @Test
    void aMillionRandomEntriesAllMatchAndTakeAboutEightBytesEach() {
        int n = 1_000_000;
        long[] fingerprints = new long[n];
        SplittableRandom random = new SplittableRandom(42);
        AcknowledgedFingerprints a = new AcknowledgedFingerprints(n);
        for (int i = 0; i < n; i++) {
            fingerprints[i] = random.nextLong();
            a.put(hash("user-" + i + "@example.com"), fingerprints[i]);
        }
        a.seal();

        assertEquals(n, a.size());
        for (int i = 0; i < n; i++) {
            String id = "user-" + i + "@example.com";
            if (!a.matches(id, fingerprints[i])) {
                throw new AssertionError("false negative for " + id);
            }
        }
        int falsePositives = 0;
        for (int i = 0; i < n; i++) {
            if (a.matches("user-" + i + "@example.com", fingerprints[i] ^ 1L)
                    || a.matches("other-" + i + "@example.com", fingerprints[i])) {
                falsePositives++;
            }
        }
        assertEquals(0, falsePositives, "changed or absent rows taken for unchanged");
        long bytes = a.footprintBytes();
        assertTrue(bytes <= 12L * n, "footprint " + bytes + " bytes for " + n + " entries");
        assertTrue(bytes >= 8L * n, "footprint " + bytes + " counts the values");
    }

    @Test
    void anOverestimatedSizeIsTrimmedWhenSealed() {
        AcknowledgedFingerprints a = new AcknowledgedFingerprints(1_000_000);
        for (int i = 0; i < 1000; i++) {
            a.put(hash("id-" + i), i);
        }
        a.seal();
        assertTrue(a.footprintBytes() <= 12L * 1000, "footprint " + a.footprintBytes());
        for (int i = 0; i < 1000; i++) {
            assertTrue(a.matches("id-" + i, i));
            assertFalse(a.matches("id-" + i, i + 1));
        }
    }
}
