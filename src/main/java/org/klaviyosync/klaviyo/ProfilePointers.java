package org.klaviyosync.klaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which profile of a bulk import job an error is about: by the JSON pointer Klaviyo gives
 * ({@code /data/attributes/profiles/data/<i>/...}), or by the identifier in the profile it echoes.
 */
public final class ProfilePointers {

    private static final Pattern PROFILE_POINTER = Pattern.compile("^/data/attributes/profiles/data/(\\d+)(/.*)?$");

    private ProfilePointers() {
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

    /**
     * The field inside the profile a pointer names, dotted ({@code attributes.email}), or empty when it
     * names the whole profile or no profile.
     */
    public static String fieldOf(String pointer) {
        Matcher m = pointer == null ? null : PROFILE_POINTER.matcher(pointer);
        return m != null && m.matches() && m.group(2) != null ? m.group(2).substring(1).replace('/', '.') : "";
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
}
