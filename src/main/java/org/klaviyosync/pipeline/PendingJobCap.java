package org.klaviyosync.pipeline;

/**
 * How many bulk jobs a run keeps pending (accepted, not yet complete): {@code klaviyo.max-pending-jobs},
 * lowered so that their rows' bookkeeping fits in half the heap. Each pending row holds its key, its
 * pointers and its fingerprint until its job is settled; with jobs that take a minute, 200 jobs of
 * 10,000 rows are two million rows in flight, more than a 256 MB heap holds beside the rest.
 */
public final class PendingJobCap {

    /** What a row waiting for its job costs, measured with margin (a 256 MB heap ran out at 1.36 million). */
    static final long BYTES_PER_PENDING_ROW = 250;

    private PendingJobCap() {
    }

    /** The cap for a heap of {@code maxHeapBytes} and jobs of up to {@code rowsPerJob} rows; at least 1. */
    public static int forHeap(int configured, long maxHeapBytes, int rowsPerJob) {
        long fits = maxHeapBytes / 2 / (BYTES_PER_PENDING_ROW * Math.max(1, rowsPerJob));
        return (int) Math.max(1, Math.min(configured, fits));
    }
}
