package org.klaviyosync.klaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/** Reads bulk import jobs from Klaviyo: a job's state, and a finished job's per-profile errors. */
public final class BulkJobReader {

    private final KlaviyoApi api;
    private final ObjectMapper json;

    public BulkJobReader(KlaviyoApi api, ObjectMapper json) {
        this.api = Objects.requireNonNull(api, "api");
        this.json = Objects.requireNonNull(json, "json");
    }

    KlaviyoApi api() {
        return api;
    }

    /** Reads a job's state ({@code GET /api/profile-bulk-import-jobs/{id}}). */
    public JobState poll(String jobId) {
        KlaviyoResponse r = api.send(KlaviyoRequest.get(KlaviyoPaths.bulkImportJob(jobId), RateLimitBucket.BULK_JOB_READ));
        if (r.status() != 200) {
            throw new KlaviyoRequestException("reading bulk import job " + jobId + " failed: "
                    + ApiErrors.summarize(r, json), r.status(), ApiErrors.parse(r.body(), json));
        }
        return state(api.readJson(r, "GET bulk import job").path("data"));
    }

    /**
     * Lists jobs newest first ({@code GET /api/profile-bulk-import-jobs}, {@value KlaviyoPaths#JOB_PAGE_SIZE}
     * a page) whose status matches {@code statusFilter} (null: every job), handing each page to
     * {@code onPage}, and follows {@code links.next} while {@code onPage} answers true.
     *
     * @return the calls made
     */
    public int list(String statusFilter, Predicate<JobPage> onPage) {
        String next = KlaviyoPaths.bulkImportJobsListing(statusFilter);
        int calls = 0;
        while (next != null) {
            KlaviyoResponse r = api.send(KlaviyoRequest.get(next, RateLimitBucket.BULK_JOB_READ));
            calls++;
            if (r.status() != 200) {
                throw new KlaviyoRequestException("listing bulk import jobs failed: " + ApiErrors.summarize(r, json),
                        r.status(), ApiErrors.parse(r.body(), json));
            }
            JsonNode page = api.readJson(r, "GET bulk import jobs");
            List<JobState> states = new ArrayList<>();
            page.path("data").forEach(job -> states.add(state(job)));
            JsonNode link = page.path("links").path("next");
            boolean last = !link.isTextual() || link.asText().isBlank();
            next = onPage.test(new JobPage(states, last)) && !last ? KlaviyoPaths.relativize(link.asText()) : null;
        }
        return calls;
    }

    /** One page of a job listing: its jobs, newest first, and whether no page follows. */
    public record JobPage(List<JobState> jobs, boolean last) {
    }

    /** All per-profile errors of a job, following every cursor page. */
    public List<ImportError> importErrors(String jobId) {
        List<ImportError> out = new ArrayList<>();
        api.forEachItem(KlaviyoPaths.importErrors(jobId, KlaviyoPaths.JOB_PAGE_SIZE), RateLimitBucket.BULK_JOB_READ,
                "reading import errors of job " + jobId, "GET import errors", e -> {
                    JsonNode a = e.path("attributes");
                    JsonNode payload = a.get("original_payload");
                    out.add(new ImportError(text(e.get("id")), text(a.get("code")), text(a.get("title")),
                            text(a.get("detail")), text(a.path("source").get("pointer")),
                            payload == null || payload.isNull() ? null : payload));
                });
        return out;
    }

    /** A finished job's outcome: for a complete job with failures, its import errors too. */
    public JobOutcome finished(JobState state) {
        List<ImportError> errors = JobState.COMPLETE.equals(state.status()) && state.failedCount() > 0
                ? importErrors(state.jobId()) : List.of();
        return new JobOutcome(state, errors, false);
    }

    /** A job resource ({@code data} of a job, or an element of a listing's {@code data}) as a state. */
    static JobState state(JsonNode data) {
        JsonNode a = data.path("attributes");
        return new JobState(data.path("id").asText(null), a.path("status").asText(null), a.path("total_count").asInt(0),
                a.path("completed_count").asInt(0), a.path("failed_count").asInt(0), instant(a.get("created_at")),
                instant(a.get("completed_at")));
    }

    private static Instant instant(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(node.asText()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(node.asText());
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isContainerNode() ? null : node.asText();
    }
}
