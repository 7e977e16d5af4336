package org.klaviyosync.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.function.Function;

/**
 * Cursor pages. A cursor is opaque to clients; it carries the offset and a fingerprint of the path,
 * filter and sort, so a cursor replayed with another query is refused (400, parameter page[cursor]).
 * {@code links.next} / {@code links.prev} are absolute URLs and are absent when there is no such page.
 */
final class Paging {

    static final String SIZE = "page[size]";
    static final String CURSOR = "page[cursor]";

    private Paging() {
    }

    static <T> ObjectNode page(ApiRequest req, List<T> all, int defaultSize, int maxSize, Function<T, JsonNode> render) {
        int size = size(req, defaultSize, maxSize);
        int offset = offset(req);
        if (offset > all.size()) {
            throw JsonApiErrors.invalidParameter(CURSOR, "The page cursor is out of range.");
        }
        int end = Math.min(all.size(), offset + size);
        ObjectNode root = StandInJson.object();
        ArrayNode data = root.putArray("data");
        for (T item : all.subList(offset, end)) {
            data.add(render.apply(item));
        }
        ObjectNode links = root.putObject("links");
        links.put("self", link(req, offset == 0 ? null : cursor(req, offset)));
        if (end < all.size()) {
            links.put("next", link(req, cursor(req, end)));
        }
        if (offset > 0) {
            int prev = Math.max(0, offset - size);
            links.put("prev", link(req, prev == 0 ? null : cursor(req, prev)));
        }
        return root;
    }

    static int size(ApiRequest req, int defaultSize, int maxSize) {
        String raw = req.param(SIZE);
        if (raw == null) {
            return defaultSize;
        }
        int size;
        try {
            size = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw JsonApiErrors.invalidParameter(SIZE, "page[size] must be an integer.");
        }
        if (size < 1 || size > maxSize) {
            throw JsonApiErrors.invalidParameter(SIZE,
                    "page[size] must be between 1 and " + maxSize + ", got " + size + ".");
        }
        return size;
    }

    private static int offset(ApiRequest req) {
        String raw = req.param(CURSOR);
        if (raw == null) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
            String[] parts = text.split(":");
            if (parts.length == 3 && parts[0].equals("o") && parts[2].equals(fingerprint(req))) {
                int offset = Integer.parseInt(parts[1]);
                if (offset > 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw JsonApiErrors.invalidParameter(CURSOR, "Invalid page cursor.");
    }

    private static String cursor(ApiRequest req, int offset) {
        String text = "o:" + offset + ":" + fingerprint(req);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String fingerprint(ApiRequest req) {
        return Integer.toHexString(Objects.hash(req.path(), req.param("filter"), req.param("sort")));
    }

    /** Absolute URL of this request with page[cursor] replaced (removed when cursor is null). */
    private static String link(ApiRequest req, String cursor) {
        StringJoiner q = new StringJoiner("&");
        for (Map.Entry<String, String> p : req.params().entrySet()) {
            if (!p.getKey().equals(CURSOR)) {
                q.add(enc(p.getKey()) + "=" + enc(p.getValue()));
            }
        }
        if (cursor != null) {
            q.add(enc(CURSOR) + "=" + enc(cursor));
        }
        String query = q.toString();
        return req.baseUrl() + req.path() + (query.isEmpty() ? "" : "?" + query);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
