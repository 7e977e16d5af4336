package org.klaviyosync.observe;

/**
 * One sync as seen in JMX ({@code org.klaviyosync:type=sync,name=<syncId>}): its last run, the
 * run in progress, its schedule, and what an operator may do with it. Counts only; never a row's
 * values.
 */
@Described("One sync: its last run, the run in progress and its schedule; run it now, start a run, pause or resume"
        + " its schedule. Counts only, never a row's values.")
public interface SyncControlMBean {

    @Described("The sync's name (its file's routeId).")
    String getSyncId();

    @Described("Id of the last run that ended, in the run history (`history` command); 0 before the first run.")
    long getLastRunId();

    /** {@code completed}, {@code failed}, {@code dry_run}, or {@code none} before the first run. */
    @Described("How the last run ended: completed, failed, dry_run, or none before the first run.")
    String getLastRunStatus();

    @Described("Rows the last run read from the model.")
    long getLastRunRead();

    @Described("Rows of the last run that Klaviyo acknowledged.")
    long getLastRunSent();

    @Described("Rows of the last dry run that a real run would have sent (the requests are in the dry-run file);"
            + " 0 for a real run.")
    long getLastRunWouldSend();

    @Described("Rows of the last run left alone because Klaviyo already has their content.")
    long getLastRunUnchanged();

    @Described("Rows of the last run caught before sending (bad value, missing identifier); see `rejections`.")
    long getLastRunInvalid();

    @Described("Rows of the last run that Klaviyo refused, with its reason; see `rejections`.")
    long getLastRunRejected();

    @Described("Rows of the last run not settled (Klaviyo unavailable, shutdown); the next run sends them again.")
    long getLastRunDeferred();

    @Described("How long the last run took, in milliseconds.")
    long getLastRunDurationMs();

    /** ISO-8601 instant, empty before the first run. */
    @Described("When the last run ended (ISO-8601, UTC); empty before the first run.")
    String getLastRunEndedAt();

    @Described("Why the last run failed; empty when it did not.")
    String getLastRunError();

    /** ISO-8601 instant of the next scheduled run; empty when paused or not scheduled. */
    @Described("When the schedule fires next (ISO-8601, UTC); empty when paused or not scheduled.")
    String getNextFireTime();

    @Described("Whether the schedule is paused (pause/resume).")
    boolean isPaused();

    @Described("Whether a run of this sync is in progress in this process.")
    boolean isRunning();

    @Described("Id of the run in progress; 0 when none is.")
    long getCurrentRunId();

    @Described("When the run in progress started (ISO-8601, UTC); empty when none is.")
    String getCurrentRunStartedAt();

    @Described("Rows the run in progress has read from the model so far.")
    long getCurrentRunRead();

    @Described("Rows of the run in progress that Klaviyo has acknowledged so far.")
    long getCurrentRunSent();

    @Described("Rows the dry run in progress has written to its file so far (would be sent); 0 for a real run.")
    long getCurrentRunWouldSend();

    @Described("Rows of the run in progress handed to Klaviyo (or queued for it) whose outcome is not known yet.")
    long getCurrentRunInFlight();

    @Described("Bulk import jobs of the run in progress that Klaviyo accepted and has not finished yet.")
    long getCurrentRunJobsPending();

    /** Runs the sync now and waits for it; returns how it ended. */
    @Described("Runs the sync now and answers when the run has ended, with its counts. A long run holds the"
            + " request that long: from a console prefer startRun.")
    String runNow();

    /** Starts a run of the sync and returns its run id at once; the run goes on in the background. */
    @Described("Starts a run of the sync and answers at once with its run id; watch the CurrentRun* attributes"
            + " while it goes on. Refused while the sync is running.")
    long startRun();

    /** Stops the schedule from firing (a run in progress goes on). */
    @Described("Pauses the sync's schedule until resumed or the service restarts; a run in progress goes on.")
    void pause();

    /** Lets the schedule fire again. */
    @Described("Lets the sync's schedule fire again.")
    void resume();
}
