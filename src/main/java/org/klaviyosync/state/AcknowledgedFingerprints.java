package org.klaviyosync.state;

import java.nio.charset.StandardCharsets;

/**
 * What Klaviyo last acknowledged for each identifier of a sync, held compactly for a run: an
 * open-addressing hash map from a 64-bit hash of the identifier value to the row's 64-bit
 * fingerprint, two {@code long[]} and nothing boxed (about 32 bytes per row at most, so 1M rows
 * take about 32 MB).
 *
 * <p>Two identifiers whose hashes collide share one slot. That can only make a row look changed
 * (its fingerprint covers the identifier itself, so another row's fingerprint never equals it):
 * the row is sent again, never skipped.
 */
public final class AcknowledgedFingerprints {

    private static final long EMPTY = 0L;

    private long[] keys;
    private long[] values;
    private int size;
    private boolean hasZeroKey;
    private long zeroKeyValue;

    public AcknowledgedFingerprints(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new long[capacity];
    }

    public static AcknowledgedFingerprints empty() {
        return new AcknowledgedFingerprints(0);
    }

    /** The 64-bit hash of an identifier value the map is keyed by (also stored with the fingerprint). */
    public static long identifierHash(String identifierValue) {
        byte[] bytes = identifierValue.getBytes(StandardCharsets.UTF_8);
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        // final avalanche (MurmurHash3 fmix64), so that similar values spread across the table
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    public void put(long identifierHash, long fingerprint) {
        if (identifierHash == EMPTY) {
            if (!hasZeroKey) {
                size++;
            }
            hasZeroKey = true;
            zeroKeyValue = fingerprint;
            return;
        }
        if ((size + 1) * 2L > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = (int) identifierHash & mask;
        while (keys[i] != EMPTY) {
            if (keys[i] == identifierHash) {
                values[i] = fingerprint;
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = identifierHash;
        values[i] = fingerprint;
        size++;
    }

    /** Whether the identifier's acknowledged fingerprint is {@code fingerprint}. */
    public boolean matches(String identifierValue, long fingerprint) {
        long key = identifierHash(identifierValue);
        if (key == EMPTY) {
            return hasZeroKey && zeroKeyValue == fingerprint;
        }
        int mask = keys.length - 1;
        int i = (int) key & mask;
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                return values[i] == fingerprint;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    public int size() {
        return size;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new long[oldValues.length * 2];
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            long k = oldKeys[j];
            if (k != EMPTY) {
                int i = (int) k & mask;
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
                values[i] = oldValues[j];
            }
        }
    }
}
