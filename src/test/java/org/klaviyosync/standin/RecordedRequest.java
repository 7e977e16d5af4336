package org.klaviyosync.standin;

import java.util.List;
import java.util.Map;

/**
 * One request the stand-in received.
 *
 * @param method         HTTP method
 * @param path           path as sent (not decoded), e.g. {@code /api/lists}
 * @param query          raw query string as sent, or null
 * @param headers        request headers, names in lower case
 * @param body           request body as UTF-8 text (empty when none)
 * @param responseStatus status answered; {@link #DROPPED} when the connection was dropped on purpose
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
                              String body, int responseStatus) {

    /** {@link #responseStatus()} of a request whose connection was closed without an answer. */
    public static final int DROPPED = -1;

    public RecordedRequest {
        headers = Map.copyOf(headers);
    }

    /** First value of a header (name case-insensitive), or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
