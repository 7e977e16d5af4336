package org.klaviyosync.settings;

/** The management port (health, metrics, Jolokia), the health checks and the progress lines. */
public final class ObserveSettings {

    public static final Setting<Boolean> MANAGEMENT_ENABLED = Setting.flag("management.enabled", null)
            .withoutDefaultMeaning("on for the service, off for one-shot commands")
            .describedAs("Serve the management port; one-shot commands (run, check, preview) leave it off unless"
                    + " set, so they never fight the running service for the port.");

    public static final Setting<Integer> MANAGEMENT_PORT = Setting.wholeNumber("management.port", 9876)
            .between(1, 65_535)
            .describedAs("The management port: `/observe/health`, `/observe/metrics`, `/observe/info`,"
                    + " `/observe/jolokia` (see [Operations](operations.md#observe)).");

    public static final Setting<String> MANAGEMENT_HOST = Setting.text("management.host", "0.0.0.0")
            .describedAs("The interface the management port listens on.");

    public static final Setting<Boolean> JOLOKIA_ENABLED = Setting.flag("management.jolokia-enabled", true)
            .describedAs("Serve Jolokia (for Hawtio): on loopback only unless `MANAGEMENT_USER` and"
                    + " `MANAGEMENT_PASSWORD` are set.");

    public static final Setting<String> MANAGEMENT_USER = Setting.text("management.user", null)
            .withoutDefaultMeaning("(none: Jolokia on loopback only)")
            .describedAs("The user Jolokia asks every client for (HTTP basic); set with `MANAGEMENT_PASSWORD` or not"
                    + " at all.");

    public static final Setting<String> MANAGEMENT_PASSWORD = Setting.secret("management.password")
            .describedAs("The password Jolokia asks every client for.");

    public static final Setting<Integer> FAILED_RUNS_THRESHOLD = Setting.wholeNumber("health.failed-runs-threshold", 3)
            .atLeast(1)
            .describedAs("A sync's health check is DOWN after this many failed runs in a row.");

    public static final Setting<Long> KLAVIYO_CHECK_INTERVAL_SECONDS = Setting.longNumber(
            "health.klaviyo-check-interval-seconds", 300L).atLeast(1)
            .describedAs("How long the Klaviyo key check's answer is kept (the check costs four calls).");

    public static final Setting<Integer> WAREHOUSE_TIMEOUT_SECONDS = Setting.wholeNumber(
            "health.warehouse-timeout-seconds", 5).atLeast(1)
            .describedAs("How long the warehouse health check waits for the bookkeeping database.");

    public static final Setting<Long> PROGRESS_INTERVAL_SECONDS = Setting.longNumber("progress.interval-seconds", 10L)
            .atLeast(1)
            .describedAs("How often a running sync logs a progress line (rows read, sent, rate, time left).");

    private ObserveSettings() {
    }
}
