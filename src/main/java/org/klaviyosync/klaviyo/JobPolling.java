package org.klaviyosync.klaviyo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** Waits for one bulk import job by reading it every poll interval. */
public final class JobPolling {

    private final BulkJobReader reader;

    public JobPolling(BulkJobReader reader) {
        this.reader = Objects.requireNonNull(reader, "reader");
    }

    /**
     * Polls every {@code pollInterval} until the job is complete or cancelled, or {@code timeout}
     * has passed. For a complete job with failures, its import errors are fetched too.
     */
    public JobOutcome awaitCompletion(String jobId, Duration pollInterval, Duration timeout) {
        return awaitCompletion(jobId, pollInterval, timeout, () -> false);
    }

    /**
     * As above, but gives up (an outcome that timed out) as soon as {@code stopWaiting} says so,
     * after at most one more poll: a run that is stopping does not wait for Klaviyo.
     */
    public JobOutcome awaitCompletion(String jobId, Duration pollInterval, Duration timeout,
            BooleanSupplier stopWaiting) {
        Clock clock = reader.api().retryPolicy().clock();
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            JobState state = reader.poll(jobId);
            if (state.isFinished()) {
                return reader.finished(state);
            }
            if (stopWaiting.getAsBoolean() || !clock.instant().plus(pollInterval).isBefore(deadline)) {
                return new JobOutcome(state, List.of(), true);
            }
            reader.api().pause(pollInterval);
        }
    }

    /**
     * The job's outcome when one poll finds it finished (with its import errors when it has
     * failures); empty while Klaviyo is still at it.
     */
    public Optional<JobOutcome> outcomeIfFinished(String jobId) {
        JobState state = reader.poll(jobId);
        return state.isFinished() ? Optional.of(reader.finished(state)) : Optional.empty();
    }
}
