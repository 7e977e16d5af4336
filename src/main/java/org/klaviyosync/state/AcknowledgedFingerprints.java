package org.klaviyosync.state;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.klaviyosync.fingerprint.Avalanche;

/**
 * What Klaviyo last acknowledged for each identifier of a sync, held compactly for a run: one
 * 64-bit value per row that mixes the hash of the identifier value with the row's fingerprint,
 * kept in a sorted {@code long[]} of exact size plus a small index on the top bits of the values
 * (together about 8.5 to 9 bytes per row, so 10M rows take about 90 MB). A lookup reads two
 * neighbouring index entries and a few neighbouring values: one or two cache misses.
 *
 * <p>{@link #matches} answers whether the mixed value of the identifier and the given fingerprint
 * is stored. For one identifier, different fingerprints always mix to different values, so a
 * changed row never matches its own stored entry. A changed row is taken for unchanged only if its
 * mixed value happens to equal the mixed value of another stored row: with {@code n} rows stored
 * that is a chance of about {@code n / 2^64} per row (about 5e-13 for 10M rows). The identifier
 * hash alone is not kept, so two rows whose identifiers share a hash are told apart as well as
 * their mixed values are.
 *
 * <p>Built by {@link #put} calls, then {@link #seal() sealed} (sorted and indexed) before the
 * first lookup; a lookup on an unsealed instance seals it first. An identifier is expected once:
 * {@link FingerprintStore} gives each identifier of a sync once (its rows are keyed by identifier
 * value). If the same identifier is put twice with different fingerprints, both are kept and both
 * match.
 */
public final class AcknowledgedFingerprints {

    /** Mixes the fingerprint before it meets the identifier hash (odd, so a bijection). */
    private static final long FINGERPRINT_MULTIPLIER = 0x9e3779b97f4a7c15L;

    /** Wanted rows per index bucket at most (on average between half this and this). */
    private static final int ROWS_PER_BUCKET = 8;

    private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    private long[] values;
    private int size;
    /** Bucket {@code b} holds {@code values[index[b] .. index[b + 1])}. */
    private int[] index;
    private int bucketBits;
    private volatile boolean sealed;

    public AcknowledgedFingerprints(int expected) {
        values = new long[Math.max(0, expected)];
    }

    public static AcknowledgedFingerprints empty() {
        AcknowledgedFingerprints empty = new AcknowledgedFingerprints(0);
        empty.seal();
        return empty;
    }

    /** The 64-bit hash of an identifier value (also stored with the fingerprint). */
    public static long identifierHash(String identifierValue) {
        byte[] bytes = identifierValue.getBytes(StandardCharsets.UTF_8);
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return Avalanche.mix(h);
    }

    /** The value stored for a row: for a given identifier hash, distinct fingerprints give distinct values. */
    static long mix(long identifierHash, long fingerprint) {
        return Avalanche.mix(identifierHash ^ (fingerprint * FINGERPRINT_MULTIPLIER));
    }

    /** Adds a row (to be called while building, before lookups; a later put makes the next lookup sort again). */
    public void put(long identifierHash, long fingerprint) {
        if (size == values.length) {
            grow();
        }
        values[size++] = mix(identifierHash, fingerprint);
        if (sealed) {
            sealed = false;
        }
    }

    /** Whether {@code fingerprint} is what was acknowledged for the identifier (see the class comment). */
    public boolean matches(String identifierValue, long fingerprint) {
        if (!sealed) {
            seal();
        }
        if (size == 0) {
            return false;
        }
        long x = mix(identifierHash(identifierValue), fingerprint);
        int b = bucket(x, bucketBits);
        int from = index[b];
        int to = index[b + 1];
        return from < to && Arrays.binarySearch(values, from, to, x) >= 0;
    }

    /** How many distinct rows are held. */
    public int size() {
        if (!sealed) {
            seal();
        }
        return size;
    }

    /**
     * Ends building: sorts the values, drops exact repeats and indexes them. Called by
     * {@link FingerprintStore#acknowledged} once it has read every row; a lookup on an unsealed
     * instance calls it too. Idempotent.
     */
    public synchronized void seal() {
        if (sealed) {
            return;
        }
        Arrays.sort(values, 0, size);
        int distinct = 0;
        for (int i = 0; i < size; i++) {
            if (i == 0 || values[i] != values[distinct - 1]) {
                values[distinct++] = values[i];
            }
        }
        size = distinct;
        if (values.length - size > values.length / 8) {
            values = Arrays.copyOf(values, size);
        }
        // the smallest power of two of buckets that keeps at most ROWS_PER_BUCKET rows per bucket on average
        int wanted = Math.max(2, (size + ROWS_PER_BUCKET - 1) / ROWS_PER_BUCKET);
        bucketBits = Math.min(30, 32 - Integer.numberOfLeadingZeros(wanted - 1));
        int[] idx = new int[(1 << bucketBits) + 1];
        for (int i = 0; i < size; i++) {
            idx[bucket(values[i], bucketBits) + 1]++;
        }
        for (int b = 1; b < idx.length; b++) {
            idx[b] += idx[b - 1];
        }
        index = idx;
        sealed = true;
    }

    /**
     * The bucket of a value: its top {@code bits} bits with the sign bit flipped, so that bucket
     * numbers rise in the signed order {@link Arrays#sort(long[])} puts the values in.
     */
    private static int bucket(long value, int bits) {
        return (int) (value >>> (64 - bits)) ^ (1 << (bits - 1));
    }

    /** The bytes of the arrays this instance holds (object headers aside). */
    long footprintBytes() {
        return 8L * values.length + (index == null ? 0 : 4L * index.length);
    }

    private void grow() {
        if (values.length >= MAX_ARRAY) {
            throw new IllegalStateException("too many acknowledged fingerprints: " + values.length);
        }
        int capacity = (int) Math.min(MAX_ARRAY, Math.max(16L, values.length + (values.length >> 1)));
        values = Arrays.copyOf(values, capacity);
    }
}
