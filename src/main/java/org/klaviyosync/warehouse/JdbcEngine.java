package org.klaviyosync.warehouse;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The warehouse engine named by a JDBC URL, and what its driver needs so that a model streams in
 * constant memory and runs read-only. Every engine's model pool has autoCommit off; the rest
 * differs per driver:
 *
 * <ul>
 *   <li>PostgreSQL (also Redshift through PostgreSQL's driver): a cursor-backed fetch of
 *       {@code fetchSize} rows needs autoCommit off and a positive fetch size
 *       ({@code defaultRowFetchSize}); {@code Connection.setReadOnly(true)} makes each
 *       transaction {@code BEGIN READ ONLY}.</li>
 *   <li>MariaDB Connector/J 3.x ({@code jdbc:mariadb:}, or {@code jdbc:mysql:} with
 *       {@code permitMysqlScheme}): a positive fetch size streams that many rows at a time
 *       ({@code Integer.MIN_VALUE} is refused by 3.x); read-only sets the session's transactions
 *       read-only, so a model that writes fails.</li>
 *   <li>MySQL Connector/J ({@code jdbc:mysql:}): only {@code Integer.MIN_VALUE} streams row by row
 *       without a server-side temporary table; any positive size loads the whole result unless
 *       {@code useCursorFetch=true}. Read-only as for MariaDB.</li>
 *   <li>DuckDB ({@code jdbc:duckdb:}): results are materialised unless the connection is opened
 *       with {@code jdbc_stream_results=true}, which makes the driver fetch one chunk at a time.
 *       A database file is opened read-only ({@code duckdb.read_only=true}); an in-memory
 *       database (models reading Parquet or CSV files) cannot be, and holds nothing to protect:
 *       each pooled connection has its own empty database, and models are checked at start-up
 *       to be queries ({@code select * from (model)}), so a {@code COPY ... TO} is refused.</li>
 *   <li>Any other driver (loaded from the drivers folder, {@link DriverFolder}): nothing is assumed
 *       beyond JDBC. AutoCommit off, the configured fetch size, and {@code setReadOnly(true)} on
 *       every connection; a driver that refuses the flag on an open connection (SQLite's) fails
 *       the connection, so a model never runs on one not marked read-only: such a database is
 *       opened read-only by its URL ({@code jdbc:sqlite:shop.db?open_mode=1}). Whether the flag
 *       stops writes is the driver's affair: a read-only account is the safe way.</li>
 * </ul>
 */
public enum JdbcEngine {

    POSTGRESQL("PostgreSQL"),
    MARIADB("MariaDB"),
    MYSQL("MySQL"),
    DUCKDB("DuckDB"),
    OTHER("JDBC");

    private final String displayName;

    JdbcEngine(String displayName) {
        this.displayName = displayName;
    }

    /** The engine of {@code url}; {@link #OTHER} when it is none of the known ones. */
    public static JdbcEngine of(String url) {
        if (url == null) {
            return OTHER;
        }
        String u = url.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (u.startsWith("jdbc:mariadb:")) {
            return MARIADB;
        }
        if (u.startsWith("jdbc:mysql:")) {
            // MariaDB's driver accepts jdbc:mysql: only when asked to, and then applies its own rules
            return u.contains("permitmysqlscheme") ? MARIADB : MYSQL;
        }
        if (u.startsWith("jdbc:duckdb:")) {
            return DUCKDB;
        }
        return OTHER;
    }

    public String displayName() {
        return displayName;
    }

    /** The fetch size to set on the statement that runs a model (camel-sql's {@code template.fetchSize}). */
    public int statementFetchSize(int configured) {
        if (configured <= 0) {
            throw new IllegalArgumentException("warehouse.fetch-size must be a positive number of rows, not " + configured);
        }
        return this == MYSQL ? Integer.MIN_VALUE : configured;
    }

    /** Driver properties added to the model pool so that results stream (and, where possible, are read-only). */
    public Map<String, String> modelPoolProperties(String url, int configuredFetchSize) {
        Map<String, String> props = new LinkedHashMap<>();
        switch (this) {
            case POSTGRESQL -> {
                props.put("defaultRowFetchSize", String.valueOf(configuredFetchSize));
                props.put("ApplicationName", "klaviyo-sync");
            }
            case DUCKDB -> {
                props.put("jdbc_stream_results", "true");
                if (!isInMemoryDuckDb(url)) {
                    props.put("duckdb.read_only", "true");
                }
            }
            default -> {
                // MariaDB and MySQL stream through the statement's fetch size; other drivers are left as they come
            }
        }
        return props;
    }

    /**
     * SQL each new model connection runs first, or null. MariaDB's and MySQL's drivers do not tell
     * the server about {@code setReadOnly(true)} outside replication set-ups, so the session's
     * transactions are made read-only explicitly.
     */
    public String modelConnectionInitSql() {
        return this == MARIADB || this == MYSQL ? "SET SESSION TRANSACTION READ ONLY" : null;
    }

    /**
     * Whether the model pool marks its connections read-only. False only for an in-memory DuckDB,
     * whose driver refuses to change the flag on an open connection.
     */
    public boolean readOnlyConnections(String url) {
        return !(this == DUCKDB && isInMemoryDuckDb(url));
    }

    /** One sentence on how models of this engine stream and run read-only, for logs and {@code check}. */
    public String describeStreaming(String url, int configuredFetchSize) {
        return switch (this) {
            case POSTGRESQL -> "streams " + configuredFetchSize + " rows per round trip through a cursor"
                    + " (autoCommit off), in read-only transactions";
            case MARIADB -> "streams " + configuredFetchSize + " rows at a time (MariaDB Connector/J fetch size),"
                    + " in read-only transactions";
            case MYSQL -> "streams row by row (Connector/J fetch size Integer.MIN_VALUE), in read-only transactions";
            case DUCKDB -> isInMemoryDuckDb(url)
                    ? "streams one chunk at a time (jdbc_stream_results); an in-memory database, one per connection"
                    : "streams one chunk at a time (jdbc_stream_results); the database file is opened read-only";
            case OTHER -> "uses fetch size " + configuredFetchSize + " and read-only connections as the driver provides";
        };
    }

    static boolean isInMemoryDuckDb(String url) {
        String rest = url.substring("jdbc:duckdb:".length());
        int options = rest.indexOf(';');
        String path = (options < 0 ? rest : rest.substring(0, options)).strip();
        return path.isEmpty() || path.equals(":memory:") || path.startsWith(":memory:");
    }
}
