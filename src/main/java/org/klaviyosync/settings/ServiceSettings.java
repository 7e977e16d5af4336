package org.klaviyosync.settings;

/** Where the routes and syncs are, the dry-run output, the service's name and its shutdown. */
public final class ServiceSettings {

    public static final Setting<String> ROUTES_DIR = Setting.text("routes.dir", "routes")
            .describedAs("The folder of the pipeline's route files (the sync template, the Klaviyo routes).");

    public static final Setting<String> SYNCS_DIR = Setting.text("syncs.dir", "routes/syncs")
            .describedAs("The folder of sync files, one sync per file (see [Syncs](syncs.md)).");

    public static final Setting<String> DRY_RUN_DIR = Setting.text("dry-run.dir", "out/dry-run")
            .describedAs("Where a run without `KLAVIYO_API_KEY` writes the requests it would have sent.");

    public static final Setting<String> NAME = Setting.text("camel.main.name", "klaviyo-sync")
            .describedAs("The service's name in Camel (JMX, Hawtio); the instances of a cluster share it, it names"
                    + " their schedules in Quartz's tables.");

    public static final Setting<Integer> SHUTDOWN_GRACE_SECONDS = Setting.wholeNumber("shutdown.grace-seconds", 25)
            .atLeast(3)
            .describedAs("From SIGTERM to exit: active runs stop reading, settle what Klaviyo has finished, defer the"
                    + " rest and are closed (see [SIGTERM](row-outcomes.md#7-sigterm)). Keep it below the"
                    + " container's stop timeout (30 s by default), so it never ends in SIGKILL.");

    private ServiceSettings() {
    }
}
