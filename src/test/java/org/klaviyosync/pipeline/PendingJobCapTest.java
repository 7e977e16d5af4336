package org.klaviyosync.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PendingJobCapTest {

    private static final long MB = 1024L * 1024;

    @Test
    void aSmallHeapLowersTheCapSoThePendingRowsFitInHalfOfIt() {
        // 128 MB for pending rows of 250 bytes: 536,870 rows, 53 jobs of 10,000
        assertEquals(53, PendingJobCap.forHeap(200, 256 * MB, 10_000));
        assertEquals(161, PendingJobCap.forHeap(200, 768 * MB, 10_000));
    }

    @Test
    void aLargeHeapOrSmallJobsKeepTheConfiguredCap() {
        assertEquals(200, PendingJobCap.forHeap(200, 4096 * MB, 10_000));
        assertEquals(200, PendingJobCap.forHeap(200, 256 * MB, 1_000));
        assertEquals(4, PendingJobCap.forHeap(4, 256 * MB, 10_000));
    }

    @Test
    void theCapIsNeverBelowOneJob() {
        assertEquals(1, PendingJobCap.forHeap(200, 8 * MB, 10_000));
    }
}
