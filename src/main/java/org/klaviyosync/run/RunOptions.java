package org.klaviyosync.run;

import java.util.Set;

/**
 * How a run decides what to send.
 *
 * @param full   send every valid row, whatever Klaviyo last acknowledged ({@code run --full})
 * @param replay identifier values sent even when unchanged ({@code replay}: rows Klaviyo rejected)
 */
public record RunOptions(boolean full, Set<String> replay) {

    public static final RunOptions INCREMENTAL = new RunOptions(false, Set.of());
    public static final RunOptions FULL = new RunOptions(true, Set.of());

    public RunOptions {
        replay = Set.copyOf(replay);
    }

    public static RunOptions replaying(Set<String> identifiers) {
        return new RunOptions(false, identifiers);
    }
}
