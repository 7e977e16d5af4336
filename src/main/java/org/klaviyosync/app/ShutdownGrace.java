package org.klaviyosync.app;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time from SIGTERM to exit ({@code shutdown.grace-seconds}), and how it is shared: the runs
 * are closed first, Camel's own stop gets a fifth, and the JVM two seconds to exit, so that a
 * container stop (30 s by default) never ends in SIGKILL.
 */
final class ShutdownGrace {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownGrace.class);

    private final Duration grace;

    ShutdownGrace(long graceSeconds) {
        this.grace = Duration.ofSeconds(graceSeconds);
    }

    Duration total() {
        return grace;
    }

    /** How long Camel waits for exchanges still in flight once the runs are closed: a fifth of the grace. */
    Duration camelShutdownTimeout() {
        return Duration.ofSeconds(Math.max(1, grace.toSeconds() / 5));
    }

    /** What active runs get to close: the grace less what Camel's own stop may take afterwards. */
    Duration forRuns() {
        return grace.minus(camelShutdownTimeout().multipliedBy(2));
    }

    /** How long a run's finishing waits for the deliveries of its last batches. */
    Duration forDeliveries() {
        return grace.multipliedBy(2).dividedBy(5);
    }

    /**
     * Runs {@code close} bounded by the grace (less two seconds for the JVM to exit): a Camel or a
     * pool that will not stop in time (a thread stuck in a call) is left to the process's exit
     * rather than waited for past the grace.
     */
    void closeWithin(Runnable close) {
        long deadline = System.nanoTime() + grace.minusSeconds(2).toNanos();
        Thread closing = new Thread(close, "klaviyo-sync-close");
        closing.setDaemon(true);
        closing.start();
        try {
            closing.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closing.isAlive()) {
            LOG.warn("Camel and the connection pools did not stop within the {} s grace; exiting anyway (every run"
                    + " is closed)", grace.toSeconds());
        }
    }
}
