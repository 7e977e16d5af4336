package org.klaviyosync.standin;

import java.util.HashMap;
import java.util.Map;

/**
 * Klaviyo-style fixed-window limits per bucket: a burst window of one second and a steady window of
 * one minute, both aligned to the wall clock. Either window can refuse a request; refused requests
 * are not counted. Headers describe the steady window.
 */
public final class RateLimiter {

    /** Bulk job creation, {@code POST /api/profile-bulk-import-jobs}: 10/s, 150/m. */
    public static final String BULK_IMPORT_CREATE = "bulk-import-create";
    /** Bulk create events, {@code POST /api/event-bulk-create-jobs}: 10/s, 150/m. */
    public static final String EVENT_BULK_CREATE = "event-bulk-create";
    /** Bulk Subscribe Profiles: 75/s, 750/m. */
    public static final String SUBSCRIBE = "subscribe";
    /** Bulk Unsubscribe Profiles: 75/s, 750/m. */
    public static final String UNSUBSCRIBE = "unsubscribe";
    /** Everything read under {@code /api/profile-bulk-import-jobs} (poll, list, import-errors, profiles): 10/s, 150/m. */
    public static final String BULK_IMPORT_READ = "bulk-import-read";
    /** {@code POST /api/profile-import}: 75/s, 750/m. */
    public static final String PROFILE_IMPORT = "profile-import";
    /** {@code POST /api/lists} and {@code POST /api/lists/{id}/relationships/profiles}: 10/s, 150/m. */
    public static final String LIST_WRITE = "list-write";
    /** {@code DELETE /api/lists/{id}/relationships/profiles}: 10/s, 150/m. */
    public static final String LIST_REMOVE = "list-remove";
    /** {@code GET /api/lists}, {@code GET /api/lists/{id}} and list membership reads: 75/s, 750/m. */
    public static final String LIST_READ = "list-read";
    /** {@code GET /api/lists/{id}?additional-fields[list]=profile_count}: 1/s, 15/m. */
    public static final String LIST_PROFILE_COUNT = "list-profile-count";
    /** {@code GET /api/profiles}: 75/s, 750/m. */
    public static final String PROFILE_READ = "profile-read";
    /** Paths the stand-in does not know (answered 404): 75/s, 700/m (tier L). */
    public static final String OTHER = "other";

    /** What one check decided. */
    record Decision(boolean allowed, int limit, int remaining, int resetSeconds, int retryAfterSeconds) {
    }

    private static final class Bucket {
        int perSecond;
        int perMinute;
        long second = -1;
        int secondCount;
        long minute = -1;
        int minuteCount;

        Bucket(int perSecond, int perMinute) {
            this.perSecond = perSecond;
            this.perMinute = perMinute;
        }

        void roll(long now) {
            long s = now / 1000;
            long m = now / 60_000;
            if (s != second) {
                second = s;
                secondCount = 0;
            }
            if (m != minute) {
                minute = m;
                minuteCount = 0;
            }
        }
    }

    private final Map<String, Bucket> buckets = new HashMap<>();
    private boolean enabled = true;

    RateLimiter() {
        restoreDefaults();
    }

    synchronized void restoreDefaults() {
        buckets.clear();
        buckets.put(BULK_IMPORT_CREATE, new Bucket(10, 150));
        buckets.put(BULK_IMPORT_READ, new Bucket(10, 150));
        buckets.put(EVENT_BULK_CREATE, new Bucket(10, 150));
        buckets.put(SUBSCRIBE, new Bucket(75, 750));
        buckets.put(UNSUBSCRIBE, new Bucket(75, 750));
        buckets.put(PROFILE_IMPORT, new Bucket(75, 750));
        buckets.put(LIST_WRITE, new Bucket(10, 150));
        buckets.put(LIST_REMOVE, new Bucket(10, 150));
        buckets.put(LIST_READ, new Bucket(75, 750));
        buckets.put(LIST_PROFILE_COUNT, new Bucket(1, 15));
        buckets.put(PROFILE_READ, new Bucket(75, 750));
        buckets.put(OTHER, new Bucket(75, 700));
    }

    synchronized void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    synchronized void setLimits(String bucket, int perSecond, int perMinute) {
        if (perSecond < 1 || perMinute < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        Bucket b = bucket(bucket);
        b.perSecond = perSecond;
        b.perMinute = perMinute;
    }

    /** Forgets the counts of every window (limits stay). */
    synchronized void clearWindows() {
        for (Bucket b : buckets.values()) {
            b.second = -1;
            b.minute = -1;
        }
    }

    synchronized Decision acquire(String name, long now) {
        Bucket b = bucket(name);
        b.roll(now);
        if (enabled) {
            if (b.minuteCount >= b.perMinute) {
                return refused(b, secondsUntil((b.minute + 1) * 60_000, now));
            }
            if (b.secondCount >= b.perSecond) {
                return refused(b, secondsUntil((b.second + 1) * 1000, now));
            }
        }
        b.secondCount++;
        b.minuteCount++;
        return state(b, now);
    }

    /** The steady-window state without counting a request. */
    synchronized Decision peek(String name, long now) {
        Bucket b = bucket(name);
        b.roll(now);
        return state(b, now);
    }

    private static Decision refused(Bucket b, int retryAfter) {
        return new Decision(false, b.perMinute, 0, retryAfter, retryAfter);
    }

    private static Decision state(Bucket b, long now) {
        return new Decision(true, b.perMinute, Math.max(0, b.perMinute - b.minuteCount),
                secondsUntil((b.minute + 1) * 60_000, now), 0);
    }

    private static int secondsUntil(long end, long now) {
        return (int) Math.max(1, (end - now + 999) / 1000);
    }

    private Bucket bucket(String name) {
        Bucket b = buckets.get(name);
        if (b == null) {
            throw new IllegalArgumentException("unknown rate-limit bucket " + name + "; known: " + buckets.keySet());
        }
        return b;
    }
}
