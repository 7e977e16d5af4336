package org.klaviyosync.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/event-bulk-create-jobs} as Klaviyo documents it (revision 2026-07-15): a
 * JSON:API document of type {@code event-bulk-create-job} whose {@code events-bulk-create.data}
 * holds up to 1,000 {@code event-bulk-create} entries, each a profile (at least one identifier,
 * checked like a profile import) and its events (a {@code metric} with a name under 128
 * characters, {@code properties} required, at most 400 of them, {@code time} after 2000 and at most
 * a year ahead, a numeric {@code value}, a text {@code unique_id}; no string over 100 KB). Every
 * problem of the document is answered at once as a 400 whose pointers name the entries, and nothing
 * is created (validation is all-or-nothing); so is a {@code unique_id} repeated for the same profile
 * and metric within the request. Otherwise 202 without a body: the events are recorded, and one
 * whose profile, metric and {@code unique_id} an earlier event has is ignored, as Klaviyo records
 * only the first.
 */
public final class EventBulkCreateResource {

    static final int MAX_EVENTS = 1_000;
    static final int MAX_PROPERTIES = 400;
    static final int MAX_STRING_BYTES = 100 * 1024;
    static final int MAX_METRIC_NAME = 127;
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final String DATA = "/data/attributes/events-bulk-create/data";

    /** An event as Klaviyo recorded it. */
    public record StoredEvent(String profileKey, String metric, String uniqueId, String time, JsonNode value,
            JsonNode properties) {
    }

    private final Object lock;
    private final List<StoredEvent> events = new ArrayList<>();
    private final Set<String> recorded = new HashSet<>();
    private int ignored;

    EventBulkCreateResource(Object lock) {
        this.lock = lock;
    }

    ApiResponse create(ApiRequest req) {
        JsonNode data = Bodies.data(req);
        Bodies.requireType(data, "/data", "event-bulk-create-job");
        Bodies.unknownMembers(data, "/data", Set.of("type", "attributes"));
        ObjectNode attributes = Bodies.object(data, "attributes", "/data/attributes");
        Bodies.unknownMembers(attributes, "/data/attributes", Set.of("events-bulk-create"));
        ObjectNode bulk = Bodies.object(attributes, "events-bulk-create", "/data/attributes/events-bulk-create");
        Bodies.unknownMembers(bulk, "/data/attributes/events-bulk-create", Set.of("data"));
        JsonNode entries = bulk.get("data");
        if (entries == null || !entries.isArray()) {
            throw JsonApiErrors.invalid(DATA, "'data' is a required array.");
        }
        int count = 0;
        for (JsonNode entry : entries) {
            count += entry.path("attributes").path("events").path("data").size();
        }
        if (entries.isEmpty() || count > MAX_EVENTS) {
            throw JsonApiErrors.invalid(DATA, "Between 1 and " + MAX_EVENTS + " events may be sent per request; got "
                    + count + ".");
        }
        List<ObjectNode> errors = new ArrayList<>();
        List<StoredEvent> accepted = new ArrayList<>();
        Set<String> inRequest = new HashSet<>();
        Instant latest = Instant.now().plus(Duration.ofDays(365));
        for (int i = 0; i < entries.size(); i++) {
            validateEntry(entries.get(i), DATA + "/" + i, latest, errors, accepted, inRequest);
        }
        if (!errors.isEmpty()) {
            throw Bodies.many(errors);
        }
        synchronized (lock) {
            for (StoredEvent e : accepted) {
                if (recorded.add(e.profileKey() + "\u0000" + e.metric() + "\u0000" + e.uniqueId())) {
                    events.add(e);
                } else {
                    ignored++;
                }
            }
        }
        return new ApiResponse(202, null);
    }

    private static void validateEntry(JsonNode entry, String pointer, Instant latest, List<ObjectNode> errors,
            List<StoredEvent> accepted, Set<String> inRequest) {
        if (!entry.isObject() || !"event-bulk-create".equals(entry.path("type").asText())) {
            errors.add(JsonApiErrors.invalidAt(pointer + "/type", "The type must be 'event-bulk-create'."));
            return;
        }
        unknown(entry, pointer, Set.of("type", "attributes"), errors);
        JsonNode attributes = entry.path("attributes");
        unknown(attributes, pointer + "/attributes", Set.of("profile", "events", "backfill"), errors);
        JsonNode profile = attributes.path("profile").path("data");
        if (!profile.isObject()) {
            errors.add(JsonApiErrors.invalidAt(pointer + "/attributes/profile", "'profile' is a required object."));
            return;
        }
        String profilePointer = pointer + "/attributes/profile/data";
        List<ObjectNode> profileErrors = ProfileValidation.validate(StandInJson.toJava(profile), profilePointer,
                profilePointer + "/attributes");
        errors.addAll(profileErrors);
        JsonNode p = profile.path("attributes");
        String profileKey = profile.path("id").asText("") + "|" + p.path("email").asText("") + "|"
                + p.path("phone_number").asText("") + "|" + p.path("external_id").asText("");
        JsonNode list = attributes.path("events").path("data");
        if (!list.isArray() || list.isEmpty()) {
            errors.add(JsonApiErrors.invalidAt(pointer + "/attributes/events/data", "At least one event is required."));
            return;
        }
        for (int j = 0; j < list.size(); j++) {
            StoredEvent e = validateEvent(list.get(j), pointer + "/attributes/events/data/" + j, profileKey, latest,
                    errors);
            if (e == null || !profileErrors.isEmpty()) {
                continue;
            }
            if (e.uniqueId() != null && !inRequest.add(profileKey + "\u0000" + e.metric() + "\u0000" + e.uniqueId())) {
                errors.add(JsonApiErrors.invalidAt(pointer + "/attributes/events/data/" + j + "/attributes/unique_id",
                        "The unique_id '" + e.uniqueId() + "' is repeated for the same profile and metric."));
                continue;
            }
            accepted.add(e);
        }
    }

    private static StoredEvent validateEvent(JsonNode event, String pointer, String profileKey, Instant latest,
            List<ObjectNode> errors) {
        int before = errors.size();
        if (!"event".equals(event.path("type").asText())) {
            errors.add(JsonApiErrors.invalidAt(pointer + "/type", "The type must be 'event'."));
        }
        unknown(event, pointer, Set.of("type", "attributes"), errors);
        JsonNode a = event.path("attributes");
        String at = pointer + "/attributes";
        unknown(a, at, Set.of("properties", "time", "value", "value_currency", "unique_id", "metric", "backfill"),
                errors);
        JsonNode properties = a.get("properties");
        if (properties == null || !properties.isObject()) {
            errors.add(JsonApiErrors.invalidAt(at + "/properties", "'properties' is a required object."));
        } else {
            if (properties.size() > MAX_PROPERTIES) {
                errors.add(JsonApiErrors.invalidAt(at + "/properties", "An event may have at most " + MAX_PROPERTIES
                        + " properties."));
            }
            if (longestString(properties) > MAX_STRING_BYTES) {
                errors.add(JsonApiErrors.invalidAt(at + "/properties", "A string may not exceed 100KB."));
            }
        }
        JsonNode metric = a.path("metric").path("data");
        String name = metric.path("attributes").path("name").asText("");
        if (!"metric".equals(metric.path("type").asText()) || name.isEmpty()) {
            errors.add(JsonApiErrors.invalidAt(at + "/metric", "'metric' needs data of type 'metric' with a name."));
        } else if (name.length() > MAX_METRIC_NAME) {
            errors.add(JsonApiErrors.invalidAt(at + "/metric/data/attributes/name",
                    "The metric name must be less than 128 characters."));
        }
        String time = null;
        JsonNode t = a.get("time");
        if (t != null && !t.isNull()) {
            try {
                Instant instant = OffsetDateTime.parse(t.asText()).toInstant();
                if (!instant.isAfter(EARLIEST) || instant.isAfter(latest)) {
                    errors.add(JsonApiErrors.invalidAt(at + "/time",
                            "The time must be after the year 2000 and can only be up to 1 year in the future."));
                }
                time = instant.truncatedTo(ChronoUnit.SECONDS).toString();
            } catch (DateTimeParseException e) {
                errors.add(JsonApiErrors.invalidAt(at + "/time", "'" + t.asText() + "' is not a valid datetime."));
            }
        }
        JsonNode value = a.get("value");
        if (value != null && !value.isNull() && !value.isNumber()) {
            errors.add(JsonApiErrors.invalidAt(at + "/value", "'value' must be a number."));
        }
        JsonNode uniqueId = a.get("unique_id");
        if (uniqueId != null && !uniqueId.isNull() && !uniqueId.isTextual()) {
            errors.add(JsonApiErrors.invalidAt(at + "/unique_id", "'unique_id' must be a string."));
        }
        if (errors.size() > before) {
            return null;
        }
        // without a unique_id Klaviyo uses the time to the second
        String id = uniqueId == null || uniqueId.isNull() ? time : uniqueId.asText();
        return new StoredEvent(profileKey, name, id, time, value, properties);
    }

    private static void unknown(JsonNode node, String pointer, Set<String> allowed, List<ObjectNode> errors) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
            String field = it.next();
            if (!allowed.contains(field)) {
                errors.add(JsonApiErrors.invalidAt(pointer + "/" + field, "'" + field + "' is not a valid field here."));
            }
        }
    }

    private static int longestString(JsonNode node) {
        if (node.isTextual()) {
            return node.asText().getBytes(StandardCharsets.UTF_8).length;
        }
        int longest = 0;
        for (JsonNode child : node) {
            longest = Math.max(longest, longestString(child));
        }
        return longest;
    }

    /** The events recorded, in order. */
    List<StoredEvent> events() {
        synchronized (lock) {
            return List.copyOf(events);
        }
    }

    /** How many events were ignored because an earlier one had their profile, metric and unique_id. */
    int ignored() {
        synchronized (lock) {
            return ignored;
        }
    }

    /** The recorded events by unique_id. */
    Map<String, StoredEvent> byUniqueId() {
        Map<String, StoredEvent> out = new LinkedHashMap<>();
        for (StoredEvent e : events()) {
            out.put(e.uniqueId(), e);
        }
        return out;
    }

    void clear() {
        synchronized (lock) {
            events.clear();
            recorded.clear();
            ignored = 0;
        }
    }
}
