package org.klaviyosync.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.klaviyosync.config.Identifier;
import org.klaviyosync.config.PropertyMappings;
import org.klaviyosync.config.SyncDefinition;

/** The join between the sync route and the bulk import submitters, and the run's pending jobs. */
class SyncRunDeliveriesTest {

    private final SyncRun run = new SyncRun(new SyncDefinition("vip", Path.of("routes/vip.yaml"), "select 1",
            "select 1", Optional.empty(), Identifier.EXTERNAL_ID, "id", PropertyMappings.all(), null, List.of(),
            false), 1, Instant.now(), false, new ProfileBatcher(10, 5_000_000), ListTargets.unresolved());

    @Test
    void waitsUntilTheSubmittersAreDoneWithEveryBatch() throws Exception {
        run.batchHandedOver();
        run.batchHandedOver();
        CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> {
            try {
                return run.awaitDeliveries(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        run.batchDelivered();
        Thread.sleep(100);
        assertFalse(waited.isDone(), "one batch is still with the submitters");
        run.batchDelivered();
        assertTrue(waited.get(10, TimeUnit.SECONDS));
        assertEquals(0, run.batchesOutstanding());
    }

    @Test
    void aDeliveryCountedBeforeItsHandOverStillBalances() throws Exception {
        run.batchDelivered();
        run.batchHandedOver();
        assertTrue(run.awaitDeliveries(Duration.ZERO));
    }

    @Test
    void aFailedRunWaitsNoLongerThanItsPatience() throws Exception {
        run.batchHandedOver();
        run.fail("the service was stopped");
        long start = System.nanoTime();
        assertFalse(run.awaitDeliveries(Duration.ofMillis(300)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
        assertEquals(1, run.batchesOutstanding());
    }

    @Test
    void finishedPendingJobsAreTakenFromAnywhereAndTheRestStayOldestFirst() {
        run.addPendingJob(new SyncRun.PendingJob("job-1", "L", List.of("a")));
        run.addPendingJob(new SyncRun.PendingJob("job-2", "L", List.of("b")));
        run.addPendingJob(new SyncRun.PendingJob("job-3", "L", List.of("c")));
        assertEquals(List.of("job-2"), run.takePendingJobs(j -> j.jobId().equals("job-2")).stream()
                .map(SyncRun.PendingJob::jobId).toList());
        assertEquals(2, run.pendingJobCount());
        assertEquals("job-1", run.nextPendingJob().jobId());
        assertEquals("job-3", run.nextPendingJob().jobId());
    }
}
