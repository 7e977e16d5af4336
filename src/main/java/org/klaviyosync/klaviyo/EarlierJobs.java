package org.klaviyosync.klaviyo;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The bulk import jobs still in progress on the key when a run starts. A job left behind by an
 * earlier run (killed, or whose answer was lost) carries older values than the run is about to
 * send; Klaviyo does not say in which order it processes jobs, so if it finished after the run's
 * own job it would overwrite the newer values while the run counts them acknowledged. A run
 * therefore sends nothing until every job in progress at its start has finished: the order is then
 * guaranteed by construction, whatever Klaviyo's. Jobs of other processes on the key are waited for
 * too, as nothing tells them apart; a job submitted after the run started is not.
 */
public final class EarlierJobs {

    private static final Duration FIRST_WAIT = Duration.ofMillis(200);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(5);

    private final BulkJobReader reader;
    private final Sleeper sleeper;

    public EarlierJobs(BulkJobReader reader, Sleeper sleeper) {
        this.reader = reader;
        this.sleeper = sleeper;
    }

    /**
     * Waits until the jobs in progress now have finished (listing the jobs in progress, backing off
     * from 200 ms to 5 s), and returns how many there were.
     *
     * @throws IllegalStateException when some are still in progress at {@code deadline}, or
     *                               {@code stopWaiting} says so, naming them
     */
    public int awaitFinished(Instant deadline, BooleanSupplier stopWaiting) throws InterruptedException {
        Set<String> waitingFor = inProgress();
        int earlier = waitingFor.size();
        Duration wait = FIRST_WAIT;
        while (!waitingFor.isEmpty()) {
            if (stopWaiting.getAsBoolean() || !Instant.now().isBefore(deadline)) {
                throw new IllegalStateException(waitingFor.size() + " bulk import job(s) of an earlier run still in"
                        + " progress (" + String.join(", ", waitingFor.stream().limit(5).toList())
                        + (waitingFor.size() > 5 ? ", ..." : "") + "); nothing was sent, so that they cannot"
                        + " overwrite this run's newer values; the next run waits for them again");
            }
            sleeper.sleep(wait);
            wait = wait.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait.multipliedBy(2);
            waitingFor.retainAll(inProgress());
        }
        return earlier;
    }

    private Set<String> inProgress() {
        Set<String> ids = new LinkedHashSet<>();
        reader.list(BulkJobWatch.IN_PROGRESS, page -> {
            page.jobs().forEach(j -> ids.add(j.jobId()));
            return true;
        });
        return ids;
    }
}
