package org.klaviyosync.klaviyo;

/**
 * One HTTP call to Klaviyo.
 *
 * @param method     GET, POST, PATCH or DELETE
 * @param pathAndQuery path below the base URL, starting with {@code /api/}, with an already
 *                   encoded query string if any
 * @param bucket     the rate-limit bucket the call counts against
 * @param body       JSON:API body, or null
 */
public record KlaviyoRequest(String method, String pathAndQuery, RateLimitBucket bucket, byte[] body) {

    public static KlaviyoRequest get(String pathAndQuery, RateLimitBucket bucket) {
        return new KlaviyoRequest("GET", pathAndQuery, bucket, null);
    }

    public static KlaviyoRequest post(String pathAndQuery, RateLimitBucket bucket, byte[] body) {
        return new KlaviyoRequest("POST", pathAndQuery, bucket, body);
    }

    /** A DELETE with a JSON:API body (removing relationships). */
    public static KlaviyoRequest delete(String pathAndQuery, RateLimitBucket bucket, byte[] body) {
        return new KlaviyoRequest("DELETE", pathAndQuery, bucket, body);
    }
}
