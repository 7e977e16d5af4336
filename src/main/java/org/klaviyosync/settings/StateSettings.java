package org.klaviyosync.settings;

/** The bookkeeping database: run history, row results and the fingerprints of acknowledged rows. */
public final class StateSettings {

    public static final Setting<String> JDBC_URL = Setting.text("state.jdbc-url", null)
            .withoutDefaultMeaning("the warehouse")
            .describedAs("A PostgreSQL database for the bookkeeping tables (schema `klaviyo_sync`); required when"
                    + " the warehouse is not PostgreSQL (start-up stops with exit code 2 and says so).");

    public static final Setting<String> USER = Setting.text("state.user", null)
            .describedAs("The bookkeeping database's user.");

    public static final Setting<String> PASSWORD = Setting.secret("state.password")
            .describedAs("The bookkeeping database user's password.");

    public static final Setting<Integer> POOL_SIZE = Setting.wholeNumber("state.pool-size", 4).atLeast(1)
            .describedAs("Connections of the bookkeeping pool.");

    public static final Setting<Integer> RETENTION_DAYS = Setting.wholeNumber("state.retention-days", 30).atLeast(1)
            .describedAs("How long runs and row results are kept; also how long a `listMode: add` sync keeps the"
                    + " stored state of an identifier that left its model (then a return of it is sent as new).");

    public static final Setting<Long> PURGE_INTERVAL_SECONDS = Setting.longNumber("state.purge-interval-seconds",
            86_400L).atLeast(1)
            .describedAs("How often the service removes runs older than that (also at start-up).");

    public static final Setting<Integer> FINGERPRINT_BATCH_SIZE = Setting.wholeNumber("state.fingerprint-batch-size",
            10_000).atLeast(1)
            .describedAs("Acknowledged fingerprints written per statement as jobs settle.");

    private StateSettings() {
    }
}
