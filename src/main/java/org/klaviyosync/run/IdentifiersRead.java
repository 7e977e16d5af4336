package org.klaviyosync.run;

import java.util.Arrays;
import org.klaviyosync.state.AcknowledgedFingerprints;

/**
 * The identifiers a run read from the model, as their 64-bit hashes ({@link
 * AcknowledgedFingerprints#identifierHash}) in one growing {@code long[]} (8 bytes a row), sorted
 * once the model is read; the end of a run that read the whole model tells by them which stored
 * identifiers left it. Two identifiers sharing a hash (a chance of about n / 2^64) only keep the
 * state of one that left.
 */
public final class IdentifiersRead {

    private long[] hashes = new long[0];
    private int size;
    private boolean sealed;

    public synchronized void add(String identifierValue) {
        if (sealed) {
            throw new IllegalStateException("the identifiers read are sealed");
        }
        if (size == hashes.length) {
            hashes = Arrays.copyOf(hashes, Math.max(1024, size + (size >> 1)));
        }
        hashes[size++] = AcknowledgedFingerprints.identifierHash(identifierValue);
    }

    /** Ends adding: sorts the hashes for lookups. */
    public synchronized void seal() {
        if (!sealed) {
            Arrays.sort(hashes, 0, size);
            sealed = true;
        }
    }

    public boolean contains(long identifierHash) {
        seal();
        return Arrays.binarySearch(hashes, 0, size, identifierHash) >= 0;
    }
}
