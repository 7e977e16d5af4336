package org.klaviyosync.standin;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request the stand-in received. The body is kept as the bytes that arrived and decoded only when
 * {@link #body()} is called.
 */
public final class RecordedRequest {

    /** {@link #responseStatus()} of a request whose connection was closed without an answer. */
    public static final int DROPPED = -1;

    private final String method;
    private final String path;
    private final String query;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final int responseStatus;

    /**
     * @param body the request body as received (not copied; the stand-in never changes it), or null
     *             when bodies are not recorded
     */
    RecordedRequest(String method, String path, String query, Map<String, List<String>> headers, byte[] body,
                    int responseStatus) {
        this.method = method;
        this.path = path;
        this.query = query;
        this.headers = Map.copyOf(headers);
        this.body = body;
        this.responseStatus = responseStatus;
    }

    /** HTTP method. */
    public String method() {
        return method;
    }

    /** Path as sent (not decoded), e.g. {@code /api/lists}. */
    public String path() {
        return path;
    }

    /** Raw query string as sent, or null. */
    public String query() {
        return query;
    }

    /** Request headers, names in lower case. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /**
     * Request body as UTF-8 text (empty when none), or null when the stand-in was told not to record
     * bodies ({@link KlaviyoStandIn#setRecordRequestBodies(boolean)}).
     */
    public String body() {
        return body == null ? null : new String(body, StandardCharsets.UTF_8);
    }

    /** A copy of the request body's bytes (empty when none), or null when bodies are not recorded. */
    public byte[] bodyBytes() {
        return body == null ? null : body.clone();
    }

    /** Status answered; {@link #DROPPED} when the connection was dropped on purpose. */
    public int responseStatus() {
        return responseStatus;
    }

    /** First value of a header (name case-insensitive), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    @Override
    public String toString() {
        return method + " " + path + (query == null ? "" : "?" + query) + " -> " + responseStatus;
    }
}
