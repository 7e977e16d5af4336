package org.klaviyosync.klaviyo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * Counts list creations in a sliding 24-hour window, in memory, so automatic creation stops before
 * Klaviyo's daily cap of {@value #KLAVIYO_DAILY_CAP}. Share one instance across runs of the process;
 * a restart forgets earlier creations.
 */
public final class ListCreationBudget {

    public static final int KLAVIYO_DAILY_CAP = 150;
    private static final Duration WINDOW = Duration.ofHours(24);

    private final int dailyCap;
    private final Clock clock;
    private final Deque<Instant> creations = new ArrayDeque<>();

    public ListCreationBudget() {
        this(KLAVIYO_DAILY_CAP, Clock.systemUTC());
    }

    public ListCreationBudget(int dailyCap, Clock clock) {
        if (dailyCap < 0) {
            throw new IllegalArgumentException("dailyCap must not be negative, was " + dailyCap);
        }
        this.dailyCap = dailyCap;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Takes one creation from the budget; false (and nothing taken) when the cap is reached. */
    public synchronized boolean tryAcquire() {
        Instant now = clock.instant();
        forgetBefore(now.minus(WINDOW));
        if (creations.size() >= dailyCap) {
            return false;
        }
        creations.addLast(now);
        return true;
    }

    /** Creations counted in the last 24 hours. */
    public synchronized int used() {
        forgetBefore(clock.instant().minus(WINDOW));
        return creations.size();
    }

    public int dailyCap() {
        return dailyCap;
    }

    /** The rejection reason for a list that was not created because the cap is reached. */
    public String exhaustedReason(String listName) {
        String cap = dailyCap == KLAVIYO_DAILY_CAP
                ? "Klaviyo's daily cap of " + KLAVIYO_DAILY_CAP + " list creations"
                : "the configured daily cap of " + dailyCap + " list creations (Klaviyo allows "
                        + KLAVIYO_DAILY_CAP + ")";
        return cap + " is reached; list '" + listName + "' was not created";
    }

    private void forgetBefore(Instant cutoff) {
        while (!creations.isEmpty() && !creations.peekFirst().isAfter(cutoff)) {
            creations.removeFirst();
        }
    }
}
