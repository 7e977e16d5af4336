package org.klaviyosync.settings;

/** The warehouse the models run in, its pools and the embedded demo warehouse. */
public final class WarehouseSettings {

    public static final Setting<String> JDBC_URL = Setting.text("warehouse.jdbc-url", null)
            .withoutDefaultMeaning("(embedded demo PostgreSQL)")
            .describedAs("The warehouse, e.g. `jdbc:postgresql://db:5432/analytics`, `jdbc:mariadb://db:3306/shop`,"
                    + " `jdbc:duckdb:` (see [Warehouses](warehouses.md)). Models run in read-only transactions,"
                    + " streamed. Without it an embedded PostgreSQL starts with a demo `customers` table.");

    public static final Setting<String> USER = Setting.text("warehouse.user", null)
            .describedAs("The warehouse user.");

    public static final Setting<String> PASSWORD = Setting.secret("warehouse.password")
            .describedAs("The warehouse user's password.");

    public static final Setting<Integer> FETCH_SIZE = Setting.wholeNumber("warehouse.fetch-size", 1000).atLeast(1)
            .describedAs("Rows fetched per round trip while streaming a model (autoCommit off). PostgreSQL and"
                    + " MariaDB use it as is; MySQL's Connector/J streams row by row; DuckDB chunk by chunk.");

    public static final Setting<Integer> POOL_SIZE = Setting.wholeNumber("warehouse.pool-size", 4).atLeast(1)
            .describedAs("Connections of the read-only pool that runs the models.");

    public static final Setting<Long> CONNECT_TIMEOUT_MS = Setting.longNumber("warehouse.connect-timeout-ms", 10_000L)
            .atLeast(250)
            .describedAs("How long to wait for a warehouse or bookkeeping connection (milliseconds).");

    public static final Setting<String> DRIVERS_DIR = Setting.text("drivers.dir", "drivers").environmentOnly()
            .describedAs("The folder of JDBC driver jars loaded at start-up, for a warehouse whose driver does not"
                    + " ship (see [Warehouses](warehouses.md)).");

    public static final Setting<String> EMBEDDED_DATA_DIR = Setting.text("embedded.data-dir", "data/embedded-postgres")
            .describedAs("Where the embedded PostgreSQL keeps its data between runs.");

    public static final Setting<Integer> EMBEDDED_DEMO_ROWS = Setting.wholeNumber("embedded.demo-rows", 3000)
            .atLeast(1)
            .describedAs("Rows of the embedded warehouse's demo `customers` table.");

    private WarehouseSettings() {
    }
}
