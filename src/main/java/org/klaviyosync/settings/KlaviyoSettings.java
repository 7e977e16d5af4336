package org.klaviyosync.settings;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.klaviyosync.klaviyo.RateLimit;
import org.klaviyosync.klaviyo.RetryPolicy;

/** The Klaviyo API: the key, where it is, the bulk jobs' sizes and pace, retries and the rate limits. */
public final class KlaviyoSettings {

    public static final Setting<String> API_KEY = Setting.secret("klaviyo.api-key")
            .withoutDefaultMeaning("(dry run)")
            .describedAs("A private key `pk_...` with `profiles:read`, `profiles:write`, `lists:read`, `lists:write`."
                    + " Without it every run is a dry run: nothing is sent.");

    public static final Setting<String> BASE_URL = Setting.text("klaviyo.base-url", "https://a.klaviyo.com")
            .matching("https?://.+", "an http:// or https:// URL")
            .describedAs("Klaviyo's API.");

    public static final Setting<String> REVISION = Setting.text("klaviyo.revision", "2026-07-15")
            .matching("\\d{4}-\\d{2}-\\d{2}(\\.[a-z]+)?", "a revision date such as 2026-07-15")
            .describedAs("The API revision every request pins (the contract the payloads were checked against).");

    public static final Setting<Long> CONNECT_TIMEOUT_MS = Setting.longNumber("klaviyo.connect-timeout-ms", 10_000L)
            .atLeast(1)
            .describedAs("How long to wait for a connection to Klaviyo (milliseconds).");

    public static final Setting<Long> RESPONSE_TIMEOUT_MS = Setting.longNumber("klaviyo.response-timeout-ms", 60_000L)
            .atLeast(1)
            .describedAs("How long to wait for Klaviyo's answer (milliseconds); a timeout is retried.");

    public static final Setting<Integer> BATCH_MAX_PROFILES = Setting.wholeNumber("klaviyo.batch.max-profiles", 10_000)
            .between(1, 10_000)
            .describedAs("Profiles per bulk import job (Klaviyo allows at most 10,000).");

    public static final Setting<Long> BATCH_MAX_BYTES = Setting.longNumber("klaviyo.batch.max-bytes", 5_000_000L)
            .between(1, 5_000_000)
            .describedAs("Bytes per bulk import job (Klaviyo allows at most 5 MB).");

    public static final Setting<Integer> SUBMIT_THREADS = Setting.wholeNumber("klaviyo.submit-threads", 4).atLeast(1)
            .describedAs("Bulk jobs submitted at once (each request up to 5 MB).");

    public static final Setting<Integer> SUBMIT_QUEUE = Setting.wholeNumber("klaviyo.submit-queue", 4).atLeast(1)
            .describedAs("Full batches waiting for a submitter before reading the model waits too (about 3 MB"
                    + " each).");

    public static final Setting<Integer> EVENT_SUBMIT_THREADS = Setting.wholeNumber("klaviyo.event-submit-threads", 4)
            .atLeast(1)
            .describedAs("Bulk create events requests (1,000 events each) in flight at once, across event syncs;"
                    + " as many full batches wait for them before reading the model waits too.");

    public static final Setting<Integer> MAX_PENDING_JOBS = Setting.wholeNumber("klaviyo.max-pending-jobs", 200)
            .atLeast(1)
            .describedAs("Bulk jobs accepted but not yet complete before a submitter waits for the oldest: 200"
                    + " keeps Klaviyo's 150 job creations a minute going with jobs of up to 80 s. Each holds its"
                    + " rows' bookkeeping (up to 2.5 MB a job of 10,000): a heap too small for it lowers the cap"
                    + " to what fits in half of it, and says so at start-up.");

    public static final Setting<Long> JOB_POLL_INTERVAL_MS = Setting.longNumber("klaviyo.job-poll-interval-ms", 200L)
            .atLeast(1)
            .describedAs("Job states are learned for many jobs a call (job listings): the first look at a new"
                    + " job and the shortest time between looks (milliseconds); a job is looked at again after"
                    + " half its age.");

    public static final Setting<Long> JOB_POLL_MAX_INTERVAL_MS = Setting.longNumber("klaviyo.job-poll-max-interval-ms",
            30_000L).atLeast(1)
            .describedAs("The longest time between looks at an old job (milliseconds).");

    public static final Setting<Integer> JOB_READS_PER_MINUTE = Setting.wholeNumber("klaviyo.job-reads-per-minute", 100)
            .atLeast(1)
            .describedAs("Calls a minute the looks at jobs may use of Klaviyo's 150 job reads (import-error reads"
                    + " and other processes on the key use the rest).");

    public static final Setting<Long> JOB_TIMEOUT_MS = Setting.longNumber("klaviyo.job-timeout-ms", 1_800_000L)
            .atLeast(1)
            .describedAs("How long a job may stay unfinished before its rows are deferred (milliseconds).");

    public static final Setting<Integer> RETRY_MAX_ATTEMPTS = Setting.wholeNumber("klaviyo.retry.max-attempts",
            RetryPolicy.DEFAULT_MAX_ATTEMPTS).atLeast(1)
            .describedAs("Tries of one call: a 429 waits its Retry-After; 5xx answers, timeouts and dropped"
                    + " connections back off exponentially with +-50% jitter.");

    public static final Setting<Long> RETRY_BASE_DELAY_MS = Setting.longNumber("klaviyo.retry.base-delay-ms",
            RetryPolicy.DEFAULT_BASE_DELAY.toMillis()).atLeast(1)
            .describedAs("The first back-off (milliseconds), doubled at each retry.");

    public static final Setting<Long> RETRY_MAX_DELAY_MS = Setting.longNumber("klaviyo.retry.max-delay-ms",
            RetryPolicy.DEFAULT_MAX_DELAY.toMillis()).atLeast(1)
            .describedAs("The longest back-off (milliseconds).");

    public static final Setting<Integer> OUTAGE_FAILURES = Setting.wholeNumber("klaviyo.outage.failures", 5).atLeast(1)
            .describedAs("Calls in a row that exhausted their retries before Klaviyo is taken for down: the running"
                    + " syncs end failed with their unsent rows deferred.");

    public static final Setting<Long> OUTAGE_COOL_DOWN_MS = Setting.longNumber("klaviyo.outage.cool-down-ms", 60_000L)
            .atLeast(1)
            .describedAs("How long nothing is sent to Klaviyo once it is taken for down (milliseconds).");

    public static final Setting<Integer> LIST_CREATE_DAILY_CAP = Setting.wholeNumber("klaviyo.list-create-daily-cap",
            150).atLeast(0)
            .describedAs("Lists created per day (Klaviyo allows 150).");

    /**
     * Each Klaviyo rate limit's burst and steady rate ({@link RateLimit} states the documented
     * values): {@code klaviyo.limits.<limit>.per-second} and {@code .per-minute}.
     */
    public static final List<Setting<Integer>> RATE_LIMITS;

    private static final Map<RateLimit, Setting<Integer>> PER_SECOND = new EnumMap<>(RateLimit.class);
    private static final Map<RateLimit, Setting<Integer>> PER_MINUTE = new EnumMap<>(RateLimit.class);

    static {
        List<Setting<Integer>> limits = new ArrayList<>();
        for (RateLimit limit : RateLimit.values()) {
            String prefix = "klaviyo.limits." + limit.id();
            Setting<Integer> perSecond = Setting.wholeNumber(prefix + ".per-second", limit.burstPerSecond()).atLeast(1)
                    .describedAs("Calls per second of the " + limit.id() + " rate limit (" + limit.describe()
                            + "); Klaviyo's documented burst.");
            Setting<Integer> perMinute = Setting.wholeNumber(prefix + ".per-minute", limit.steadyPerMinute())
                    .atLeast(1)
                    .describedAs("Calls per minute of the " + limit.id() + " rate limit; Klaviyo's documented steady"
                            + " rate.");
            PER_SECOND.put(limit, perSecond);
            PER_MINUTE.put(limit, perMinute);
            limits.add(perSecond);
            limits.add(perMinute);
        }
        RATE_LIMITS = List.copyOf(limits);
    }

    private KlaviyoSettings() {
    }

    /** The setting of {@code limit}'s burst (calls per second). */
    public static Setting<Integer> perSecond(RateLimit limit) {
        return PER_SECOND.get(limit);
    }

    /** The setting of {@code limit}'s steady rate (calls per minute). */
    public static Setting<Integer> perMinute(RateLimit limit) {
        return PER_MINUTE.get(limit);
    }
}
