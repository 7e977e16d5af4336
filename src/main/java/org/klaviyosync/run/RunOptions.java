package org.klaviyosync.run;

import java.util.Set;

/**
 * How a run decides what to send.
 *
 * @param full   send every valid row, whatever Klaviyo last acknowledged ({@code run --full})
 * @param replay identifier values sent even when unchanged ({@code replay}: rows Klaviyo rejected)
 * @param allowRemovals a mirror sync removes what the model no longer names even past its removal
 *                      guard ({@code run --allow-removals})
 */
public record RunOptions(boolean full, Set<String> replay, boolean allowRemovals) {

    public RunOptions(boolean full, Set<String> replay) {
        this(full, replay, false);
    }

    public static final RunOptions INCREMENTAL = new RunOptions(false, Set.of());
    public static final RunOptions FULL = new RunOptions(true, Set.of());

    public RunOptions {
        replay = Set.copyOf(replay);
    }

    /** These options, with the removal guard lifted for this run. */
    public RunOptions allowingRemovals() {
        return new RunOptions(full, replay, true);
    }

    public static RunOptions replaying(Set<String> identifiers) {
        return new RunOptions(false, identifiers);
    }
}
