package org.klaviyosync.klaviyo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Klaviyo's bulk create events ({@code POST /api/event-bulk-create-jobs}, scope {@code events:write},
 * 10/s and 150/m): up to {@value #MAX_EVENTS_PER_JOB} events and 5 MB per request; Klaviyo answers
 * 202 with no body and creates the events later, so a 202 is the acknowledgement. Each entry of
 * {@code events-bulk-create.data} is one row's {@code event-bulk-create} resource (a profile with
 * one event), as built by the event mapper.
 *
 * <p>Validation is all-or-nothing, as for bulk import: a 400 whose errors all point at entries
 * rejects those entries with Klaviyo's reason and submits the rest again; any other 4xx rejects the
 * whole batch; a 413 halves it. A request whose answer was lost is sent again: every event carries
 * its row's {@code unique_id}, and Klaviyo records only the first event with a given id for a
 * profile and metric, so a repeat creates nothing.
 */
public final class EventBulkCreateJobs {

    public static final int MAX_EVENTS_PER_JOB = 1_000;

    /** A pointer into one entry, e.g. {@code /data/attributes/events-bulk-create/data/3/attributes/profile/...}. */
    private static final Pattern ENTRY_POINTER =
            Pattern.compile("^/data/attributes/events-bulk-create/data/(\\d{1,9})(/.*)?$");

    private final KlaviyoApi api;
    private final ObjectMapper json;

    /** What Klaviyo made of a batch: the rows it accepted and those it refused. */
    public record EventSubmission(List<String> accepted, List<RejectedProfile> rejected) {
    }

    public EventBulkCreateJobs(KlaviyoApi api, ObjectMapper json) {
        this.api = Objects.requireNonNull(api, "api");
        this.json = Objects.requireNonNull(json, "json");
    }

    /** Submits the entries, {@value #MAX_EVENTS_PER_JOB} per request at most. */
    public EventSubmission submit(List<BulkProfile> entries) {
        List<String> accepted = new ArrayList<>();
        List<RejectedProfile> rejected = new ArrayList<>();
        Deque<List<BulkProfile>> pending = new ArrayDeque<>();
        for (int from = 0; from < entries.size(); from += MAX_EVENTS_PER_JOB) {
            pending.addLast(List.copyOf(entries.subList(from, Math.min(entries.size(), from + MAX_EVENTS_PER_JOB))));
        }
        while (!pending.isEmpty()) {
            List<BulkProfile> batch = pending.pollFirst();
            KlaviyoResponse r = api.send(KlaviyoRequest.post(KlaviyoPaths.EVENT_BULK_CREATE_JOBS,
                    RateLimitBucket.EVENT_CREATE, body(batch)));
            int status = r.status();
            if (status >= 200 && status < 300) {
                batch.forEach(e -> accepted.add(e.rowKey()));
            } else if (status == 413 && batch.size() > 1) {
                int mid = batch.size() / 2;
                pending.addFirst(batch.subList(mid, batch.size()));
                pending.addFirst(batch.subList(0, mid));
            } else {
                BulkRefusal refusal = BulkRefusal.of(r, batch, json, EventBulkCreateJobs::entryIndex,
                        EventBulkCreateJobs::entryField, "Klaviyo refused the events: ");
                rejected.addAll(refusal.rejected());
                if (!refusal.resend().isEmpty()) {
                    pending.addFirst(refusal.resend());
                }
            }
        }
        return new EventSubmission(accepted, rejected);
    }

    /** The request body as a tree (the dry-run file shows it). */
    public static ObjectNode requestBody(ObjectMapper json, List<BulkProfile> entries) {
        ObjectNode root = json.createObjectNode();
        ObjectNode data = root.putObject("data");
        data.put("type", "event-bulk-create-job");
        ArrayNode items = data.putObject("attributes").putObject("events-bulk-create").putArray("data");
        for (BulkProfile e : entries) {
            try {
                items.add(json.readTree(e.json()));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return root;
    }

    /** The body's bytes, written around the entries' own serialized JSON. */
    private static byte[] body(List<BulkProfile> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(entries.size() * 400 + 128);
        out.writeBytes("{\"data\":{\"type\":\"event-bulk-create-job\",\"attributes\":{\"events-bulk-create\":{\"data\":["
                .getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(entries.get(i).json());
        }
        out.writeBytes("]}}}}".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** The index of the entry a pointer names, or -1. */
    static int entryIndex(String pointer) {
        Matcher m = pointer == null ? null : ENTRY_POINTER.matcher(pointer);
        return m != null && m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The field inside the entry a pointer names, dotted, or "" when it names the whole entry or none. */
    static String entryField(String pointer) {
        Matcher m = pointer == null ? null : ENTRY_POINTER.matcher(pointer);
        return m != null && m.matches() && m.group(2) != null ? m.group(2).substring(1).replace('/', '.') : "";
    }
}
