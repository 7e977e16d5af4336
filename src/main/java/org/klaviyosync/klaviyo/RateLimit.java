package org.klaviyosync.klaviyo;

/**
 * Klaviyo's documented rate limits, each paced by a throttle of its own in the route
 * {@code klaviyo-api}: a burst per second and a steady rate per minute. This is the one place the
 * limits, their setting names and their defaults are stated; {@link RateLimitBucket} says which
 * limit each kind of call counts against.
 */
public enum RateLimit {
    /** Bulk import job submissions. */
    BULK_IMPORT("bulk-import", 10, 150),
    /** Bulk create events jobs (event syncs). */
    EVENT_CREATE("event-create", 10, 150),
    /** Bulk import job reads: polling a job, listing jobs, reading a job's import errors. */
    BULK_JOB_READ("bulk-job-read", 10, 150),
    /** List creation and adding profiles to lists. */
    LIST_WRITE("list-write", 10, 150),
    /** Single profile imports (clearing a property a model sets to NULL). */
    PROFILE_IMPORT("profile-import", 75, 750),
    /** List reads and profile reads, counted together. */
    READS("reads", 75, 750);

    private final String id;
    private final int burstPerSecond;
    private final int steadyPerMinute;

    RateLimit(String id, int burstPerSecond, int steadyPerMinute) {
        this.id = id;
        this.burstPerSecond = burstPerSecond;
        this.steadyPerMinute = steadyPerMinute;
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

    /** The setting that overrides the burst ({@code klaviyo.limits.<id>.per-second}). */
    public String perSecondKey() {
        return "klaviyo.limits." + id + ".per-second";
    }

    /** The setting that overrides the steady rate ({@code klaviyo.limits.<id>.per-minute}). */
    public String perMinuteKey() {
        return "klaviyo.limits." + id + ".per-minute";
    }
}
