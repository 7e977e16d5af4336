package org.klaviyosync.klaviyo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Klaviyo's profile bulk import jobs: submitting, polling and reading per-profile errors.
 *
 * <h2>Submitting</h2>
 * Profiles are sent in jobs of at most {@value #MAX_PROFILES_PER_JOB}. Klaviyo validates a job
 * request all-or-nothing: a 400 whose errors all point at profiles
 * ({@code /data/attributes/profiles/data/<i>/...}) rejects those profiles and resends the rest; any
 * other 4xx rejects the whole batch with Klaviyo's reason; a 413 halves the batch and submits each half.
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
public final class BulkImportJobs {

    public static final int MAX_PROFILES_PER_JOB = 10_000;

    private static final Pattern PROFILE_POINTER = Pattern.compile("^/data/attributes/profiles/data/(\\d+)(/.*)?$");

    private final KlaviyoApi api;
    private final ObjectMapper json;

    public BulkImportJobs(KlaviyoApi api, ObjectMapper json) {
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
                    RateLimitBucket.BULK_IMPORT, body(batch, listId)));
            int status = r.status();
            if (status >= 200 && status < 300) {
                jobs.add(new SubmittedJob(jobId(r), batch));
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
                List<ApiError> errors = ApiErrors.parse(r.body(), json);
                Map<Integer, List<ApiError>> byProfile = status == 400 ? errorsByProfile(errors, batch.size()) : null;
                if (byProfile != null) {
                    List<BulkProfile> rest = new ArrayList<>();
                    for (int i = 0; i < batch.size(); i++) {
                        List<ApiError> own = byProfile.get(i);
                        if (own == null) {
                            rest.add(batch.get(i));
                        } else {
                            rejected.add(rejection(batch.get(i).rowKey(), own));
                        }
                    }
                    if (!rest.isEmpty()) {
                        pending.addFirst(rest);
                    }
                } else {
                    String code = errors.isEmpty() || errors.get(0).code() == null ? "http_" + status
                            : errors.get(0).code();
                    String detail = "Klaviyo refused the bulk import: " + ApiErrors.summarize(status, errors);
                    for (BulkProfile p : batch) {
                        rejected.add(new RejectedProfile(p.rowKey(), code, detail));
                    }
                }
            }
        }
        return new BulkSubmission(jobs, rejected);
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

    /**
     * Polls every {@code pollInterval} until the job is complete or cancelled, or {@code timeout}
     * has passed. For a complete job with failures, its import errors are fetched too.
     */
    public JobOutcome awaitCompletion(String jobId, Duration pollInterval, Duration timeout) {
        return awaitCompletion(jobId, pollInterval, timeout, () -> false);
    }

    /**
     * As above, but gives up (an outcome that timed out) as soon as {@code stopWaiting} says so,
     * after at most one more poll: a run that is stopping does not wait for Klaviyo.
     */
    public JobOutcome awaitCompletion(String jobId, Duration pollInterval, Duration timeout,
            BooleanSupplier stopWaiting) {
        Clock clock = api.retryPolicy().clock();
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            JobState state = poll(jobId);
            if (state.isFinished()) {
                return finished(jobId, state);
            }
            if (stopWaiting.getAsBoolean() || !clock.instant().plus(pollInterval).isBefore(deadline)) {
                return new JobOutcome(state, List.of(), true);
            }
            api.pause(pollInterval);
        }
    }

    /**
     * The job's outcome when one poll finds it finished (with its import errors when it has
     * failures); empty while Klaviyo is still at it.
     */
    public Optional<JobOutcome> outcomeIfFinished(String jobId) {
        JobState state = poll(jobId);
        return state.isFinished() ? Optional.of(finished(jobId, state)) : Optional.empty();
    }

    /** A finished job's outcome: for a complete job with failures, its import errors too. */
    private JobOutcome finished(String jobId, JobState state) {
        List<ImportError> errors = JobState.COMPLETE.equals(state.status()) && state.failedCount() > 0
                ? importErrors(jobId) : List.of();
        return new JobOutcome(state, errors, false);
    }

    /**
     * The value of {@code attributes.<identifierAttribute>} (or the top-level {@code id} when the
     * attribute is {@code id}) of a profile payload such as an import error's original payload,
     * also when wrapped in {@code {"data": ...}}; null when absent.
     */
    public static String identifierOf(JsonNode profilePayload, String identifierAttribute) {
        if (profilePayload == null || identifierAttribute == null) {
            return null;
        }
        JsonNode resource = profilePayload;
        if (!resource.has("attributes") && resource.path("data").isObject()) {
            resource = resource.get("data");
        }
        JsonNode value = "id".equals(identifierAttribute)
                ? resource.get("id")
                : resource.path("attributes").get(identifierAttribute);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }

    /**
     * The index of the profile a pointer such as {@code /data/attributes/profiles/data/17/attributes/email}
     * names in the job as submitted, or -1 when the pointer names no profile.
     */
    public static int profileIndex(String pointer) {
        Matcher m = pointer == null ? null : PROFILE_POINTER.matcher(pointer);
        if (m == null || !m.matches()) {
            return -1;
        }
        try {
            return Integer.parseInt(m.group(1));
        } catch (NumberFormatException tooLong) {
            return -1;
        }
    }

    /** The id of the job a 2xx answer to the POST names. */
    private String jobId(KlaviyoResponse r) {
        String id = api.readJson(r, "POST " + KlaviyoPaths.BULK_IMPORT_JOBS).path("data").path("id").asText("");
        if (id.isEmpty()) {
            throw new KlaviyoRequestException("Klaviyo accepted a bulk import job but sent no job id", r.status(),
                    List.of());
        }
        return id;
    }

    /**
     * The bytes of {@link #requestBody}, written around the profiles' own serialized JSON without
     * parsing or copying it into a tree.
     */
    static byte[] body(ObjectMapper json, List<BulkProfile> batch, String listId) {
        byte[] head = "{\"data\":{\"type\":\"profile-bulk-import-job\",\"attributes\":{\"profiles\":{\"data\":["
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail;
        try {
            tail = (listId == null ? "]}}}}"
                    : "]}},\"relationships\":{\"lists\":{\"data\":[{\"type\":\"list\",\"id\":"
                            + json.writeValueAsString(listId) + "}]}}}}").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("list id cannot be written as JSON", e);
        }
        int size = head.length + tail.length + Math.max(0, batch.size() - 1);
        for (BulkProfile p : batch) {
            size += p.json().length;
        }
        byte[] out = new byte[size];
        int at = 0;
        System.arraycopy(head, 0, out, at, head.length);
        at += head.length;
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            byte[] profile = batch.get(i).json();
            System.arraycopy(profile, 0, out, at, profile.length);
            at += profile.length;
        }
        System.arraycopy(tail, 0, out, at, tail.length);
        return out;
    }

    private byte[] body(List<BulkProfile> batch, String listId) {
        return body(json, batch, listId);
    }

    /** The JSON:API body of a bulk import job for these profiles, joining {@code listId} when not null. */
    public static ObjectNode requestBody(ObjectMapper json, List<BulkProfile> batch, String listId) {
        ObjectNode root = json.createObjectNode();
        ObjectNode data = root.putObject("data");
        data.put("type", "profile-bulk-import-job");
        ArrayNode profiles = data.putObject("attributes").putObject("profiles").putArray("data");
        for (BulkProfile p : batch) {
            profiles.addRawValue(new RawValue(new String(p.json(), StandardCharsets.UTF_8)));
        }
        if (listId != null) {
            ObjectNode list = data.putObject("relationships").putObject("lists").putArray("data").addObject();
            list.put("type", "list");
            list.put("id", listId);
        }
        return root;
    }

    /** Errors grouped by profile index, or null when any error does not point at a profile of the batch. */
    private static Map<Integer, List<ApiError>> errorsByProfile(List<ApiError> errors, int batchSize) {
        if (errors.isEmpty()) {
            return null;
        }
        Map<Integer, List<ApiError>> byIndex = new LinkedHashMap<>();
        for (ApiError e : errors) {
            int index = profileIndex(e.pointer());
            if (index < 0 || index >= batchSize) {
                return null;
            }
            byIndex.computeIfAbsent(index, k -> new ArrayList<>()).add(e);
        }
        return byIndex;
    }

    private static RejectedProfile rejection(String rowKey, List<ApiError> errors) {
        String code = errors.get(0).code() == null ? "invalid" : errors.get(0).code();
        String detail = errors.stream().map(e -> {
            Matcher m = PROFILE_POINTER.matcher(e.pointer());
            String field = m.matches() && m.group(2) != null ? m.group(2).substring(1).replace('/', '.') : "";
            return ApiErrors.scrub(field.isEmpty() ? e.message() : field + ": " + e.message());
        }).distinct().collect(Collectors.joining("; "));
        return new RejectedProfile(rowKey, code, detail);
    }

    private static JobState state(JsonNode data) {
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
