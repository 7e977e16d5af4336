package org.klaviyosync.klaviyo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns the states of the bulk import jobs this process submitted, many jobs a call.
 *
 * <h2>A look</h2>
 * While few jobs are watched, one look is one page of every job on the key, newest first, which
 * usually reaches back to the oldest watched job and shows each watched job's status and counts.
 * Otherwise a look lists the jobs still in progress on the key
 * ({@code filter=any(status,["queued","processing"])}, newest first, 100 a page) down to the oldest
 * watched job. A watched job absent from that listing has finished: the jobs that completed are then
 * listed ({@code filter=equals(status,"complete")}, newest first) down to the oldest of those, which
 * gives their final counts. Only a job found in neither (cancelled, gone, or not listed yet) is read
 * on its own. Jobs of other processes on the same key appear in the listings and are ignored. So a
 * look costs about one call per hundred jobs in progress on the key, not one per job.
 *
 * <h2>When to look</h2>
 * A job is due a look half its age after the last one, at least {@code minInterval} and at most
 * {@code maxInterval} apart: a job that completes in 0.3 s is seen within about half a second, one
 * that takes minutes costs a dozen looks, shared with every job in flight. Looks stay within
 * {@code readsPerMinute} calls a minute, part of Klaviyo's 150 job reads a minute, which import-error
 * reads and other processes on the key share.
 */
public final class BulkJobWatch {

    private static final Logger LOG = LoggerFactory.getLogger(BulkJobWatch.class);

    static final String IN_PROGRESS = "any(status,[\"queued\",\"processing\"])";
    static final String COMPLETE = "equals(status,\"complete\")";
    /** Leeway when a listing is cut at a job's {@code created_at}, in case creation times tie or jitter. */
    private static final Duration CREATED_AT_LEEWAY = Duration.ofSeconds(2);
    /** Pages one listing may read: 2,000 jobs in progress on the key. */
    private static final int MAX_PAGES = 20;
    /** Watched jobs few enough that one page of every job is likely to reach back to the oldest of them. */
    private static final int SMALL_WINDOW = 50;
    private static final Set<String> IN_PROGRESS_STATUSES = Set.of("queued", "processing");
    private static final Duration LONGEST_WAIT = Duration.ofMillis(500);

    private final BulkJobReader reader;
    private final Clock clock;
    private final Duration minInterval;
    private final Duration maxInterval;
    private final int readsPerMinute;
    private final Duration forgetAfter;
    private final Map<String, Watched> watched = new LinkedHashMap<>();
    private final ArrayDeque<Instant> recentReads = new ArrayDeque<>();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong looks = new AtomicLong();
    private boolean looking;
    /** The last unfiltered listing did not reach back to the oldest watched job on its first page. */
    private volatile boolean windowLarge;
    private Instant lastLookEnded = Instant.EPOCH;
    private long lookNumber;
    private long failedLook = -1;
    private RuntimeException lookFailure;

    private static final class Watched {
        final String jobId;
        /** Klaviyo's {@code created_at}, null when it sent none. */
        final Instant createdAt;
        final Instant acceptedAt;
        JobState state;
        Instant nextLook;
        RuntimeException failure;

        Watched(SubmittedJob job, Instant acceptedAt, Instant nextLook) {
            this.jobId = job.jobId();
            this.createdAt = job.accepted() == null ? null : job.accepted().createdAt();
            this.acceptedAt = acceptedAt;
            this.state = job.accepted() != null && job.jobId().equals(job.accepted().jobId()) ? job.accepted()
                    : new JobState(job.jobId(), "queued", job.profiles().size(), 0, 0, null, null);
            this.nextLook = nextLook;
        }
    }

    /**
     * @param forgetAfter how long a job nobody took is watched before it is dropped
     */
    public BulkJobWatch(BulkJobReader reader, Duration minInterval, Duration maxInterval, int readsPerMinute,
            Duration forgetAfter) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.clock = reader.api().retryPolicy().clock();
        this.minInterval = minInterval;
        this.maxInterval = maxInterval.compareTo(minInterval) < 0 ? minInterval : maxInterval;
        this.readsPerMinute = Math.max(1, readsPerMinute);
        this.forgetAfter = forgetAfter;
    }

    /** Starts watching a job Klaviyo just accepted. */
    public synchronized void watch(SubmittedJob job) {
        Instant now = clock.instant();
        watched.put(job.jobId(), new Watched(job, now, now.plus(minInterval)));
        notifyAll();
    }

    /** Stops watching a job (it was settled, or given up on). */
    public synchronized void forget(String jobId) {
        watched.remove(jobId);
    }

    /** Calls made to read job states. */
    public long reads() {
        return reads.get();
    }

    /** Looks taken. */
    public long looks() {
        return looks.get();
    }

    /** Takes a look now if one is due and no other thread is taking one; a failed look is logged only. */
    public void lookIfDue() {
        synchronized (this) {
            if (looking || dueAt(clock.instant()) == null || clock.instant().isBefore(dueAt(clock.instant()))) {
                return;
            }
            looking = true;
        }
        try {
            look();
        } catch (RuntimeException e) {
            LOG.debug("A look at the bulk jobs failed; they are looked at later: {}", e.getMessage());
        }
    }

    /** Whether the job is known to have finished (complete or cancelled). */
    public synchronized boolean isFinished(String jobId) {
        Watched w = watched.get(jobId);
        return w != null && w.state.isFinished();
    }

    /** The job's last known state; empty when it is not watched. */
    public synchronized Optional<JobState> state(String jobId) {
        Watched w = watched.get(jobId);
        return w == null ? Optional.empty() : Optional.of(w.state);
    }

    /**
     * Waits until the job has finished and returns its final state, or returns its last known state
     * (not finished) once {@code deadline} has passed or {@code stopWaiting} says so. A look that fails
     * while this waits, or a failed read of this job, is thrown.
     */
    public JobState await(String jobId, Instant deadline, BooleanSupplier stopWaiting) {
        long since;
        synchronized (this) {
            since = lookNumber;
        }
        while (true) {
            synchronized (this) {
                Watched w = watched.get(jobId);
                if (w == null) {
                    throw new IllegalStateException("bulk job " + jobId + " is not watched");
                }
                if (w.state.isFinished()) {
                    return w.state;
                }
                if (w.failure != null) {
                    throw w.failure;
                }
                if (failedLook > since) {
                    throw lookFailure;
                }
                Instant now = clock.instant();
                if (stopWaiting.getAsBoolean() || !now.isBefore(deadline)) {
                    return w.state;
                }
                Instant due = dueAt(now);
                if (looking || due == null || now.isBefore(due)) {
                    Instant until = due == null || looking ? now.plus(LONGEST_WAIT) : min(due, now.plus(LONGEST_WAIT));
                    long millis = Math.max(1, Duration.between(now, min(until, deadline)).toMillis());
                    try {
                        wait(millis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new KlaviyoUnavailableException("interrupted while waiting for bulk job " + jobId,
                                "GET " + KlaviyoPaths.BULK_IMPORT_JOBS, KlaviyoCallEvent.NO_ANSWER, 0, false, e);
                    }
                    continue;
                }
                looking = true;
            }
            look();
        }
    }

    /**
     * When the next look is due: the earliest due job's time, no sooner than {@code minInterval}
     * after the last look and no sooner than the read budget allows; null when no job is waiting.
     */
    private Instant dueAt(Instant now) {
        Instant earliest = null;
        for (Watched w : watched.values()) {
            if (!w.state.isFinished() && w.failure == null && (earliest == null || w.nextLook.isBefore(earliest))) {
                earliest = w.nextLook;
            }
        }
        if (earliest == null) {
            return null;
        }
        Instant due = max(earliest, lastLookEnded.plus(minInterval));
        Instant minuteAgo = now.minus(Duration.ofMinutes(1));
        while (!recentReads.isEmpty() && recentReads.peekFirst().isBefore(minuteAgo)) {
            recentReads.pollFirst();
        }
        if (recentReads.size() >= readsPerMinute) {
            due = max(due, recentReads.peekFirst().plus(Duration.ofMinutes(1)));
        }
        return due;
    }

    /** One look at every watched job still running; called with {@code looking} set by this thread. */
    private void look() {
        Map<String, Instant> running = new HashMap<>();
        Instant started = clock.instant();
        try {
            synchronized (this) {
                watched.values().removeIf(w -> Duration.between(w.acceptedAt, started).compareTo(forgetAfter) > 0);
                for (Watched w : watched.values()) {
                    if (!w.state.isFinished() && w.failure == null) {
                        running.put(w.jobId, w.createdAt);
                    }
                }
            }
            Map<String, JobState> learned = new HashMap<>();
            Map<String, RuntimeException> failed = new HashMap<>();
            if (!running.isEmpty()) {
                learn(running, learned, failed);
            }
            synchronized (this) {
                Instant now = clock.instant();
                for (Map.Entry<String, Instant> e : running.entrySet()) {
                    Watched w = watched.get(e.getKey());
                    if (w == null) {
                        continue;
                    }
                    JobState state = learned.get(w.jobId);
                    if (state != null) {
                        w.state = state;
                    }
                    w.failure = failed.get(w.jobId);
                    Duration half = Duration.between(w.acceptedAt, now).dividedBy(2);
                    w.nextLook = now.plus(half.compareTo(minInterval) < 0 ? minInterval
                            : half.compareTo(maxInterval) > 0 ? maxInterval : half);
                }
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                failedLook = lookNumber + 1;
                lookFailure = e;
            }
            throw e;
        } finally {
            synchronized (this) {
                looking = false;
                lookNumber++;
                lastLookEnded = clock.instant();
                looks.incrementAndGet();
                notifyAll();
            }
        }
    }

    /** Reads the states of {@code running} (job id to {@code created_at}) into {@code learned}. */
    private void learn(Map<String, Instant> running, Map<String, JobState> learned,
            Map<String, RuntimeException> failed) {
        Instant oldest = oldest(running.keySet(), running);
        List<String> unknown = new ArrayList<>();
        boolean covered = false;
        if (running.size() <= SMALL_WINDOW && (!windowLarge || lookNumber % 20 == 0)) {
            // few jobs in flight: one page of every job, newest first, usually reaches the oldest watched one
            boolean[] reached = {false};
            count(reader.list(null, page -> {
                ours(page, running, learned);
                reached[0] = page.last() || page.jobs().isEmpty() || passed(page.jobs(), oldest);
                return false;
            }));
            covered = reached[0];
            windowLarge = !covered;
        }
        if (!covered) {
            Set<String> finished = new HashSet<>();
            boolean[] reached = {false};
            int[] pages = {0};
            count(reader.list(IN_PROGRESS, page -> {
                pages[0]++;
                ours(page, running, learned);
                reached[0] = page.last() || page.jobs().isEmpty() || passed(page.jobs(), oldest);
                return !reached[0] && pages[0] < MAX_PAGES;
            }));
            for (String id : running.keySet()) {
                JobState s = learned.get(id);
                if (s == null || !s.isFinished() && !IN_PROGRESS_STATUSES.contains(s.status())) {
                    learned.remove(id);
                    (reached[0] ? finished : unknown).add(id);
                }
            }
            if (!finished.isEmpty()) {
                Instant oldestFinished = oldest(finished, running);
                int[] completePages = {0};
                count(reader.list(COMPLETE, page -> {
                    completePages[0]++;
                    ours(page, running, learned);
                    boolean all = finished.stream().allMatch(learned::containsKey);
                    return !all && !page.jobs().isEmpty() && !passed(page.jobs(), oldestFinished)
                            && completePages[0] < MAX_PAGES;
                }));
                for (String id : finished) {
                    if (!learned.containsKey(id)) {
                        unknown.add(id);
                    }
                }
            }
        } else {
            for (String id : running.keySet()) {
                if (!learned.containsKey(id)) {
                    unknown.add(id);
                }
            }
        }
        for (String id : unknown) {
            try {
                learned.put(id, reader.poll(id));
            } catch (KlaviyoAuthException | KlaviyoUnavailableException e) {
                throw e;
            } catch (RuntimeException e) {
                failed.put(id, e);
            } finally {
                count(1);
            }
        }
    }

    /** Notes the states of the watched jobs on a page; other processes' jobs are ignored. */
    private static void ours(BulkJobReader.JobPage page, Map<String, Instant> running, Map<String, JobState> learned) {
        for (JobState s : page.jobs()) {
            if (running.containsKey(s.jobId())) {
                learned.put(s.jobId(), s);
            }
        }
    }

    private void count(int calls) {
        reads.addAndGet(calls);
        synchronized (this) {
            Instant now = clock.instant();
            for (int i = 0; i < calls; i++) {
                recentReads.addLast(now);
            }
        }
    }

    /** Whether the page (newest first) reached jobs created before {@code oldest}, less the leeway. */
    private static boolean passed(List<JobState> page, Instant oldest) {
        Instant last = page.get(page.size() - 1).createdAt();
        return oldest != null && last != null && last.isBefore(oldest.minus(CREATED_AT_LEEWAY));
    }

    /** The earliest {@code created_at} of the jobs, or null when one of them has none (no bound). */
    private static Instant oldest(Iterable<String> ids, Map<String, Instant> createdAt) {
        Instant oldest = null;
        for (String id : ids) {
            Instant c = createdAt.get(id);
            if (c == null) {
                return null;
            }
            if (oldest == null || c.isBefore(oldest)) {
                oldest = c;
            }
        }
        return oldest;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
