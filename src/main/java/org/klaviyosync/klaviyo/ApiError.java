package org.klaviyosync.klaviyo;

import java.util.Map;

/**
 * One entry of a JSON:API {@code errors} array.
 *
 * @param status    HTTP status as Klaviyo wrote it in the error, or 0 when missing or unreadable
 * @param pointer   {@code source.pointer}, e.g. {@code /data/attributes/email}, or null
 * @param parameter {@code source.parameter}, e.g. {@code include}, or null
 * @param meta      {@code meta} object (e.g. {@code duplicate_profile_id}), never null
 */
public record ApiError(String id, int status, String code, String title, String detail, String pointer,
                       String parameter, Map<String, Object> meta) {

    public ApiError {
        meta = meta == null ? Map.of() : Map.copyOf(meta);
    }

    /** The most specific human text: detail, else title, else code. */
    public String message() {
        if (detail != null && !detail.isBlank()) {
            return detail;
        }
        if (title != null && !title.isBlank()) {
            return title;
        }
        return code != null ? code : "unknown error";
    }

    /** {@code code: message (at pointer)}, for logs and rejection reasons. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (code != null) {
            sb.append(code).append(": ");
        }
        sb.append(message());
        if (pointer != null) {
            sb.append(" (at ").append(pointer).append(')');
        } else if (parameter != null) {
            sb.append(" (parameter ").append(parameter).append(')');
        }
        return sb.toString();
    }
}
