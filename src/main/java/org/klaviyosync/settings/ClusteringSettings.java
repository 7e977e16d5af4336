package org.klaviyosync.settings;

/** Several instances sharing the schedules (docs/clustering.md). */
public final class ClusteringSettings {

    public static final Setting<Boolean> ENABLED = Setting.flag("cluster.enabled", false)
            .describedAs("Share the schedules with the other instances on the same bookkeeping database: each tick"
                    + " fires on exactly one instance (see [Several instances](clustering.md)).");

    public static final Setting<String> INSTANCE_ID = Setting.text("cluster.instance-id", "AUTO")
            .describedAs("This instance's name in the run history and the cluster, unique per instance; `AUTO` is"
                    + " the host name and process id.");

    public static final Setting<Long> CHECKIN_INTERVAL_MS = Setting.longNumber("cluster.checkin-interval-ms", 5000L)
            .atLeast(100)
            .describedAs("How often an instance checks in; one that misses its check-ins for about this plus 7.5 s"
                    + " is taken for dead and its schedules taken over.");

    public static final Setting<Long> MISFIRE_THRESHOLD_MS = Setting.longNumber("cluster.misfire-threshold-ms",
            60_000L).atLeast(100)
            .describedAs("A tick later than this (its instance died, or every instance was down) fires once, now.");

    public static final Setting<Integer> THREADS = Setting.wholeNumber("cluster.threads", 5).atLeast(1)
            .describedAs("Quartz worker threads (syncs firing at the same moment); the bookkeeping pool grows by this"
                    + " plus 2.");

    private ClusteringSettings() {
    }
}
