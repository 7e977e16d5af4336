package org.klaviyosync.klaviyo;

/**
 * The kind of a Klaviyo call, as counted in the metrics ({@code endpoint} label), and the
 * {@link RateLimit} it is paced by: list reads and profile reads share one.
 */
public enum RateLimitBucket {
    BULK_IMPORT("bulk-import", RateLimit.BULK_IMPORT),
    EVENT_CREATE("event-create", RateLimit.EVENT_CREATE),
    /** Polling jobs, listing jobs and reading their import errors, paced apart from the imports. */
    BULK_JOB_READ("bulk-job-read", RateLimit.BULK_JOB_READ),
    PROFILE_IMPORT("profile-import", RateLimit.PROFILE_IMPORT),
    LIST_WRITE("list-write", RateLimit.LIST_WRITE),
    LIST_REMOVE("list-remove", RateLimit.LIST_REMOVE),
    LIST_READ("list-read", RateLimit.READS),
    PROFILE_READ("profile-read", RateLimit.READS),
    SUBSCRIBE("subscribe", RateLimit.SUBSCRIBE),
    UNSUBSCRIBE("unsubscribe", RateLimit.UNSUBSCRIBE);

    private final String headerValue;
    private final RateLimit rateLimit;

    RateLimitBucket(String headerValue, RateLimit rateLimit) {
        this.headerValue = headerValue;
        this.rateLimit = rateLimit;
    }

    /** The bucket's name, e.g. {@code list-read} (the metrics' {@code endpoint} label). */
    public String headerValue() {
        return headerValue;
    }

    /** The limit this bucket's calls count against. */
    public RateLimit rateLimit() {
        return rateLimit;
    }
}
