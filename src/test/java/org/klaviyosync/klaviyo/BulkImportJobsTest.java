package org.klaviyosync.klaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BulkImportJobsTest {

    private final Fakes f = new Fakes();
    private final BulkImportSubmissions jobs = new BulkImportSubmissions(f.api, Fakes.JSON);
    private final BulkJobReader reader = new BulkJobReader(f.api, Fakes.JSON);

    private static List<BulkProfile> profiles(int n) {
        List<BulkProfile> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ObjectNode p = Fakes.JSON.createObjectNode();
            p.put("type", "profile");
            p.putObject("attributes").put("email", "p" + i + "@example.com");
            out.add(new BulkProfile("row" + i, p));
        }
        return out;
    }

    private static String accepted(String id, int total) {
        return "{\"data\":{\"type\":\"profile-bulk-import-job\",\"id\":\"" + id + "\",\"attributes\":{\"status\":\"queued\","
                + "\"created_at\":\"2026-08-01T10:00:00+00:00\",\"total_count\":" + total + ",\"completed_count\":0,"
                + "\"failed_count\":0}}}";
    }

    private JsonNode sentBody(int i) throws IOException {
        return Fakes.JSON.readTree(f.transport.body(i));
    }

    private List<String> sentEmails(int i) throws IOException {
        List<String> emails = new ArrayList<>();
        for (JsonNode p : sentBody(i).path("data").path("attributes").path("profiles").path("data")) {
            emails.add(p.path("attributes").path("email").asText());
        }
        return emails;
    }

    @Test
    void submitsOneJobWithTheListRelationship() throws IOException {
        f.transport.respond(202, accepted("01JOB", 2));

        BulkSubmission s = jobs.submit(profiles(2), "Y6nRLr");

        assertEquals(1, s.jobs().size());
        assertEquals("01JOB", s.jobs().get(0).jobId());
        assertEquals(2, s.submittedProfiles());
        assertTrue(s.rejected().isEmpty());
        assertEquals("POST", f.transport.request(0).method());
        assertEquals("/api/profile-bulk-import-jobs", f.transport.path(0));
        assertEquals(RateLimitBucket.BULK_IMPORT, f.transport.request(0).bucket());
        JsonNode data = sentBody(0).path("data");
        assertEquals("profile-bulk-import-job", data.path("type").asText());
        assertEquals("{\"lists\":{\"data\":[{\"type\":\"list\",\"id\":\"Y6nRLr\"}]}}", data.path("relationships").toString());
        assertEquals("profile", data.path("attributes").path("profiles").path("data").get(0).path("type").asText());
    }

    @Test
    void omitsRelationshipsWithoutAList() throws IOException {
        f.transport.respond(202, accepted("01JOB", 1));
        jobs.submit(profiles(1), null);
        assertFalse(sentBody(0).path("data").has("relationships"));
    }

    @Test
    void invalidProfilesAreStrippedAndTheRestResent() throws IOException {
        f.transport.respond(400, "{\"errors\":["
                + "{\"id\":\"a\",\"status\":400,\"code\":\"invalid\",\"title\":\"Invalid input.\","
                + "\"detail\":\"Invalid email address\",\"source\":{\"pointer\":\"/data/attributes/profiles/data/1/attributes/email\"}},"
                + "{\"id\":\"b\",\"status\":\"400\",\"code\":\"invalid\",\"title\":\"Invalid input.\","
                + "\"detail\":\"Invalid phone number format\",\"source\":{\"pointer\":\"/data/attributes/profiles/data/3/attributes/phone_number\"}}]}")
                .respond(202, accepted("01JOB", 3));

        BulkSubmission s = jobs.submit(profiles(5), null);

        assertEquals(List.of("p0@example.com", "p2@example.com", "p4@example.com"), sentEmails(1));
        assertEquals(1, s.jobs().size());
        assertEquals(List.of("row0", "row2", "row4"),
                s.jobs().get(0).profiles().stream().map(BulkProfile::rowKey).toList());
        assertEquals(List.of(
                new RejectedProfile("row1", "invalid", "attributes.email: Invalid email address"),
                new RejectedProfile("row3", "invalid", "attributes.phone_number: Invalid phone number format")),
                s.rejected());
    }

    @Test
    void batchLevelClientErrorRejectsEverything() {
        f.transport.respond(400, "{\"errors\":[{\"id\":\"a\",\"code\":\"invalid\",\"title\":\"Invalid input.\","
                + "\"detail\":\"list does not exist\",\"source\":{\"pointer\":\"/data/relationships/lists/data/0/id\"}}]}");

        BulkSubmission s = jobs.submit(profiles(3), "nolist");

        assertTrue(s.jobs().isEmpty());
        assertEquals(3, s.rejected().size());
        assertEquals("invalid", s.rejected().get(0).code());
        assertTrue(s.rejected().get(0).detail().contains("list does not exist"), s.rejected().get(0).detail());
        assertEquals(1, f.transport.requests.size());
    }

    @Test
    void tooLargeBatchesAreHalved() throws IOException {
        f.transport.respond(413, "Request Entity Too Large")
                .respond(202, accepted("01A", 2))
                .respond(413, "")
                .respond(202, accepted("01B", 1))
                .respond(202, accepted("01C", 2));

        BulkSubmission s = jobs.submit(profiles(5), null);

        assertEquals(List.of("01A", "01B", "01C"), s.jobs().stream().map(SubmittedJob::jobId).toList());
        assertEquals(List.of("p0@example.com", "p1@example.com"), sentEmails(1));
        assertEquals(List.of("p2@example.com", "p3@example.com", "p4@example.com"), sentEmails(2));
        assertEquals(List.of("p2@example.com"), sentEmails(3));
        assertEquals(List.of("p3@example.com", "p4@example.com"), sentEmails(4));
        assertEquals(5, s.submittedProfiles());
    }

    @Test
    void singleProfileTooLargeIsRejected() {
        f.transport.respond(413, "");
        BulkSubmission s = jobs.submit(profiles(1), null);
        assertEquals("too_large", s.rejected().get(0).code());
    }

    @Test
    void aLostAnswerSendsTheSameBatchAgainAndTracksOnlyTheAnsweredJob() {
        f.transport.fail(new IOException("read timed out"))
                .respond(500, Fakes.error(500, "error", "A server error occurred."))
                .respond(202, accepted("01ANSWERED", 3));

        BulkSubmission s = jobs.submit(profiles(3), "Y6nRLr");

        assertEquals(List.of("01ANSWERED"), s.jobs().stream().map(SubmittedJob::jobId).toList());
        assertEquals(List.of("row0", "row1", "row2"), BulkProfile.rowKeys(s.jobs().get(0).profiles()));
        assertEquals(3, f.transport.requests.size(), "no look-up of recent jobs, only the POST again");
        for (int i = 0; i < 3; i++) {
            assertEquals("POST", f.transport.request(i).method());
            assertEquals("/api/profile-bulk-import-jobs", f.transport.path(i));
            assertEquals(f.transport.body(0), f.transport.body(i), "the same batch, list included");
        }
        assertEquals(2, f.sleeper.sleeps.size(), "backed off before each resend");
    }

    @Test
    void answersLostOnEveryAttemptEndInUnavailableWithoutClaimingAnyJob() {
        for (int i = 0; i < RetryPolicy.DEFAULT_MAX_ATTEMPTS; i++) {
            f.transport.fail(new IOException("connection reset"));
        }

        KlaviyoUnavailableException e = assertThrows(KlaviyoUnavailableException.class,
                () -> jobs.submit(profiles(3), null));

        assertTrue(e.outcomeUnknown());
        assertEquals(RetryPolicy.DEFAULT_MAX_ATTEMPTS, f.transport.requests.size());
        assertTrue(f.transport.requests.stream().allMatch(r -> r.method().equals("POST")), "only POSTs were sent");
    }

    @Test
    void pollReadsCounts() {
        f.transport.respond(200, "{\"data\":{\"id\":\"01JOB\",\"attributes\":{\"status\":\"processing\","
                + "\"created_at\":\"2026-08-01T10:00:00+00:00\",\"total_count\":10,\"completed_count\":4,\"failed_count\":1}}}");

        JobState s = reader.poll("01JOB");

        assertEquals(new JobState("01JOB", "processing", 10, 4, 1,
                java.time.Instant.parse("2026-08-01T10:00:00Z"), null), s);
        assertEquals("/api/profile-bulk-import-jobs/01JOB", f.transport.path(0));
        assertFalse(s.isFinished());
    }

    @Test
    void importErrorsFollowCursorPages() {
        f.transport.respond(200, "{\"data\":[{\"type\":\"import-error\",\"id\":\"e1\",\"attributes\":{\"code\":\"invalid\","
                        + "\"title\":\"Invalid input\",\"detail\":\"conflict\",\"source\":{\"pointer\":\"/data\"},"
                        + "\"original_payload\":{\"type\":\"profile\",\"attributes\":{\"email\":\"a@x.com\"}}}}],"
                        + "\"links\":{\"self\":\"s\",\"next\":\"https://a.klaviyo.com/api/profile-bulk-import-jobs/01JOB/import-errors?page%5Bcursor%5D=abc&page%5Bsize%5D=100\"}}")
                .respond(200, "{\"data\":[{\"type\":\"import-error\",\"id\":\"e2\",\"attributes\":{\"code\":\"invalid\","
                        + "\"title\":\"Invalid input\",\"detail\":\"bad\",\"source\":{\"pointer\":\"/data\"},"
                        + "\"original_payload\":{\"type\":\"profile\",\"attributes\":{\"external_id\":42}}}}],"
                        + "\"links\":{\"self\":\"s\",\"next\":null}}");

        List<ImportError> errors = reader.importErrors("01JOB");

        assertEquals(2, errors.size());
        assertEquals("/api/profile-bulk-import-jobs/01JOB/import-errors?page%5Bsize%5D=100", f.transport.path(0));
        assertEquals("/api/profile-bulk-import-jobs/01JOB/import-errors?page%5Bcursor%5D=abc&page%5Bsize%5D=100",
                f.transport.path(1));
        assertEquals("a@x.com", ProfilePointers.identifierOf(errors.get(0).originalPayload(), "email"));
        assertEquals("42", ProfilePointers.identifierOf(errors.get(1).originalPayload(), "external_id"));
        assertNull(ProfilePointers.identifierOf(errors.get(1).originalPayload(), "email"));
        assertEquals("/data", errors.get(0).pointer());
    }

    @Test
    void aFinishedJobWithFailuresFetchesItsImportErrors() {
        f.transport.respond(200, "{\"data\":[{\"id\":\"e\",\"attributes\":{\"code\":\"invalid\",\"title\":\"t\",\"detail\":\"d\","
                + "\"source\":{}}}],\"links\":{}}");

        JobOutcome o = reader.finished(new JobState("J", "complete", 2, 1, 1, null, null));

        assertFalse(o.timedOut());
        assertEquals(1, o.errors().size());
        assertEquals("/api/profile-bulk-import-jobs/J/import-errors?page%5Bsize%5D=100", f.transport.path(0));
        assertTrue(reader.finished(new JobState("K", "complete", 2, 2, 0, null, null)).errors().isEmpty());
        assertEquals(1, f.transport.requests.size(), "no error read for a job without failures");
    }

    @Test
    void aListingFollowsPagesWhileAsked() {
        f.transport.respond(200, "{\"data\":[{\"id\":\"A\",\"attributes\":{\"status\":\"queued\",\"total_count\":1}}],"
                        + "\"links\":{\"next\":\"https://a.klaviyo.com/api/profile-bulk-import-jobs?page%5Bcursor%5D=c2\"}}")
                .respond(200, "{\"data\":[{\"id\":\"B\",\"attributes\":{\"status\":\"processing\",\"total_count\":2}}],"
                        + "\"links\":{\"next\":\"https://a.klaviyo.com/api/profile-bulk-import-jobs?page%5Bcursor%5D=c3\"}}");
        List<String> seen = new ArrayList<>();

        int calls = reader.list(BulkJobWatch.IN_PROGRESS, page -> {
            page.jobs().forEach(s -> seen.add(s.jobId() + ":" + s.status()));
            return seen.size() < 2;
        });

        assertEquals(2, calls);
        assertEquals(List.of("A:queued", "B:processing"), seen);
        assertEquals("/api/profile-bulk-import-jobs?filter=any%28status%2C%5B%22queued%22%2C%22processing%22%5D%29"
                + "&sort=-created_at&fields%5Bprofile-bulk-import-job%5D=status%2Ccreated_at%2Ctotal_count%2C"
                + "completed_count%2Cfailed_count&page%5Bsize%5D=100", f.transport.path(0));
        assertEquals(RateLimitBucket.BULK_JOB_READ, f.transport.request(0).bucket());
        assertEquals("/api/profile-bulk-import-jobs?page%5Bcursor%5D=c2", f.transport.path(1));
    }

    @Test
    void theRequestBytesAreTheRequestBodyTree() throws IOException {
        List<BulkProfile> batch = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ObjectNode p = Fakes.JSON.createObjectNode();
            p.put("type", "profile");
            p.putObject("attributes").put("external_id", "ü-" + i).putObject("properties").put("q", "\"quoted\"");
            batch.add(new BulkProfile("ü-" + i, p));
        }
        for (String list : new String[] {null, "Ab\"c"}) {
            assertEquals(tree(BulkImportBody.tree(Fakes.JSON, batch, list)),
                    Fakes.JSON.readTree(BulkImportBody.bytes(Fakes.JSON, batch, list)));
        }
        assertEquals(tree(BulkImportBody.tree(Fakes.JSON, List.of(), "L")),
                Fakes.JSON.readTree(BulkImportBody.bytes(Fakes.JSON, List.of(), "L")));
    }

    /** The tree as parsed from its JSON (the profiles in it are raw values until then). */
    private static JsonNode tree(ObjectNode body) throws IOException {
        return Fakes.JSON.readTree(Fakes.JSON.writeValueAsBytes(body));
    }
}
