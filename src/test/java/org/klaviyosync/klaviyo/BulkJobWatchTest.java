package org.klaviyosync.klaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.klaviyosync.standin.KlaviyoStandIn;

/** {@link BulkJobWatch} against the stand-in over HTTP: job states learned many jobs a call. */
class BulkJobWatchTest {

    private final KlaviyoStandIn standIn = KlaviyoStandIn.start();
    private final KlaviyoApi api = api();
    private final BulkImportSubmissions submissions = new BulkImportSubmissions(api, Fakes.JSON);
    private final BulkJobReader reader = new BulkJobReader(api, Fakes.JSON);

    BulkJobWatchTest() {
        standIn.setRateLimitsEnabled(false);
    }

    @AfterEach
    void stop() {
        standIn.close();
    }

    private KlaviyoApi api() {
        return new KlaviyoApi(new HttpTransport(standIn.baseUrl(), standIn.apiKey()), Fakes.JSON, RetryPolicy.defaults());
    }

    private BulkJobWatch watch(int readsPerMinute) {
        return watch(readsPerMinute, Duration.ofSeconds(30));
    }

    private BulkJobWatch watch(int readsPerMinute, Duration maxInterval) {
        return new BulkJobWatch(reader, Duration.ofMillis(200), maxInterval, readsPerMinute, Duration.ofHours(1));
    }

    private static List<BulkProfile> profiles(String prefix, int n) {
        List<BulkProfile> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode p = Fakes.JSON.createObjectNode();
            p.put("type", "profile");
            p.putObject("attributes").put("email", prefix + i + "@example.com");
            out.add(new BulkProfile(prefix + i, p));
        }
        return out;
    }

    private SubmittedJob submit(BulkImportSubmissions by, String prefix, int n) {
        return by.submit(profiles(prefix, n), null).jobs().get(0);
    }

    private static Instant inAMinute() {
        return Instant.now().plusSeconds(60);
    }

    /** Calls that read one job on its own ({@code GET /api/profile-bulk-import-jobs/{id}}). */
    private int singleJobReads() {
        return standIn.count("GET", "/api/profile-bulk-import-jobs/");
    }

    @Test
    void aJobThatCompletesIn300MillisecondsIsSeenWellWithinASecond() {
        standIn.setJobCompletionDelayMillis(300);
        BulkJobWatch watch = watch(100);
        SubmittedJob job = submit(submissions, "fast", 3);
        long accepted = System.nanoTime();
        watch.watch(job);

        JobState state = watch.await(job.jobId(), inAMinute(), () -> false);

        long millis = (System.nanoTime() - accepted) / 1_000_000;
        assertEquals(JobState.COMPLETE, state.status());
        assertEquals(3, state.totalCount());
        assertEquals(3, state.completedCount());
        assertTrue(millis < 900, "seen " + millis + " ms after it was accepted");
        assertEquals(0, singleJobReads(), "listings only");
    }

    @Test
    void sixtyJobsCostFarFewerReadsThanOneEach() {
        standIn.setJobCompletionDelayMillis(2000);
        BulkJobWatch watch = watch(100);
        List<SubmittedJob> jobs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            SubmittedJob job = submit(submissions, "many" + i + "-", 2);
            watch.watch(job);
            jobs.add(job);
        }
        for (SubmittedJob job : jobs) {
            JobState state = watch.await(job.jobId(), inAMinute(), () -> false);
            assertEquals(JobState.COMPLETE, state.status(), job.jobId());
            assertEquals(2, state.completedCount());
            watch.forget(job.jobId());
        }
        int listings = standIn.count("GET", "/api/profile-bulk-import-jobs");
        assertEquals(listings, watch.reads());
        assertTrue(watch.reads() <= 20, watch.reads() + " reads for 60 jobs");
        assertEquals(0, singleJobReads());
    }

    @Test
    void otherProcessesJobsOnTheKeyAreListedAndIgnored() {
        standIn.setJobPollsUntilComplete(3);
        // looks no further apart than 300 ms, though our job is older than the 110 submitted after it
        BulkJobWatch watch = watch(1000, Duration.ofMillis(300));
        SubmittedJob ours = submit(submissions, "ours", 4);
        watch.watch(ours);
        BulkImportSubmissions otherProcess = new BulkImportSubmissions(api(), Fakes.JSON);
        for (int i = 0; i < 110; i++) {
            submit(otherProcess, "theirs" + i + "-", 1);
        }

        JobState state = watch.await(ours.jobId(), inAMinute(), () -> false);

        assertEquals(ours.jobId(), state.jobId());
        assertEquals(JobState.COMPLETE, state.status());
        assertEquals(4, state.totalCount());
        assertEquals(4, state.completedCount());
        assertTrue(watch.looks() >= 3, "the job needed three looks to complete");
        assertTrue(watch.reads() >= 2 * watch.looks(), "ours is on the second page of 100: " + watch.reads()
                + " reads in " + watch.looks() + " looks");
        assertFalse(watch.state("anything-else").isPresent());
        assertEquals(0, singleJobReads());
    }

    @Test
    void aJobThatTakesSecondsCostsAHandfulOfLooksAsItAges() {
        standIn.setJobCompletionDelayMillis(6000);
        BulkJobWatch watch = watch(100);
        SubmittedJob job = submit(submissions, "slow", 2);
        watch.watch(job);

        JobState state = watch.await(job.jobId(), inAMinute(), () -> false);

        assertEquals(JobState.COMPLETE, state.status());
        // polled every 200 ms it would have taken 30 reads
        assertTrue(watch.looks() <= 11, watch.looks() + " looks");
        assertTrue(watch.reads() <= 15, watch.reads() + " reads");
    }

    @Test
    void looksStayWithinTheReadBudget() {
        standIn.setJobCompletionDelayMillis(60_000);
        BulkJobWatch watch = watch(3);
        SubmittedJob job = submit(submissions, "budget", 1);
        watch.watch(job);

        JobState state = watch.await(job.jobId(), Instant.now().plusSeconds(4), () -> false);

        assertFalse(state.isFinished());
        assertEquals(3, watch.reads(), "three reads a minute allowed");
        assertEquals(3, standIn.count("GET", "/api/profile-bulk-import-jobs"));
    }

    @Test
    void aJobGoneFromKlaviyoIsReadOnItsOwnAndItsReadFails() {
        standIn.setJobCompletionDelayMillis(100);
        BulkJobWatch watch = watch(100);
        standIn.faults().nextBulkJobGone();
        SubmittedJob gone = submit(submissions, "gone", 1);
        SubmittedJob kept = submit(submissions, "kept", 1);
        watch.watch(gone);
        watch.watch(kept);

        KlaviyoRequestException e = assertThrows(KlaviyoRequestException.class,
                () -> watch.await(gone.jobId(), inAMinute(), () -> false));

        assertEquals(404, e.status());
        assertEquals(JobState.COMPLETE, watch.await(kept.jobId(), inAMinute(), () -> false).status());
    }

    @Test
    void aWaitEndsWhenTheRunStops() {
        standIn.setJobCompletionDelayMillis(60_000);
        BulkJobWatch watch = watch(100);
        SubmittedJob job = submit(submissions, "stopped", 1);
        watch.watch(job);
        long start = System.nanoTime();

        JobState state = watch.await(job.jobId(), inAMinute(), () -> System.nanoTime() - start > 500_000_000L);

        assertFalse(state.isFinished());
        assertTrue(System.nanoTime() - start < 5_000_000_000L);
    }
}
