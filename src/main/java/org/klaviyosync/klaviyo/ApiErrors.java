package org.klaviyosync.klaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads Klaviyo's error bodies leniently. */
public final class ApiErrors {

    /** Longest raw body text kept when an error body is not JSON:API. */
    public static final int MAX_RAW_TEXT = 500;

    private static final Pattern KEY_LIKE = Pattern.compile("\\bpk_[A-Za-z0-9_]+");

    private ApiErrors() {
    }

    /**
     * The errors of a response body. A JSON body with an {@code errors} array gives one entry per
     * element; any other non-empty body gives one error whose detail is the (truncated) raw text;
     * an empty body gives an empty list.
     */
    public static List<ApiError> parse(byte[] body, ObjectMapper json) {
        if (body == null || body.length == 0) {
            return List.of();
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return List.of();
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException | RuntimeException e) {
            root = null;
        }
        JsonNode errors = root == null ? null : root.get("errors");
        if (errors == null || !errors.isArray() || errors.isEmpty()) {
            return List.of(new ApiError(null, 0, null, "Unreadable error response", truncate(text), null, null,
                    Map.of()));
        }
        List<ApiError> out = new ArrayList<>(errors.size());
        for (JsonNode e : errors) {
            out.add(one(e, json));
        }
        return List.copyOf(out);
    }

    /** A short sentence for a failed response: {@code HTTP 400 invalid: detail (at pointer); ...}. */
    public static String summarize(int status, List<ApiError> errors) {
        StringBuilder sb = new StringBuilder("HTTP ").append(status);
        if (!errors.isEmpty()) {
            sb.append(' ');
            for (int i = 0; i < errors.size() && i < 3; i++) {
                if (i > 0) {
                    sb.append("; ");
                }
                sb.append(errors.get(i).describe());
            }
            if (errors.size() > 3) {
                sb.append("; and ").append(errors.size() - 3).append(" more");
            }
        }
        return scrub(sb.toString());
    }

    /** Parses and summarizes in one step. */
    public static String summarize(KlaviyoResponse response, ObjectMapper json) {
        return summarize(response.status(), parse(response.body(), json));
    }

    /** Removes anything shaped like a private API key from text meant for logs or messages. */
    public static String scrub(String text) {
        return text == null ? null : KEY_LIKE.matcher(text).replaceAll("pk_***");
    }

    static String truncate(String text) {
        String t = text.strip();
        return t.length() <= MAX_RAW_TEXT ? t : t.substring(0, MAX_RAW_TEXT) + "...";
    }

    private static ApiError one(JsonNode e, ObjectMapper json) {
        JsonNode source = e.path("source");
        Map<String, Object> meta = new LinkedHashMap<>();
        JsonNode metaNode = e.get("meta");
        if (metaNode != null && metaNode.isObject()) {
            Map<?, ?> converted = json.convertValue(metaNode, Map.class);
            converted.forEach((k, v) -> {
                if (v != null) {
                    meta.put(String.valueOf(k), v);
                }
            });
        }
        return new ApiError(text(e.get("id")), status(e.get("status")), text(e.get("code")), text(e.get("title")),
                text(e.get("detail")), text(source.get("pointer")), text(source.get("parameter")), meta);
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode() || node.isContainerNode()) {
            return null;
        }
        return node.asText();
    }

    private static int status(JsonNode node) {
        if (node == null || node.isNull()) {
            return 0;
        }
        if (node.isIntegralNumber()) {
            return node.asInt();
        }
        if (node.isTextual()) {
            try {
                return Integer.parseInt(node.asText().trim());
            } catch (NumberFormatException ignored) {
                return 0;
            }
        }
        return 0;
    }
}
