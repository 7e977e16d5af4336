package org.klaviyosync.klaviyo;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What Klaviyo answered: status, headers (names case-insensitive) and body bytes (possibly empty). */
public record KlaviyoResponse(int status, Map<String, String> headers, byte[] body) {

    public KlaviyoResponse {
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            h.putAll(headers);
        }
        headers = h;
        body = body == null ? new byte[0] : body;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }
}
