package org.klaviyosync.standin;

import java.time.Duration;
import java.util.Random;

/**
 * Switchable misbehaviour, all off by default. Random decisions come from one seeded generator, so a
 * test that sets {@link #seed(long)} and sends requests one at a time sees the same faults each run.
 * Setters return this, so they chain: {@code standIn.faults().seed(7).serverErrors(0.3)}.
 */
public final class Faults {

    private long seed = 42;
    private Random random = new Random(seed);
    private String pathPrefix;
    private String method;
    private double serverErrorProbability;
    private int serverErrorStatus;
    private int numberedErrorsFirst;
    private int numberedErrorsLast;
    private int numberedErrorsStatus;
    private int requestsSeen;
    private int stormRemaining;
    private long stormUntilMillis;
    private int stormRetryAfterSeconds = 1;
    private double dropProbability;
    private long delayMillis;
    private long delayMaxMillis;
    private double bulkCreatedThenErrorProbability;
    private double bulkCreatedThenDropProbability;
    private boolean nextBulkJobGone;
    private boolean importErrorsEchoOtherProfiles;
    private boolean bulkJobsSkipLastProfile;

    Faults() {
    }

    /** Reseeds the generator behind every probability. */
    public synchronized Faults seed(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
        return this;
    }

    /** Only requests whose path starts with this prefix get faults (null: all requests). */
    public synchronized Faults onlyForPathsStartingWith(String prefix) {
        this.pathPrefix = prefix;
        return this;
    }

    /** Only requests with this HTTP method get faults (null: every method). */
    public synchronized Faults onlyForMethod(String method) {
        this.method = method;
        return this;
    }

    /** With probability p, answer 500 or 503 (chosen at random) without doing anything. */
    public synchronized Faults serverErrors(double p) {
        return serverErrors(p, 0);
    }

    /** With probability p, answer {@code status} (500 or 503) without doing anything. */
    public synchronized Faults serverErrors(double p, int status) {
        if (status != 0 && status != 500 && status != 503) {
            throw new IllegalArgumentException("status must be 500 or 503");
        }
        this.serverErrorProbability = probability(p);
        this.serverErrorStatus = status;
        return this;
    }

    /**
     * Counting the requests faults apply to from now on (from 1), those numbered {@code first} to
     * {@code last} answer {@code status} (500 or 503) without doing anything: one batch among many
     * ({@code first == last}), or Klaviyo going down mid-run ({@code last = Integer.MAX_VALUE}).
     */
    public synchronized Faults serverErrorsOnRequests(int first, int last, int status) {
        if (status != 500 && status != 503) {
            throw new IllegalArgumentException("status must be 500 or 503");
        }
        this.numberedErrorsFirst = first;
        this.numberedErrorsLast = last;
        this.numberedErrorsStatus = status;
        this.requestsSeen = 0;
        return this;
    }

    /** The next {@code requests} requests get 429 with {@code Retry-After: retryAfterSeconds}. */
    public synchronized Faults tooManyRequests(int requests, int retryAfterSeconds) {
        this.stormRemaining = requests;
        this.stormRetryAfterSeconds = Math.max(1, retryAfterSeconds);
        return this;
    }

    /** Every request during {@code duration} from now gets 429 with {@code Retry-After: retryAfterSeconds}. */
    public synchronized Faults tooManyRequestsFor(Duration duration, int retryAfterSeconds) {
        this.stormUntilMillis = System.currentTimeMillis() + duration.toMillis();
        this.stormRetryAfterSeconds = Math.max(1, retryAfterSeconds);
        return this;
    }

    /** With probability p, close the connection without any answer (the request is not processed). */
    public synchronized Faults dropConnections(double p) {
        this.dropProbability = probability(p);
        return this;
    }

    /** Wait this long before handling each request. */
    public synchronized Faults delay(Duration delay) {
        this.delayMillis = delay.toMillis();
        this.delayMaxMillis = delayMillis;
        return this;
    }

    /**
     * Wait a random time between {@code least} and {@code most} before handling each request, so
     * requests sent side by side are answered in another order than they were sent.
     */
    public synchronized Faults delayBetween(Duration least, Duration most) {
        if (most.compareTo(least) < 0) {
            throw new IllegalArgumentException("most must not be less than least");
        }
        this.delayMillis = least.toMillis();
        this.delayMaxMillis = most.toMillis();
        return this;
    }

    /**
     * With probability p, {@code POST /api/profile-bulk-import-jobs} creates the job (it will be
     * processed as usual) but answers 500.
     */
    public synchronized Faults bulkJobCreatedThenServerError(double p) {
        this.bulkCreatedThenErrorProbability = probability(p);
        return this;
    }

    /**
     * With probability p, {@code POST /api/profile-bulk-import-jobs} creates the job (it will be
     * processed as usual) but the connection is closed without an answer.
     */
    public synchronized Faults bulkJobCreatedThenDropped(double p) {
        this.bulkCreatedThenDropProbability = probability(p);
        return this;
    }

    /**
     * The next bulk import job created answers 404 to every later request about it (polls, import
     * errors, profiles), as if it had expired; it is never processed.
     */
    public synchronized Faults nextBulkJobGone() {
        this.nextBulkJobGone = true;
        return this;
    }

    /**
     * Import errors echo another profile as their {@code original_payload} (an email at
     * {@code elsewhere.test} that no request sent), so they match none of the job's profiles.
     */
    public synchronized Faults importErrorsEchoOtherProfiles() {
        this.importErrorsEchoOtherProfiles = true;
        return this;
    }

    /**
     * A job that completes leaves its last profile out: neither imported nor failed, so its
     * {@code completed_count + failed_count} is one short of {@code total_count}.
     */
    public synchronized Faults bulkJobsSkipLastProfile() {
        this.bulkJobsSkipLastProfile = true;
        return this;
    }

    /** Turns every fault off and reseeds with the current seed. */
    public synchronized Faults clear() {
        pathPrefix = null;
        method = null;
        serverErrorProbability = 0;
        serverErrorStatus = 0;
        numberedErrorsFirst = 0;
        numberedErrorsLast = 0;
        numberedErrorsStatus = 0;
        requestsSeen = 0;
        stormRemaining = 0;
        stormUntilMillis = 0;
        stormRetryAfterSeconds = 1;
        dropProbability = 0;
        delayMillis = 0;
        delayMaxMillis = 0;
        bulkCreatedThenErrorProbability = 0;
        bulkCreatedThenDropProbability = 0;
        nextBulkJobGone = false;
        importErrorsEchoOtherProfiles = false;
        bulkJobsSkipLastProfile = false;
        random = new Random(seed);
        return this;
    }

    synchronized boolean applies(String path) {
        return pathPrefix == null || path.startsWith(pathPrefix);
    }

    synchronized boolean applies(String method, String path) {
        return (this.method == null || this.method.equalsIgnoreCase(method)) && applies(path);
    }

    synchronized long delayMillis() {
        return delayMaxMillis > delayMillis ? delayMillis + random.nextLong(delayMaxMillis - delayMillis + 1)
                : delayMillis;
    }

    synchronized boolean rollDrop() {
        return roll(dropProbability);
    }

    /** Retry-After seconds when this request falls in a 429 storm, else 0. */
    synchronized int stormRetryAfter() {
        if (stormRemaining > 0) {
            stormRemaining--;
            return stormRetryAfterSeconds;
        }
        if (System.currentTimeMillis() < stormUntilMillis) {
            return stormRetryAfterSeconds;
        }
        return 0;
    }

    /** The status of a random server error for this request, else 0. */
    synchronized int rollServerError() {
        requestsSeen++;
        if (numberedErrorsStatus != 0 && requestsSeen >= numberedErrorsFirst && requestsSeen <= numberedErrorsLast) {
            return numberedErrorsStatus;
        }
        if (!roll(serverErrorProbability)) {
            return 0;
        }
        if (serverErrorStatus != 0) {
            return serverErrorStatus;
        }
        return random.nextBoolean() ? 500 : 503;
    }

    synchronized boolean rollBulkCreatedThenError() {
        return roll(bulkCreatedThenErrorProbability);
    }

    synchronized boolean rollBulkCreatedThenDrop() {
        return roll(bulkCreatedThenDropProbability);
    }

    /** Whether the job being created is the one {@link #nextBulkJobGone()} meant; true once. */
    synchronized boolean takeBulkJobGone() {
        boolean gone = nextBulkJobGone;
        nextBulkJobGone = false;
        return gone;
    }

    synchronized boolean importErrorsEchoOtherProfilesOn() {
        return importErrorsEchoOtherProfiles;
    }

    synchronized boolean bulkJobsSkipLastProfileOn() {
        return bulkJobsSkipLastProfile;
    }

    private boolean roll(double p) {
        return p > 0 && random.nextDouble() < p;
    }

    private static double probability(double p) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("probability must be within [0, 1]");
        }
        return p;
    }
}
