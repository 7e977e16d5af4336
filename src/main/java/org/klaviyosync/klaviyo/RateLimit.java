package org.klaviyosync.klaviyo;

/**
 * Klaviyo's documented rate limits, each paced by a throttle of its own in the route
 * {@code klaviyo-api}: a burst per second and a steady rate per minute. This is the one place the
 * documented limits are stated (the settings {@code klaviyo.limits.<id>.per-second} and
 * {@code .per-minute} default to them); {@link RateLimitBucket} says which limit each kind of call
 * counts against.
 */
public enum RateLimit {
    BULK_IMPORT("bulk-import", 10, 150, "bulk import job submissions"),
    EVENT_CREATE("event-create", 10, 150, "bulk create events jobs (event syncs)"),
    BULK_JOB_READ("bulk-job-read", 10, 150, "polling a job, listing jobs, reading a job's import errors"),
    LIST_WRITE("list-write", 10, 150, "list creation and adding profiles to lists"),
    LIST_REMOVE("list-remove", 10, 150, "removing profiles from lists (listMode=mirror)"),
    PROFILE_IMPORT("profile-import", 75, 750, "single profile imports, clearing a property a model sets to NULL"),
    READS("reads", 75, 750, "list reads and profile reads, counted together"),
    SUBSCRIBE("subscribe", 75, 750, "subscribing profiles to marketing (emailConsent, smsConsent)"),
    UNSUBSCRIBE("unsubscribe", 75, 750, "unsubscribing profiles from marketing (emailConsent, smsConsent)");

    private final String id;
    private final int burstPerSecond;
    private final int steadyPerMinute;
    private final String calls;

    RateLimit(String id, int burstPerSecond, int steadyPerMinute, String calls) {
        this.id = id;
        this.burstPerSecond = burstPerSecond;
        this.steadyPerMinute = steadyPerMinute;
        this.calls = calls;
    }

    /** The limit's name in settings, in the {@code klaviyoRateLimit} header and in its throttle route's id. */
    public String id() {
        return id;
    }

    /** Klaviyo's documented burst: calls per second. */
    public int burstPerSecond() {
        return burstPerSecond;
    }

    /** Klaviyo's documented steady rate: calls per minute. */
    public int steadyPerMinute() {
        return steadyPerMinute;
    }

    /** The calls that count against it. */
    public String describe() {
        return calls;
    }
}
