package org.klaviyosync.klaviyo;

/**
 * Klaviyo's documented per-endpoint limits (burst per second, steady per minute). The Camel
 * route {@code klaviyo-api} throttles each bucket; names are the {@code klaviyoBucket} header values.
 */
public enum RateLimitBucket {
    BULK_IMPORT("bulk-import", 10, 150),
    /** Polling jobs, listing jobs and reading their import errors: 10/s, 150/min of their own. */
    BULK_JOB_READ("bulk-job-read", 10, 150),
    PROFILE_IMPORT("profile-import", 75, 750),
    LIST_WRITE("list-write", 10, 150),
    LIST_READ("list-read", 75, 750),
    PROFILE_READ("profile-read", 75, 750);

    private final String headerValue;
    private final int burstPerSecond;
    private final int steadyPerMinute;

    RateLimitBucket(String headerValue, int burstPerSecond, int steadyPerMinute) {
        this.headerValue = headerValue;
        this.burstPerSecond = burstPerSecond;
        this.steadyPerMinute = steadyPerMinute;
    }

    public String headerValue() {
        return headerValue;
    }

    public int burstPerSecond() {
        return burstPerSecond;
    }

    public int steadyPerMinute() {
        return steadyPerMinute;
    }
}
