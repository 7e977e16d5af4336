package org.klaviyosync.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.klaviyosync.config.EventFields;
import org.klaviyosync.config.Identifier;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.fingerprint.Sha256ToLong;

/**
 * Turns one model row of an event sync into its {@code event-bulk-create} resource: the profile
 * (by the sync's identifier) and one event with its metric, {@code unique_id} (the event id),
 * time, value and properties. The row's key is its event id.
 *
 * <p>Invalid before sending, with the column named: a missing event id, profile identifier or
 * metric; an email or phone identifier Klaviyo would refuse; a metric name of 128 characters or
 * more; a time before 2000 or more than a year ahead (Klaviyo's range) or NULL in the time column;
 * a value that is not a number; more than {@value #MAX_PROPERTIES} properties, a text over
 * {@value #MAX_STRING_BYTES} bytes anywhere in the properties, or an entry over
 * {@value #MAX_ENTRY_BYTES} bytes. Properties with SQL NULL are left out. Properties are written
 * in name order, so the bytes and the fingerprint do not depend on column order.
 */
public final class EventPayloadMapper implements PayloadMapper {

    /** Klaviyo: "must not exceed 400 properties". */
    public static final int MAX_PROPERTIES = 400;
    /** Klaviyo: "a single string cannot exceed 100KB"; read as 100,000 bytes, to be safe. */
    public static final int MAX_STRING_BYTES = 100_000;
    /** An entry must fit a request of 5 MB with room to spare. */
    public static final int MAX_ENTRY_BYTES = 1_000_000;
    /** Klaviyo: a metric name "must be less than 128 characters". */
    public static final int MAX_METRIC_NAME = 127;
    /** Klaviyo: the time "must be after the year 2000 and can only be up to 1 year in the future". */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    public static final Duration LATEST_AHEAD = Duration.ofDays(365);

    private final SyncDefinition sync;
    private final EventFields fields;
    private final ColumnValueConverter converter;
    private final ObjectWriter writer;
    private final JsonNodeFactory nodes;
    private final Clock clock;
    /** Columns that are not properties under {@code properties: '*'}. */
    private final Set<String> reserved = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    public EventPayloadMapper(SyncDefinition sync, ObjectMapper json) {
        this(sync, json, Clock.systemUTC());
    }

    public EventPayloadMapper(SyncDefinition sync, ObjectMapper json, Clock clock) {
        this.sync = sync;
        this.fields = sync.event();
        this.converter = new ColumnValueConverter(json);
        this.writer = json.writer().without(SerializationFeature.INDENT_OUTPUT);
        this.nodes = json.getNodeFactory();
        this.clock = clock;
        reserved.add(sync.identifierColumn());
        reserved.add(fields.eventIdColumn());
        // the cursor column stays a property: adding a cursor to a sync must not change its events
        for (String c : new String[] {fields.metricColumn(), fields.timeColumn(), fields.valueColumn()}) {
            if (c != null) {
                reserved.add(c);
            }
        }
    }

    @Override
    public MappedRow map(Map<String, Object> row) {
        try {
            return mapRow(row);
        } catch (RuntimeException | StackOverflowError e) {
            return MappedRow.invalid(null, new RowProblem("row", "the row could not be mapped: " + e), 0);
        }
    }

    private MappedRow mapRow(Map<String, Object> row) {
        String idColumn = fields.eventIdColumn();
        ConvertedValue id = text(row, idColumn);
        if (!id.ok()) {
            return MappedRow.invalid(null, id.problem(), 0);
        }
        String eventId = id.isNull() ? null : id.value().textValue().trim();
        if (eventId == null || eventId.isEmpty()) {
            return MappedRow.invalid(null, new RowProblem(idColumn, "missing event id: column '" + idColumn
                    + "' is NULL or empty; every event needs its unique id (Klaviyo keeps one event per id)"), 0);
        }

        String identifierColumn = sync.identifierColumn();
        ConvertedValue who = text(row, identifierColumn);
        if (!who.ok()) {
            return MappedRow.invalid(eventId, who.problem(), 0);
        }
        String identifier = who.isNull() ? null : who.value().textValue().trim();
        if (identifier == null || identifier.isEmpty()) {
            return MappedRow.invalid(eventId, new RowProblem(identifierColumn, "missing profile identifier: column '"
                    + identifierColumn + "' is NULL or empty, so the event belongs to no profile"), 0);
        }
        if (sync.identifier() == Identifier.EMAIL) {
            identifier = identifier.toLowerCase(Locale.ROOT);
            if (!EmailAddress.isValid(identifier)) {
                return MappedRow.invalid(eventId, new RowProblem(identifierColumn, "'" + quote(identifier)
                        + "' is not a valid email address"), 0);
            }
        } else if (sync.identifier() == Identifier.PHONE_NUMBER && !PhoneNumber.isE164(identifier)) {
            return MappedRow.invalid(eventId, new RowProblem(identifierColumn,
                    "the phone number is not in E.164 format (e.g. +14155552671)"), 0);
        }

        String metric = fields.metric();
        if (metric == null) {
            String metricColumn = fields.metricColumn();
            ConvertedValue m = text(row, metricColumn);
            if (!m.ok()) {
                return MappedRow.invalid(eventId, m.problem(), 0);
            }
            metric = m.isNull() ? null : m.value().textValue().trim();
            if (metric == null || metric.isEmpty()) {
                return MappedRow.invalid(eventId, new RowProblem(metricColumn, "missing metric: column '" + metricColumn
                        + "' is NULL or empty"), 0);
            }
            if (metric.length() > MAX_METRIC_NAME) {
                return MappedRow.invalid(eventId, new RowProblem(metricColumn, "the metric name is " + metric.length()
                        + " characters long; Klaviyo takes names under 128 characters"), 0);
            }
        }

        ObjectNode event = nodes.objectNode();
        event.put("type", "event");
        ObjectNode attributes = event.putObject("attributes");
        RowProblem problem = properties(row, attributes.putObject("properties"));
        if (problem != null) {
            return MappedRow.invalid(eventId, problem, 0);
        }
        if (fields.timeColumn() != null) {
            String timeColumn = fields.timeColumn();
            Object raw = lookup(row, timeColumn);
            Instant time = raw == null ? null : instant(timeColumn, raw);
            if (time == null) {
                return MappedRow.invalid(eventId, new RowProblem(timeColumn, raw == null
                        ? "the event's time is NULL; give every event its time, or remove timeColumn"
                        : "'" + quote(String.valueOf(raw)) + "' is not a date and time"), 0);
            }
            Instant latest = clock.instant().plus(LATEST_AHEAD);
            if (time.isBefore(EARLIEST) || time.isAfter(latest)) {
                return MappedRow.invalid(eventId, new RowProblem(timeColumn, "time " + time + " is outside what"
                        + " Klaviyo accepts: from " + EARLIEST + " to one year ahead (" + latest.truncatedTo(ChronoUnit.SECONDS)
                        + ")"), 0);
            }
            attributes.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
        }
        if (fields.valueColumn() != null) {
            String valueColumn = fields.valueColumn();
            ConvertedValue value = converter.toJson(valueColumn, lookup(row, valueColumn));
            if (!value.ok()) {
                return MappedRow.invalid(eventId, value.problem(), 0);
            }
            if (!value.isNull()) {
                if (!value.value().isNumber()) {
                    return MappedRow.invalid(eventId, new RowProblem(valueColumn, "the event's value is not a number"), 0);
                }
                attributes.set("value", value.value());
            }
        }
        attributes.put("unique_id", eventId);
        attributes.putObject("metric").putObject("data").put("type", "metric").putObject("attributes")
                .put("name", metric);

        ObjectNode entry = nodes.objectNode();
        entry.put("type", "event-bulk-create");
        ObjectNode entryAttributes = entry.putObject("attributes");
        entryAttributes.putObject("profile").putObject("data").put("type", "profile").putObject("attributes")
                .put(sync.identifier().attribute(), identifier);
        entryAttributes.putObject("events").putArray("data").add(event);
        byte[] bytes;
        try {
            bytes = writer.writeValueAsBytes(entry);
        } catch (JsonProcessingException e) {
            return MappedRow.invalid(eventId, new RowProblem("row", "the event could not be written as JSON: "
                    + e.getOriginalMessage()), 0);
        }
        if (bytes.length > MAX_ENTRY_BYTES) {
            return MappedRow.invalid(eventId, new RowProblem("properties", "the event is " + bytes.length
                    + " bytes; at most " + MAX_ENTRY_BYTES + " are sent in one event"), bytes.length);
        }
        return new MappedRow(eventId, entry, null, Sha256ToLong.of(bytes), bytes.length, null, null, bytes);
    }

    /** Fills {@code out} with the row's properties in name order; the first problem, or null. */
    private RowProblem properties(Map<String, Object> row, ObjectNode out) {
        TreeMap<String, JsonNode> values = new TreeMap<>();
        if (sync.properties().syncAll()) {
            for (Map.Entry<String, Object> e : row.entrySet()) {
                String column = e.getKey();
                if (reserved.contains(column)) {
                    continue;
                }
                RowProblem p = put(values, column, column, e.getValue());
                if (p != null) {
                    return p;
                }
            }
        } else {
            for (Map.Entry<String, String> m : sync.properties().fieldToColumn().entrySet()) {
                Object raw = lookup(row, m.getValue());
                if (raw == MISSING) {
                    return new RowProblem(m.getValue(), "column '" + m.getValue() + "' is not in the row");
                }
                RowProblem p = put(values, m.getKey(), m.getValue(), raw);
                if (p != null) {
                    return p;
                }
            }
        }
        if (values.size() > MAX_PROPERTIES) {
            return new RowProblem("properties", "oversize properties: " + values.size() + " properties; Klaviyo takes"
                    + " at most " + MAX_PROPERTIES + " per event");
        }
        values.forEach(out::set);
        return null;
    }

    private RowProblem put(TreeMap<String, JsonNode> values, String name, String column, Object raw) {
        if (name.isBlank() || name.startsWith("$")) {
            return new RowProblem(column, "property name '" + quote(name) + "' is empty or starts with '$', which"
                    + " Klaviyo reserves; alias the column in the model's SQL");
        }
        ConvertedValue v = converter.toJson(column, raw);
        if (!v.ok()) {
            return v.problem();
        }
        if (v.isNull()) {
            return null;
        }
        if (longestText(v.value()) > MAX_STRING_BYTES) {
            return new RowProblem(column, "oversize properties: property '" + name + "' holds a text over "
                    + MAX_STRING_BYTES + " bytes; Klaviyo refuses texts over 100 KB in an event");
        }
        values.put(name, v.value());
        return null;
    }

    private static int longestText(JsonNode node) {
        if (node.isTextual()) {
            String s = node.textValue();
            return s.length() * 3 <= MAX_STRING_BYTES ? s.length() : s.getBytes(StandardCharsets.UTF_8).length;
        }
        int longest = 0;
        for (Iterator<JsonNode> it = node.elements(); it.hasNext();) {
            longest = Math.max(longest, longestText(it.next()));
        }
        return longest;
    }

    private ConvertedValue text(Map<String, Object> row, String column) {
        Object raw = lookup(row, column);
        if (raw == MISSING) {
            return ConvertedValue.problem(column, "column '" + column + "' is not in the row");
        }
        return converter.toText(column, raw);
    }

    private Instant instant(String column, Object raw) {
        ConvertedValue v = converter.toJson(column, raw);
        if (!v.ok() || v.isNull() || !v.value().isTextual()) {
            return null;
        }
        String s = v.value().textValue().trim();
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            // try the forms without an offset below
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            // below
        }
        try {
            return LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // below
        }
        try {
            return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static final Object MISSING = new Object();

    private static Object lookup(Map<String, Object> row, String column) {
        if (row.containsKey(column)) {
            return row.get(column);
        }
        for (Map.Entry<String, Object> e : row.entrySet()) {
            if (e.getKey().equalsIgnoreCase(column)) {
                return e.getValue();
            }
        }
        return MISSING;
    }

    private static String quote(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
