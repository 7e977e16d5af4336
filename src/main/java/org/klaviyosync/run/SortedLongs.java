package org.klaviyosync.run;

import java.util.Arrays;

/**
 * A set of longs for a run's bookkeeping: appended to in one growing {@code long[]} (8 bytes a
 * value), sorted on the first lookup (a value added later makes the next lookup sort again).
 */
final class SortedLongs {

    private long[] values = new long[0];
    private int size;
    private volatile boolean sealed;

    synchronized void add(long value) {
        sealed = false;
        if (size == values.length) {
            values = Arrays.copyOf(values, Math.max(1024, size + (size >> 1)));
        }
        values[size++] = value;
    }

    boolean contains(long value) {
        if (!sealed) {
            seal();
        }
        return Arrays.binarySearch(values, 0, size, value) >= 0;
    }

    private synchronized void seal() {
        if (!sealed) {
            Arrays.sort(values, 0, size);
            sealed = true;
        }
    }
}
