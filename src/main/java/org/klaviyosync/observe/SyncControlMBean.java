package org.klaviyosync.observe;

/**
 * One sync as seen in JMX ({@code org.klaviyosync:type=sync,name=<syncId>}): its last run and
 * schedule, and what an operator may do with it. Counts only; never a row's values.
 */
public interface SyncControlMBean {

    String getSyncId();

    long getLastRunId();

    /** {@code completed}, {@code failed}, {@code dry_run}, or {@code none} before the first run. */
    String getLastRunStatus();

    long getLastRunRead();

    long getLastRunSent();

    long getLastRunUnchanged();

    long getLastRunInvalid();

    long getLastRunRejected();

    long getLastRunDeferred();

    long getLastRunDurationMs();

    /** ISO-8601 instant, empty before the first run. */
    String getLastRunEndedAt();

    String getLastRunError();

    /** ISO-8601 instant of the next scheduled run; empty when paused or not scheduled. */
    String getNextFireTime();

    boolean isPaused();

    boolean isRunning();

    /** Runs the sync now and waits for it; returns how it ended. */
    String runNow();

    /** Stops the schedule from firing (a run in progress goes on). */
    void pause();

    /** Lets the schedule fire again. */
    void resume();
}
