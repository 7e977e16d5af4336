package org.klaviyosync.klaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Submits profiles to Klaviyo as bulk import jobs of at most {@value #MAX_PROFILES_PER_JOB}
 * ({@code POST /api/profile-bulk-import-jobs}). A 413 halves the batch and submits each half; a
 * single profile too large alone is rejected. Any other 4xx is read by {@link BulkRefusal}.
 *
 * <h2>Lost answers</h2>
 * When the POST fails without a usable answer (I/O error, dropped connection or server error),
 * Klaviyo may still have created the job. The batch is sent again, with the client's retries and
 * backoff, and only a job whose id Klaviyo answered with is tracked. A job created behind a lost
 * answer is left alone: an import is an upsert, so it writes the same profiles to the same list
 * and costs one of Klaviyo's 150 job creations a minute. Looking for it instead (by profile count
 * or creation time) could take another batch's or another process's job for this one, and count
 * rows sent that Klaviyo never received.
 *
 * <p>An exception from {@code submit} (auth, Klaviyo unavailable) may leave part of the profiles
 * submitted; resubmitting them is harmless because imports are upserts.
 */
public final class BulkImportSubmissions {

    public static final int MAX_PROFILES_PER_JOB = 10_000;

    private final KlaviyoApi api;
    private final ObjectMapper json;

    public BulkImportSubmissions(KlaviyoApi api, ObjectMapper json) {
        this.api = Objects.requireNonNull(api, "api");
        this.json = Objects.requireNonNull(json, "json");
    }

    /** Submits profiles as one or more jobs, optionally adding them to the list {@code listId}. */
    public BulkSubmission submit(List<BulkProfile> profiles, String listId) {
        List<SubmittedJob> jobs = new ArrayList<>();
        List<RejectedProfile> rejected = new ArrayList<>();
        Deque<List<BulkProfile>> pending = new ArrayDeque<>();
        for (int from = 0; from < profiles.size(); from += MAX_PROFILES_PER_JOB) {
            pending.addLast(List.copyOf(profiles.subList(from, Math.min(profiles.size(), from + MAX_PROFILES_PER_JOB))));
        }
        while (!pending.isEmpty()) {
            List<BulkProfile> batch = pending.pollFirst();
            KlaviyoResponse r = api.send(KlaviyoRequest.post(KlaviyoPaths.BULK_IMPORT_JOBS,
                    RateLimitBucket.BULK_IMPORT, BulkImportBody.bytes(json, batch, listId)));
            int status = r.status();
            if (status >= 200 && status < 300) {
                jobs.add(accepted(r, batch));
            } else if (status == 413) {
                if (batch.size() == 1) {
                    rejected.add(new RejectedProfile(batch.get(0).rowKey(), "too_large",
                            "the profile alone is larger than Klaviyo accepts in a bulk import (HTTP 413)"));
                } else {
                    int mid = batch.size() / 2;
                    pending.addFirst(batch.subList(mid, batch.size()));
                    pending.addFirst(batch.subList(0, mid));
                }
            } else {
                BulkRefusal refusal = BulkRefusal.ofBulkImport(r, batch, json);
                rejected.addAll(refusal.rejected());
                if (!refusal.resend().isEmpty()) {
                    pending.addFirst(refusal.resend());
                }
            }
        }
        return new BulkSubmission(jobs, rejected);
    }

    /** The job a 2xx answer to the POST names. */
    private SubmittedJob accepted(KlaviyoResponse r, List<BulkProfile> batch) {
        JsonNode data = api.readJson(r, "POST " + KlaviyoPaths.BULK_IMPORT_JOBS).path("data");
        String id = data.path("id").asText("");
        if (id.isEmpty()) {
            throw new KlaviyoRequestException("Klaviyo accepted a bulk import job but sent no job id", r.status(),
                    List.of());
        }
        return new SubmittedJob(id, batch, BulkJobReader.state(data));
    }
}
