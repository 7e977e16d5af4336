package org.klaviyosync.standin;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validation of one profile resource as sent to profile-import or inside a bulk import job. Stricter
 * than the schema where klaviyo-api.md says the live API is: at least one identifier, email shape,
 * E.164 phone numbers, no unknown members or attributes.
 */
final class ProfileValidation {

    static final Set<String> IDENTIFIERS = Set.of("email", "phone_number", "external_id");
    static final Set<String> STRING_ATTRIBUTES = Set.of("email", "phone_number", "external_id", "_kx",
            "first_name", "last_name", "organization", "title", "locale", "image");
    static final Set<String> LOCATION_KEYS = Set.of("address1", "address2", "city", "country", "region", "zip",
            "timezone", "ip", "latitude", "longitude");
    static final Set<String> RESOURCE_MEMBERS = Set.of("type", "id", "attributes", "meta");
    static final Set<String> META_MEMBERS = Set.of("patch_properties", "patch_identifiers");
    static final Set<String> PATCH_PROPERTIES_MEMBERS = Set.of("append", "unappend", "unset");

    /** The phone number rule; {@link #isE164} checks it without a matcher. */
    static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{1,14}$");
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    /** The email rule; {@link #isEmail} checks it without a matcher. */
    static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@" + LABEL + "(?:\\." + LABEL + ")+$");

    private static final String LOCAL_PART_SYMBOLS = "!#$%&'*+/=?^_`{|}~-";

    /** Per-profile payload limit (100 KB), measured on the compact JSON of the resource. */
    static final int MAX_PROFILE_BYTES = 100 * 1024;

    private ProfileValidation() {
    }

    /**
     * Every problem of the resource, each a 400 error whose pointer starts with {@code prefix}.
     * {@code missingIdentifierPointer} is where a missing identifier is reported. The resource is
     * given as plain Java values ({@link StandInJson#toJava} or {@link StandInJson#readCompact}): a
     * member that is absent and one that is null are treated alike, as before.
     */
    static List<ObjectNode> validate(Object resource, String prefix, String missingIdentifierPointer) {
        // pointers are built only for errors: a valid profile costs no string building
        List<ObjectNode> errors = new ArrayList<>(0);
        if (!(resource instanceof Map<?, ?> r)) {
            errors.add(JsonApiErrors.invalidAt(prefix, "A profile resource object is required."));
            return errors;
        }
        for (Object key : r.keySet()) {
            String name = (String) key;
            if (!RESOURCE_MEMBERS.contains(name)) {
                errors.add(JsonApiErrors.invalidAt(prefix + "/" + name, "'" + name + "' is not a valid field for the resource 'profile'."));
            }
        }
        Object type = r.get("type");
        if (type == null) {
            errors.add(JsonApiErrors.invalidAt(prefix + "/type", "'type' is a required field."));
        } else if (!"profile".equals(type)) {
            errors.add(JsonApiErrors.invalidAt(prefix + "/type", "The type '" + Bodies.text(type) + "' is not valid here; expected 'profile'."));
        }
        Object id = r.get("id");
        boolean hasId = false;
        if (id != null) {
            if (!(id instanceof String s) || !Ids.ULID.matcher(s).matches()) {
                errors.add(JsonApiErrors.invalidAt(prefix + "/id", "'id' must be a 26-character profile id."));
            } else {
                hasId = true;
            }
        }
        Object attributeValue = r.get("attributes");
        boolean hasIdentifier = hasId;
        if (!(attributeValue instanceof Map<?, ?> attributes)) {
            errors.add(JsonApiErrors.invalidAt(prefix + "/attributes", "'attributes' is a required object."));
        } else {
            for (Map.Entry<?, ?> e : attributes.entrySet()) {
                String name = (String) e.getKey();
                Object v = e.getValue();
                if (STRING_ATTRIBUTES.contains(name)) {
                    if (v != null && !(v instanceof String)) {
                        errors.add(JsonApiErrors.invalidAt(prefix + "/attributes/" + name, "'" + name + "' must be a string or null."));
                    }
                } else if (name.equals("location")) {
                    validateLocation(v, prefix, errors);
                } else if (name.equals("properties")) {
                    if (v != null && !(v instanceof Map)) {
                        errors.add(JsonApiErrors.invalidAt(prefix + "/attributes/properties", "'properties' must be an object or null."));
                    }
                } else {
                    errors.add(JsonApiErrors.invalidAt(prefix + "/attributes/" + name, "'" + name + "' is not a valid attribute of a profile."));
                }
            }
            if (attributes.get("email") instanceof String email) {
                hasIdentifier = true;
                if (!isEmail(email)) {
                    errors.add(JsonApiErrors.invalidAt(prefix + "/attributes/email", "Invalid email address '" + email + "'."));
                }
            }
            if (attributes.get("phone_number") instanceof String phone) {
                hasIdentifier = true;
                if (!isE164(phone)) {
                    errors.add(JsonApiErrors.invalidAt(prefix + "/attributes/phone_number",
                            "Invalid phone number '" + phone + "'; phone numbers must be in E.164 format."));
                } else if (!isValidNumber(phone)) {
                    errors.add(JsonApiErrors.invalidAt(prefix + "/attributes/phone_number",
                            "Invalid phone number '" + phone + "'; it is not a valid number for its country."));
                }
            }
            if (attributes.get("external_id") instanceof String external) {
                hasIdentifier = true;
                if (external.isBlank()) {
                    errors.add(JsonApiErrors.invalidAt(prefix + "/attributes/external_id", "'external_id' must not be blank."));
                }
            }
            if (!hasIdentifier) {
                errors.add(JsonApiErrors.invalidAt(missingIdentifierPointer,
                        "One of the identifiers email, phone_number, external_id or id is required."));
            }
        }
        validateMeta(r.get("meta"), prefix, errors);
        if (errors.isEmpty() && !StandInJson.compactSizeAtMost(resource, MAX_PROFILE_BYTES)) {
            errors.add(JsonApiErrors.invalidAt(prefix, "The profile exceeds the limit of 100 KB."));
        }
        return errors;
    }

    /**
     * Whether {@link #EMAIL} matches, checked by hand because the regex costs more than the rest of a
     * profile's validation: dot-separated non-empty atoms of the allowed characters, one {@code @}, and
     * at least two domain labels of 1 to 63 letters, digits and inner hyphens.
     */
    static boolean isEmail(String s) {
        int at = s.indexOf('@');
        if (at <= 0 || at != s.lastIndexOf('@')) {
            return false;
        }
        boolean emptyAtom = true;
        for (int i = 0; i < at; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (emptyAtom) {
                    return false;
                }
                emptyAtom = true;
            } else if (isAsciiAlphanumeric(c) || LOCAL_PART_SYMBOLS.indexOf(c) >= 0) {
                emptyAtom = false;
            } else {
                return false;
            }
        }
        if (emptyAtom) {
            return false;
        }
        int labels = 0;
        int start = at + 1;
        for (int i = start; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '.') {
                if (!isLabel(s, start, i)) {
                    return false;
                }
                labels++;
                start = i + 1;
            }
        }
        return labels >= 2;
    }

    private static boolean isLabel(String s, int from, int to) {
        int length = to - from;
        if (length < 1 || length > 63 || !isAsciiAlphanumeric(s.charAt(from)) || !isAsciiAlphanumeric(s.charAt(to - 1))) {
            return false;
        }
        for (int i = from + 1; i < to - 1; i++) {
            char c = s.charAt(i);
            if (!isAsciiAlphanumeric(c) && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** Whether {@link #E164} matches: {@code +}, a digit 1-9, then 1 to 14 digits. */
    static boolean isE164(String s) {
        if (s.length() < 3 || s.length() > 16 || s.charAt(0) != '+' || s.charAt(1) < '1' || s.charAt(1) > '9') {
            return false;
        }
        for (int i = 2; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static void validateLocation(Object v, String prefix, List<ObjectNode> errors) {
        if (v == null) {
            return;
        }
        String p = prefix + "/attributes/location";
        if (!(v instanceof Map<?, ?> location)) {
            errors.add(JsonApiErrors.invalidAt(p, "'location' must be an object or null."));
            return;
        }
        for (Map.Entry<?, ?> e : location.entrySet()) {
            String key = (String) e.getKey();
            Object lv = e.getValue();
            if (!LOCATION_KEYS.contains(key)) {
                errors.add(JsonApiErrors.invalidAt(p + "/" + key, "'" + key + "' is not a valid location field."));
            } else if (key.equals("latitude") || key.equals("longitude")) {
                if (lv != null && !(lv instanceof String) && !(lv instanceof Number)) {
                    errors.add(JsonApiErrors.invalidAt(p + "/" + key, "'" + key + "' must be a string, a number or null."));
                }
            } else if (lv != null && !(lv instanceof String)) {
                errors.add(JsonApiErrors.invalidAt(p + "/" + key, "'" + key + "' must be a string or null."));
            }
        }
    }

    private static void validateMeta(Object metaValue, String prefix, List<ObjectNode> errors) {
        if (metaValue == null) {
            return;
        }
        String p = prefix + "/meta";
        if (!(metaValue instanceof Map<?, ?> meta)) {
            errors.add(JsonApiErrors.invalidAt(p, "'meta' must be an object."));
            return;
        }
        for (Object key : meta.keySet()) {
            String name = (String) key;
            if (!META_MEMBERS.contains(name)) {
                errors.add(JsonApiErrors.invalidAt(p + "/" + name, "'" + name + "' is not a valid meta field."));
            }
        }
        Object pp = meta.get("patch_properties");
        if (pp != null) {
            if (!(pp instanceof Map<?, ?> patch)) {
                errors.add(JsonApiErrors.invalidAt(p + "/patch_properties", "'patch_properties' must be an object."));
                return;
            }
            for (Map.Entry<?, ?> e : patch.entrySet()) {
                String name = (String) e.getKey();
                String q = p + "/patch_properties/" + name;
                Object v = e.getValue();
                if (!PATCH_PROPERTIES_MEMBERS.contains(name)) {
                    errors.add(JsonApiErrors.invalidAt(q, "'" + name + "' is not a valid patch_properties field."));
                } else if (name.equals("unset")) {
                    boolean ok = v instanceof String;
                    if (v instanceof List<?> items) {
                        ok = true;
                        for (Object item : items) {
                            ok &= item instanceof String;
                        }
                    }
                    if (!ok) {
                        errors.add(JsonApiErrors.invalidAt(q, "'unset' must be a string or an array of strings."));
                    }
                } else if (!(v instanceof Map)) {
                    errors.add(JsonApiErrors.invalidAt(q, "'" + name + "' must be an object."));
                }
            }
        }
        Object pi = meta.get("patch_identifiers");
        if (pi != null && !(pi instanceof Map)) {
            errors.add(JsonApiErrors.invalidAt(p + "/patch_identifiers", "'patch_identifiers' must be an object."));
        }
    }

    /** Klaviyo checks E.164 numbers with libphonenumber: the shape alone is not enough. */
    static boolean isValidNumber(String e164) {
        com.google.i18n.phonenumbers.PhoneNumberUtil util = com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance();
        try {
            return util.isValidNumber(util.parse(e164, null));
        } catch (com.google.i18n.phonenumbers.NumberParseException e) {
            return false;
        }
    }
}
