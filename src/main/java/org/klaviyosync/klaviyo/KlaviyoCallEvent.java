package org.klaviyosync.klaviyo;

import java.time.Duration;

/**
 * One attempt of one Klaviyo call, published to {@link KlaviyoApi} listeners (e.g. for metrics).
 *
 * @param bucket  rate-limit bucket of the call
 * @param method  HTTP method
 * @param path    path without query string
 * @param status  HTTP status, or {@link #NO_ANSWER} when the transport failed with an I/O error
 * @param attempt 1 for the first try of this call, 2 for the first retry, ...
 * @param elapsed time spent in the transport for this attempt
 */
public record KlaviyoCallEvent(RateLimitBucket bucket, String method, String path, int status, int attempt,
                               Duration elapsed) {

    public static final int NO_ANSWER = -1;

    public boolean answered() {
        return status != NO_ANSWER;
    }
}
