package org.klaviyosync.pipeline;

/** Names of the exchange properties the sync routes pass between their steps. */
public final class ExchangeKeys {

    /** The sync id, set by the route template from its {@code syncId} parameter. */
    public static final String SYNC_ID = "syncId";
    /** The {@link org.klaviyosync.run.SyncRun} of the exchange. */
    public static final String RUN = "klaviyoSyncRun";
    /** The {@link org.klaviyosync.run.RunOptions} a run is started with (absent: incremental). */
    public static final String OPTIONS = "klaviyoSyncRunOptions";
    /** The {@link org.klaviyosync.run.RunSummary} once the run has ended. */
    public static final String SUMMARY = "klaviyoSyncSummary";

    /** The header camel-quartz sets to the trigger's scheduled fire time (a {@link java.util.Date}). */
    public static final String SCHEDULED_FIRE_TIME = "scheduledFireTime";

    private ExchangeKeys() {
    }
}
