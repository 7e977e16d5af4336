package org.klaviyosync.mapping;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The standard Klaviyo profile attributes a sync may map. Any other field a user maps is a custom
 * property, sent inside {@code attributes.properties}.
 */
public enum ProfileField {
    EMAIL("email"),
    PHONE_NUMBER("phone_number"),
    EXTERNAL_ID("external_id"),
    FIRST_NAME("first_name"),
    LAST_NAME("last_name"),
    ORGANIZATION("organization"),
    TITLE("title"),
    IMAGE("image"),
    LOCALE("locale"),
    LOCATION_ADDRESS1("location.address1"),
    LOCATION_ADDRESS2("location.address2"),
    LOCATION_CITY("location.city"),
    LOCATION_REGION("location.region"),
    LOCATION_COUNTRY("location.country"),
    LOCATION_ZIP("location.zip"),
    LOCATION_TIMEZONE("location.timezone");

    /** The attribute object that holds the {@code location.*} fields. */
    public static final String LOCATION = "location";

    private static final String LOCATION_PREFIX = LOCATION + ".";
    private static final Map<String, ProfileField> BY_NAME = new HashMap<>();
    private static final Map<String, ProfileField> BY_ATTRIBUTE = new HashMap<>();

    static {
        for (ProfileField f : values()) {
            BY_NAME.put(f.klaviyoField, f);
            BY_ATTRIBUTE.put(f.attribute, f);
        }
    }

    private final String klaviyoField;
    private final String attribute;
    private final boolean inLocation;

    ProfileField(String klaviyoField) {
        this.klaviyoField = klaviyoField;
        this.inLocation = klaviyoField.startsWith(LOCATION_PREFIX);
        this.attribute = inLocation ? klaviyoField.substring(LOCATION_PREFIX.length()) : klaviyoField;
    }

    /** The standard field with this name as users write it ({@code first_name}, {@code location.city}); empty for a custom property. */
    public static Optional<ProfileField> named(String klaviyoField) {
        return Optional.ofNullable(klaviyoField == null ? null : BY_NAME.get(klaviyoField));
    }

    /**
     * The standard field a column fills under Sync All Properties: the column name, compared
     * without regard to case, equals the attribute's own name, without any {@code location}
     * prefix. So {@code first_name} fills {@code first_name} and {@code city} fills
     * {@code location.city}; {@code location_city} is a custom property.
     */
    public static Optional<ProfileField> forSyncAllColumn(String column) {
        if (column == null) {
            return Optional.empty();
        }
        ProfileField f = BY_ATTRIBUTE.get(column);
        if (f == null) {
            f = BY_ATTRIBUTE.get(column.toLowerCase(Locale.ROOT));
        }
        return Optional.ofNullable(f);
    }

    /** The name as users write it in a sync, e.g. {@code location.city}. */
    public String klaviyoField() {
        return klaviyoField;
    }

    /** The JSON key, inside {@code attributes} or, for location fields, inside {@code attributes.location}. */
    public String attribute() {
        return attribute;
    }

    /** Whether the attribute sits in the {@code location} object. */
    public boolean inLocation() {
        return inLocation;
    }

    /** The JSON path below the profile's {@code attributes}, e.g. {@code ["location", "city"]}. */
    public String[] jsonPath() {
        return inLocation ? new String[] {LOCATION, attribute} : new String[] {attribute};
    }
}
