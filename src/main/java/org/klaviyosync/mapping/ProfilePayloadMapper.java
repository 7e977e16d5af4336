package org.klaviyosync.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.klaviyosync.config.NullHandling;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.fingerprint.PayloadFingerprint;

/**
 * Turns one model row into the Klaviyo profile resource of a sync, with a verdict.
 *
 * <p>Rules:
 * <ul>
 *   <li>Columns are looked up without regard to case.</li>
 *   <li>The identifier column's value, as text and trimmed, is written to the identifier's
 *       attribute; empty, an invalid email (email identifier) or a phone number not in E.164
 *       (phone identifier) makes the row invalid. Where a mapping or, under Sync All, a column
 *       also fills that attribute, the identifier wins.</li>
 *   <li>Standard attributes ({@link ProfileField}) are sent as text; {@code location.*} fields
 *       inside {@code attributes.location}. A mapped email or phone number is trimmed and must be
 *       valid; when blank it is left out. Emails are sent lower-cased, phone numbers in E.164: the
 *       keys Klaviyo matches profiles on, also the row key of an email or phone identifier. Other fields go to {@code attributes.properties}, as
 *       converted by {@link ColumnValueConverter}; names that are empty or start with {@code $}
 *       are refused.</li>
 *   <li>Specific Properties: a mapped column missing from the row makes the row invalid.</li>
 *   <li>Sync All Properties: a column whose name is a standard attribute's own name, compared
 *       without regard to case, fills it: {@code email}, {@code phone_number},
 *       {@code external_id}, {@code first_name}, {@code last_name}, {@code organization},
 *       {@code title}, {@code image}, {@code locale}, and for the location the bare names
 *       {@code address1}, {@code address2}, {@code city}, {@code region}, {@code country},
 *       {@code zip}, {@code timezone} (not {@code location_city}, which is a custom property).
 *       Every other column, except the identifier, list and consent columns, is a custom property
 *       named exactly like the column.</li>
 *   <li>Consent ({@code emailConsent}, {@code smsConsent}): read by {@link ConsentColumns}; part of
 *       the fingerprint, so a row whose consent changes is sent again.</li>
 *   <li>SQL NULLs are left out of the payload. With {@code nulls=clear} the row also carries
 *       {@link MappedRow#nullsToClear()} ({@link NullClearingRequest}).</li>
 *   <li>Phone numbers: E.164 as written; with the sync's {@code phoneRegion}, national formats of
 *       that region are normalised to E.164 ({@link PhoneNumber}).</li>
 *   <li>Lists: the sync's static lists, then those of the list column ({@link ListReferences}).</li>
 *   <li>A profile resource over {@link #MAX_PROFILE_BYTES} bytes is invalid.</li>
 * </ul>
 *
 * <p>The profile is built with its keys in a fixed order (standard attributes in
 * {@link ProfileField} order, custom properties and keys inside JSON values sorted), so the bytes,
 * and the fingerprint computed from them ({@link PayloadFingerprint}), do not depend on column order. Bad data never throws:
 * the first problem found is returned in {@link MappedRow#problem()}. Thread-safe.
 */
public final class ProfilePayloadMapper implements PayloadMapper {

    /**
     * Klaviyo's per-profile limit of 100 KB, read as 100,000 bytes so that a profile Klaviyo might
     * count as over the limit is caught here rather than failing a whole bulk request.
     */
    public static final int MAX_PROFILE_BYTES = 100_000;

    static final Object MISSING = new Object();
    private static final int COLUMN_CACHE_LIMIT = 10_000;
    private static final int MAX_QUOTED = 80;
    private static final ProfileField[] FIELDS = ProfileField.values();

    private final SyncDefinition sync;
    private final ColumnValueConverter converter;
    private final ListReferences listReferences;
    private final ObjectWriter writer;
    private final JsonNodeFactory nodes;
    private final PayloadFingerprint fingerprint;
    private final ProfileField identifierField;
    private final List<String> staticLists;
    private final boolean syncAll;
    /** Specific Properties, standard fields in {@link ProfileField} order, then custom ones by name. */
    private final List<Mapping> mappings;
    /** A problem of the mappings themselves (a reserved property name); applies to every row. */
    private final RowProblem mappingProblem;
    private final Map<String, Optional<ProfileField>> syncAllColumns = new ConcurrentHashMap<>();
    private final boolean clearNulls;
    private final String phoneRegion;
    /** The consent columns' reader; null when the sync changes no consent. */
    private final ConsentColumns consentColumns;

    /** A contact value (email, phone number) as sent, or why it cannot be. */
    private record Contact(String value, RowProblem problem) {
    }

    private record Mapping(String klaviyoField, String column, ProfileField standard) {
    }

    public ProfilePayloadMapper(SyncDefinition sync, ObjectMapper json) {
        this.sync = sync;
        this.converter = new ColumnValueConverter(json);
        this.listReferences = new ListReferences(json);
        this.writer = json.writer().without(SerializationFeature.INDENT_OUTPUT);
        this.nodes = json.getNodeFactory();
        this.fingerprint = new PayloadFingerprint(writer);
        this.identifierField = ProfileField.named(sync.identifier().attribute())
                .orElseThrow(() -> new IllegalArgumentException("unknown identifier " + sync.identifier()));
        this.syncAll = sync.properties().syncAll();
        this.staticLists = ListReferences.combine(sync.lists(), List.of());
        this.clearNulls = sync.nulls() == NullHandling.CLEAR;
        this.phoneRegion = sync.phoneRegion();
        this.consentColumns = sync.consent() == null ? null : new ConsentColumns(sync.consent(), converter);
        List<Mapping> specific = new ArrayList<>();
        RowProblem reserved = null;
        if (!syncAll) {
            for (Map.Entry<String, String> e : sync.properties().fieldToColumn().entrySet()) {
                ProfileField standard = ProfileField.named(e.getKey()).orElse(null);
                if (standard == identifierField) {
                    continue;
                }
                if (standard == null && reserved == null) {
                    reserved = reservedName(e.getKey());
                }
                specific.add(new Mapping(e.getKey(), e.getValue(), standard));
            }
            specific.sort(Comparator
                    .comparing((Mapping m) -> m.standard() == null ? FIELDS.length : m.standard().ordinal())
                    .thenComparing(Mapping::klaviyoField));
        }
        this.mappings = List.copyOf(specific);
        this.mappingProblem = reserved;
    }

    /** Maps one row (column name to JDBC value). Never throws on bad data. */
    @Override
    public MappedRow map(Map<String, Object> row) {
        try {
            return mapRow(row);
        } catch (RuntimeException | StackOverflowError e) {
            return MappedRow.invalid(null, new RowProblem("row", "the row could not be mapped: " + e), 0);
        }
    }

    private MappedRow mapRow(Map<String, Object> row) {
        // identifier
        String identifierColumn = sync.identifierColumn();
        Object rawIdentifier = lookup(row, identifierColumn);
        if (rawIdentifier == MISSING) {
            return MappedRow.invalid(null, new RowProblem(identifierColumn,
                    "identifier column '" + identifierColumn + "' is not in the row"), 0);
        }
        ConvertedValue idText = converter.toText(identifierColumn, rawIdentifier);
        if (!idText.ok()) {
            return MappedRow.invalid(null, idText.problem(), 0);
        }
        String identifier = idText.isNull() ? null : idText.value().textValue().trim();
        if (identifier == null || identifier.isEmpty()) {
            return MappedRow.invalid(null, new RowProblem(identifierColumn,
                    "identifier column '" + identifierColumn + "' is empty"), 0);
        }
        Contact contact = contact(identifierField, identifierColumn, identifier);
        if (contact.problem() != null) {
            return MappedRow.invalid(identifier, contact.problem(), 0);
        }
        identifier = contact.value();
        if (mappingProblem != null) {
            return MappedRow.invalid(identifier, mappingProblem, 0);
        }

        String[] standard = new String[FIELDS.length];
        standard[identifierField.ordinal()] = identifier;
        TreeMap<String, JsonNode> custom = new TreeMap<>();
        NullClearingRequest nulls = clearNulls ? new NullClearingRequest(identifierField) : null;
        RowProblem problem = syncAll
                ? collectAll(row, standard, custom, nulls)
                : collectSpecific(row, standard, custom, nulls);
        if (problem != null) {
            return MappedRow.invalid(identifier, problem, 0);
        }

        // lists
        List<String> lists = staticLists;
        String listColumn = sync.listColumn();
        if (listColumn != null) {
            Object rawLists = lookup(row, listColumn);
            if (rawLists == MISSING) {
                return MappedRow.invalid(identifier, new RowProblem(listColumn,
                        "list column '" + listColumn + "' is not in the row"), 0);
            }
            ListReferences.Parsed parsed = listReferences.parse(listColumn, rawLists);
            if (!parsed.ok()) {
                return MappedRow.invalid(identifier, parsed.problem(), 0);
            }
            lists = ListReferences.combine(lists, parsed.references());
        }

        ObjectNode profile = build(standard, custom);
        byte[] bytes;
        try {
            bytes = writer.writeValueAsBytes(profile);
        } catch (JsonProcessingException e) {
            return MappedRow.invalid(identifier, new RowProblem("profile",
                    "the profile could not be written as JSON: " + e.getOriginalMessage()), 0);
        }
        if (bytes.length > MAX_PROFILE_BYTES) {
            return MappedRow.invalid(identifier, new RowProblem("profile", "payload of " + bytes.length
                    + " bytes exceeds Klaviyo's 100 KB per-profile limit"), bytes.length);
        }
        ObjectNode clear = nulls == null ? null : nulls.build(nodes, identifier);
        if (consentColumns == null) {
            return new MappedRow(identifier, profile, lists, fingerprint.of(bytes, lists, clear), bytes.length, null,
                    clear, bytes);
        }
        ConsentColumns.Reading consent = consentColumns.read(row, standard[ProfileField.EMAIL.ordinal()],
                standard[ProfileField.PHONE_NUMBER.ordinal()]);
        if (consent.problem() != null) {
            return MappedRow.invalid(identifier, consent.problem(), 0);
        }
        return new MappedRow(identifier, profile, lists,
                fingerprint.of(bytes, lists, clear, consent.values().fingerprintText()), bytes.length, null, clear,
                bytes, null, null, consent.values().any() ? consent.values() : null);
    }

    private RowProblem collectSpecific(Map<String, Object> row, String[] standard, Map<String, JsonNode> custom,
            NullClearingRequest nulls) {
        for (Mapping m : mappings) {
            Object value = lookup(row, m.column());
            if (value == MISSING) {
                return new RowProblem(m.column(), "column '" + m.column() + "' (mapped to '" + m.klaviyoField()
                        + "') is not in the row");
            }
            RowProblem problem = m.standard() != null
                    ? putStandard(m.standard(), m.column(), value, standard, nulls)
                    : putCustom(m.klaviyoField(), m.column(), value, custom, nulls);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private RowProblem collectAll(Map<String, Object> row, String[] standard, Map<String, JsonNode> custom,
            NullClearingRequest nulls) {
        String identifierColumn = sync.identifierColumn();
        String listColumn = sync.listColumn();
        String[] filledBy = null;
        for (Map.Entry<String, Object> e : row.entrySet()) {
            String column = e.getKey();
            if (column == null || column.equalsIgnoreCase(identifierColumn)
                    || (listColumn != null && column.equalsIgnoreCase(listColumn))
                    || (sync.consent() != null && sync.consent().ownsColumn(column))) {
                continue;
            }
            ProfileField field = standardColumn(column);
            RowProblem problem;
            if (field == null) {
                problem = reservedName(column);
                if (problem == null) {
                    problem = putCustom(column, column, e.getValue(), custom, nulls);
                }
            } else if (field == identifierField) {
                continue;
            } else {
                if (filledBy == null) {
                    filledBy = new String[FIELDS.length];
                }
                String other = filledBy[field.ordinal()];
                if (other != null) {
                    return new RowProblem(field.klaviyoField(), "columns '" + other + "' and '" + column
                            + "' both fill '" + field.klaviyoField() + "'");
                }
                filledBy[field.ordinal()] = column;
                problem = putStandard(field, column, e.getValue(), standard, nulls);
            }
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private RowProblem putStandard(ProfileField field, String column, Object value, String[] standard,
            NullClearingRequest nulls) {
        ConvertedValue text = converter.toText(column, value);
        if (!text.ok()) {
            return text.problem();
        }
        if (text.isNull()) {
            markNull(nulls, field);
            return null;
        }
        String s = text.value().textValue();
        if (field == ProfileField.EMAIL || field == ProfileField.PHONE_NUMBER) {
            s = s.trim();
            if (s.isEmpty()) {
                markNull(nulls, field);
                return null;
            }
            Contact contact = contact(field, column, s);
            if (contact.problem() != null) {
                return contact.problem();
            }
            s = contact.value();
        }
        standard[field.ordinal()] = s;
        return null;
    }

    private RowProblem putCustom(String name, String column, Object value, Map<String, JsonNode> custom,
            NullClearingRequest nulls) {
        ConvertedValue json = converter.toJson(column, value);
        if (!json.ok()) {
            return json.problem();
        }
        if (!json.isNull()) {
            custom.put(name, json.value());
        } else if (nulls != null) {
            nulls.unset(name);
        }
        return null;
    }

    private static void markNull(NullClearingRequest nulls, ProfileField field) {
        if (nulls != null) {
            nulls.clear(field);
        }
    }

    /**
     * The email or phone number of {@code field} as sent (a phone number normalised to E.164);
     * other fields pass unchanged. A phone problem names the column but not the number.
     */
    private Contact contact(ProfileField field, String column, String value) {
        String from = column.equals(field.klaviyoField()) ? "" : " (column '" + column + "')";
        if (field == ProfileField.EMAIL) {
            if (EmailAddress.isValid(value)) {
                // Klaviyo matches addresses without regard to case: send the key it matches on
                return new Contact(value.toLowerCase(java.util.Locale.ROOT), null);
            }
            return new Contact(null, new RowProblem(field.klaviyoField(),
                    quote(value) + " is not a valid email address" + from));
        }
        if (field == ProfileField.PHONE_NUMBER) {
            PhoneNumber.Normalized phone = PhoneNumber.normalize(value, phoneRegion);
            if (phone.ok()) {
                return new Contact(phone.e164(), null);
            }
            return new Contact(null, new RowProblem(field.klaviyoField(),
                    "the value of column '" + column + "' " + phone.problem()));
        }
        return new Contact(value, null);
    }

    private static RowProblem reservedName(String name) {
        String trimmed = name.trim();
        if (trimmed.isEmpty()) {
            return new RowProblem(name, "custom property name '" + name + "' is empty");
        }
        if (trimmed.startsWith("$")) {
            return new RowProblem(name, "custom property name '" + name
                    + "' starts with '$', which is reserved for Klaviyo's own properties");
        }
        return null;
    }

    private ProfileField standardColumn(String column) {
        Optional<ProfileField> cached = syncAllColumns.get(column);
        if (cached == null) {
            cached = ProfileField.forSyncAllColumn(column);
            if (syncAllColumns.size() < COLUMN_CACHE_LIMIT) {
                syncAllColumns.put(column, cached);
            }
        }
        return cached.orElse(null);
    }

    private ObjectNode build(String[] standard, Map<String, JsonNode> custom) {
        ObjectNode attributes = nodes.objectNode();
        ObjectNode location = null;
        for (ProfileField field : FIELDS) {
            String value = standard[field.ordinal()];
            if (value == null) {
                continue;
            }
            if (field.inLocation()) {
                if (location == null) {
                    location = attributes.putObject(ProfileField.LOCATION);
                }
                location.put(field.attribute(), value);
            } else {
                attributes.put(field.attribute(), value);
            }
        }
        if (!custom.isEmpty()) {
            ObjectNode properties = attributes.putObject("properties");
            custom.forEach(properties::set);
        }
        ObjectNode profile = nodes.objectNode();
        profile.put("type", "profile");
        profile.set("attributes", attributes);
        return profile;
    }

    /** The value of {@code column}: exact name first, then any case; {@link #MISSING} when absent. */
    static Object lookup(Map<String, Object> row, String column) {
        Object value = row.get(column);
        if (value != null || row.containsKey(column)) {
            return value;
        }
        for (Map.Entry<String, Object> e : row.entrySet()) {
            if (column.equalsIgnoreCase(e.getKey())) {
                return e.getValue();
            }
        }
        return MISSING;
    }

    private static String quote(String value) {
        String shown = value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED) + "..." : value;
        return "'" + shown + "'";
    }
}
