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
import java.util.function.ToLongFunction;

/**
 * Cursor pages. A cursor is opaque to clients; it carries the offset (or, for keyset pages, the key of
 * the item the page starts after or ends before) and a fingerprint of the path, filter and sort, so a
 * cursor replayed with another query is refused (400, parameter page[cursor]).
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

    /** A keyset cursor: the page starts right after the item with {@code key}, or ends right before it. */
    record KeyCursor(boolean after, long key) {
    }

    /** The request's keyset cursor, null when it has none; 400 when it is not one this query issued. */
    static KeyCursor keyCursor(ApiRequest req) {
        String raw = req.param(CURSOR);
        if (raw == null) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(raw), StandardCharsets.UTF_8);
            String[] parts = text.split(":");
            if (parts.length == 4 && parts[0].equals("k") && (parts[1].equals("a") || parts[1].equals("b"))
                    && parts[3].equals(fingerprint(req))) {
                return new KeyCursor(parts[1].equals("a"), Long.parseLong(parts[2]));
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw JsonApiErrors.invalidParameter(CURSOR, "Invalid page cursor.");
    }

    /** A rendered page and the items on it. */
    record Page<T>(ObjectNode document, List<T> items) {
    }

    /**
     * A page of {@code ordered}, whose items carry unique keys that rise along the list (fall, when
     * {@code descending}). The cursors name the key a page starts after or ends before, not an offset,
     * so items that join or leave the result between two requests do not shift the other items across
     * pages.
     */
    static <T> Page<T> keysetPage(ApiRequest req, List<T> ordered, ToLongFunction<T> key, boolean descending,
                                  int size, KeyCursor cursor, Function<T, JsonNode> render) {
        int n = ordered.size();
        int start;
        int end;
        if (cursor == null) {
            start = 0;
            end = Math.min(n, size);
        } else if (cursor.after()) {
            start = firstNotBefore(ordered, key, descending, cursor.key(), true);
            end = Math.min(n, start + size);
        } else {
            end = firstNotBefore(ordered, key, descending, cursor.key(), false);
            start = Math.max(0, end - size);
        }
        ObjectNode root = StandInJson.object();
        ArrayNode data = root.putArray("data");
        List<T> items = ordered.subList(start, end);
        for (T item : items) {
            data.add(render.apply(item));
        }
        ObjectNode links = root.putObject("links");
        links.put("self", link(req, req.param(CURSOR)));
        if (end < n) {
            links.put("next", link(req, end == 0 ? null : keyCursor(req, true, key.applyAsLong(ordered.get(end - 1)))));
        }
        if (start > 0) {
            // before the first item of this page; on an empty page past the end, after the last item
            long bound = start < n ? key.applyAsLong(ordered.get(start))
                    : key.applyAsLong(ordered.get(n - 1)) + (descending ? -1 : 1);
            links.put("prev", link(req, keyCursor(req, false, bound)));
        }
        return new Page<>(root, List.copyOf(items));
    }

    /**
     * Index of the first item that comes after {@code key} ({@code strictlyAfter}) or is not before it,
     * in the list's order.
     */
    private static <T> int firstNotBefore(List<T> ordered, ToLongFunction<T> key, boolean descending, long bound,
                                          boolean strictlyAfter) {
        int lo = 0;
        int hi = ordered.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            long k = key.applyAsLong(ordered.get(mid));
            int c = descending ? Long.compare(bound, k) : Long.compare(k, bound);
            boolean inPage = strictlyAfter ? c > 0 : c >= 0;
            if (inPage) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private static String keyCursor(ApiRequest req, boolean after, long key) {
        String text = "k:" + (after ? "a" : "b") + ":" + key + ":" + fingerprint(req);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
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
