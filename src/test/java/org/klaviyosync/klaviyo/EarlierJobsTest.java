package org.klaviyosync.klaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.klaviyosync.standin.KlaviyoStandIn;

/** {@link EarlierJobs} against the stand-in over HTTP: a run waits for the jobs in progress at its start. */
class EarlierJobsTest {

    private final KlaviyoStandIn standIn = KlaviyoStandIn.start();
    private final KlaviyoApi api = new KlaviyoApi(new HttpTransport(standIn.baseUrl(), standIn.apiKey()), Fakes.JSON,
            RetryPolicy.defaults());
    private final BulkImportSubmissions submissions = new BulkImportSubmissions(api, Fakes.JSON);
    private final EarlierJobs earlierJobs = new EarlierJobs(new BulkJobReader(api, Fakes.JSON), Sleeper.SYSTEM);

    EarlierJobsTest() {
        standIn.setRateLimitsEnabled(false);
    }

    @AfterEach
    void stop() {
        standIn.close();
    }

    private String submit(String prefix, int n) {
        List<BulkProfile> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode p = Fakes.JSON.createObjectNode();
            p.put("type", "profile");
            p.putObject("attributes").put("email", prefix + i + "@example.com");
            out.add(new BulkProfile(prefix + i, p));
        }
        return submissions.submit(out, null).jobs().get(0).jobId();
    }

    @Test
    void aRunStartsOnlyOnceTheJobsInProgressAtItsStartHaveFinished() throws Exception {
        standIn.setJobCompletionDelayMillis(1500);
        submit("left-behind", 3);
        submit("another", 2);
        long started = System.nanoTime();

        assertEquals(2, earlierJobs.awaitFinished(Instant.now().plusSeconds(60), () -> false));

        assertTrue((System.nanoTime() - started) / 1_000_000 >= 1000, "it waited for the jobs to finish");
        assertEquals(5, standIn.profiles().size(), "both jobs were imported before it returned");
    }

    @Test
    void withNoJobInProgressARunStartsAtOnce() throws Exception {
        assertEquals(0, earlierJobs.awaitFinished(Instant.now().plusSeconds(60), () -> false));
        assertEquals(1, standIn.count("GET", "/api/profile-bulk-import-jobs"), "one listing");
    }

    @Test
    void aJobStillInProgressAtTheDeadlineFailsTheRunNamingIt() {
        standIn.setJobCompletionDelayMillis(60_000);
        String job = submit("slow", 1);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> earlierJobs.awaitFinished(Instant.now().plusMillis(700), () -> false));

        assertTrue(e.getMessage().contains(job) && e.getMessage().contains("nothing was sent"), e.getMessage());
    }
}
