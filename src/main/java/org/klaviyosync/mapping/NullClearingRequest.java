package org.klaviyosync.mapping;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.TreeSet;

/**
 * For {@code nulls=clear}: collects one row's SQL NULLs while it is mapped and builds the
 * profile-import resource ({@code POST /api/profile-import}'s {@code data}) that clears them in
 * Klaviyo, since a bulk import ignores nulls. The resource names the row's identifier, sets each
 * null standard attribute to JSON null (in {@link ProfileField} order, location fields inside
 * {@code location}) and lists the null custom properties, sorted, in
 * {@code meta.patch_properties.unset}. One instance per row; not thread-safe.
 */
final class NullClearingRequest {

    private static final ProfileField[] FIELDS = ProfileField.values();

    private final ProfileField identifierField;
    private final boolean[] standard = new boolean[FIELDS.length];
    private final TreeSet<String> custom = new TreeSet<>();
    private boolean any;

    NullClearingRequest(ProfileField identifierField) {
        this.identifierField = identifierField;
    }

    /** The standard attribute {@code field} is null in the row (the identifier is never cleared). */
    void clear(ProfileField field) {
        if (field != identifierField) {
            standard[field.ordinal()] = true;
            any = true;
        }
    }

    /** The custom property {@code name} is null in the row. */
    void unset(String name) {
        custom.add(name);
        any = true;
    }

    /** The resource clearing the collected nulls of the profile {@code identifier}; null when there are none. */
    ObjectNode build(JsonNodeFactory nodes, String identifier) {
        if (!any) {
            return null;
        }
        ObjectNode attributes = nodes.objectNode();
        attributes.put(identifierField.attribute(), identifier);
        ObjectNode location = null;
        for (ProfileField field : FIELDS) {
            if (!standard[field.ordinal()]) {
                continue;
            }
            if (field.inLocation()) {
                if (location == null) {
                    location = attributes.putObject(ProfileField.LOCATION);
                }
                location.putNull(field.attribute());
            } else {
                attributes.putNull(field.attribute());
            }
        }
        ObjectNode resource = nodes.objectNode();
        resource.put("type", "profile");
        resource.set("attributes", attributes);
        if (!custom.isEmpty()) {
            ArrayNode unset = resource.putObject("meta").putObject("patch_properties").putArray("unset");
            custom.forEach(unset::add);
        }
        return resource;
    }
}
