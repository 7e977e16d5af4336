package org.klaviyosync.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
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

    static final Pattern E164 = Pattern.compile("^\\+[1-9]\\d{1,14}$");
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@" + LABEL + "(?:\\." + LABEL + ")+$");

    /** Per-profile payload limit (100 KB), measured on the compact JSON of the resource. */
    static final int MAX_PROFILE_BYTES = 100 * 1024;

    private ProfileValidation() {
    }

    /**
     * Every problem of the resource, each a 400 error whose pointer starts with {@code prefix}.
     * {@code missingIdentifierPointer} is where a missing identifier is reported.
     */
    static List<ObjectNode> validate(JsonNode resource, String prefix, String missingIdentifierPointer) {
        List<ObjectNode> errors = new ArrayList<>();
        if (resource == null || !resource.isObject()) {
            errors.add(JsonApiErrors.invalidAt(prefix, "A profile resource object is required."));
            return errors;
        }
        for (Iterator<String> it = resource.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!RESOURCE_MEMBERS.contains(name)) {
                errors.add(JsonApiErrors.invalidAt(prefix + "/" + name, "'" + name + "' is not a valid field for the resource 'profile'."));
            }
        }
        JsonNode type = resource.get("type");
        if (type == null || type.isNull()) {
            errors.add(JsonApiErrors.invalidAt(prefix + "/type", "'type' is a required field."));
        } else if (!type.isTextual() || !type.asText().equals("profile")) {
            errors.add(JsonApiErrors.invalidAt(prefix + "/type", "The type '" + type.asText() + "' is not valid here; expected 'profile'."));
        }
        JsonNode id = resource.get("id");
        boolean hasId = false;
        if (id != null && !id.isNull()) {
            if (!id.isTextual() || !Ids.ULID.matcher(id.asText()).matches()) {
                errors.add(JsonApiErrors.invalidAt(prefix + "/id", "'id' must be a 26-character profile id."));
            } else {
                hasId = true;
            }
        }
        JsonNode attributes = resource.get("attributes");
        String ap = prefix + "/attributes";
        boolean hasIdentifier = hasId;
        if (attributes == null || !attributes.isObject()) {
            errors.add(JsonApiErrors.invalidAt(ap, "'attributes' is a required object."));
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = attributes.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = e.getKey();
                JsonNode v = e.getValue();
                String p = ap + "/" + name;
                if (STRING_ATTRIBUTES.contains(name)) {
                    if (!v.isNull() && !v.isTextual()) {
                        errors.add(JsonApiErrors.invalidAt(p, "'" + name + "' must be a string or null."));
                    }
                } else if (name.equals("location")) {
                    validateLocation(v, p, errors);
                } else if (name.equals("properties")) {
                    if (!v.isNull() && !v.isObject()) {
                        errors.add(JsonApiErrors.invalidAt(p, "'properties' must be an object or null."));
                    }
                } else {
                    errors.add(JsonApiErrors.invalidAt(p, "'" + name + "' is not a valid attribute of a profile."));
                }
            }
            JsonNode email = attributes.get("email");
            if (email != null && email.isTextual()) {
                hasIdentifier = true;
                if (!EMAIL.matcher(email.asText()).matches()) {
                    errors.add(JsonApiErrors.invalidAt(ap + "/email", "Invalid email address '" + email.asText() + "'."));
                }
            }
            JsonNode phone = attributes.get("phone_number");
            if (phone != null && phone.isTextual()) {
                hasIdentifier = true;
                if (!E164.matcher(phone.asText()).matches()) {
                    errors.add(JsonApiErrors.invalidAt(ap + "/phone_number",
                            "Invalid phone number '" + phone.asText() + "'; phone numbers must be in E.164 format."));
                }
            }
            JsonNode external = attributes.get("external_id");
            if (external != null && external.isTextual()) {
                hasIdentifier = true;
                if (external.asText().isBlank()) {
                    errors.add(JsonApiErrors.invalidAt(ap + "/external_id", "'external_id' must not be blank."));
                }
            }
        }
        if (!hasIdentifier && attributes != null && attributes.isObject()) {
            errors.add(JsonApiErrors.invalidAt(missingIdentifierPointer,
                    "One of the identifiers email, phone_number, external_id or id is required."));
        }
        validateMeta(resource.get("meta"), prefix + "/meta", errors);
        if (errors.isEmpty() && StandInJson.bytes(resource).length > MAX_PROFILE_BYTES) {
            errors.add(JsonApiErrors.invalidAt(prefix, "The profile exceeds the limit of 100 KB."));
        }
        return errors;
    }

    private static void validateLocation(JsonNode v, String p, List<ObjectNode> errors) {
        if (v.isNull()) {
            return;
        }
        if (!v.isObject()) {
            errors.add(JsonApiErrors.invalidAt(p, "'location' must be an object or null."));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode lv = e.getValue();
            if (!LOCATION_KEYS.contains(key)) {
                errors.add(JsonApiErrors.invalidAt(p + "/" + key, "'" + key + "' is not a valid location field."));
            } else if (key.equals("latitude") || key.equals("longitude")) {
                if (!lv.isNull() && !lv.isTextual() && !lv.isNumber()) {
                    errors.add(JsonApiErrors.invalidAt(p + "/" + key, "'" + key + "' must be a string, a number or null."));
                }
            } else if (!lv.isNull() && !lv.isTextual()) {
                errors.add(JsonApiErrors.invalidAt(p + "/" + key, "'" + key + "' must be a string or null."));
            }
        }
    }

    private static void validateMeta(JsonNode meta, String p, List<ObjectNode> errors) {
        if (meta == null || meta.isNull()) {
            return;
        }
        if (!meta.isObject()) {
            errors.add(JsonApiErrors.invalidAt(p, "'meta' must be an object."));
            return;
        }
        for (Iterator<String> it = meta.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!META_MEMBERS.contains(name)) {
                errors.add(JsonApiErrors.invalidAt(p + "/" + name, "'" + name + "' is not a valid meta field."));
            }
        }
        JsonNode pp = meta.get("patch_properties");
        if (pp != null && !pp.isNull()) {
            if (!pp.isObject()) {
                errors.add(JsonApiErrors.invalidAt(p + "/patch_properties", "'patch_properties' must be an object."));
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = pp.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String q = p + "/patch_properties/" + e.getKey();
                JsonNode v = e.getValue();
                if (!PATCH_PROPERTIES_MEMBERS.contains(e.getKey())) {
                    errors.add(JsonApiErrors.invalidAt(q, "'" + e.getKey() + "' is not a valid patch_properties field."));
                } else if (e.getKey().equals("unset")) {
                    boolean ok = v.isTextual();
                    if (v.isArray()) {
                        ok = true;
                        for (JsonNode item : v) {
                            ok &= item.isTextual();
                        }
                    }
                    if (!ok) {
                        errors.add(JsonApiErrors.invalidAt(q, "'unset' must be a string or an array of strings."));
                    }
                } else if (!v.isObject()) {
                    errors.add(JsonApiErrors.invalidAt(q, "'" + e.getKey() + "' must be an object."));
                }
            }
        }
        JsonNode pi = meta.get("patch_identifiers");
        if (pi != null && !pi.isNull() && !pi.isObject()) {
            errors.add(JsonApiErrors.invalidAt(p + "/patch_identifiers", "'patch_identifiers' must be an object."));
        }
    }
}
