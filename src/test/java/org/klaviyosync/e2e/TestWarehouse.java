package org.klaviyosync.e2e;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.klaviyosync.warehouse.DemoCustomers;

/**
 * A real PostgreSQL for the tests: one embedded server per test JVM, a fresh database per caller,
 * optionally filled with the demo customers.
 */
public final class TestWarehouse {

    private static EmbeddedPostgres server;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final String database;

    private TestWarehouse(String database) {
        this.database = database;
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
        }
        return server;
    }

    /** A new empty database. */
    public static TestWarehouse fresh() throws SQLException {
        String name = "warehouse_" + DATABASES.incrementAndGet();
        try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
        return new TestWarehouse(name);
    }

    /** A new database holding the demo customers. */
    public static TestWarehouse withDemoCustomers(int rows) throws SQLException {
        TestWarehouse w = fresh();
        DemoCustomers.ensure(w.dataSource(), rows);
        return w;
    }

    public String jdbcUrl() {
        return server().getJdbcUrl("postgres", database);
    }

    /** The database as a libpq URI ({@code postgresql://user@host:port/db}), for psql and other clients. */
    public String connectionUri() {
        return "postgresql://postgres@localhost:" + server().getPort() + "/" + database;
    }

    public DataSource dataSource() {
        return server().getDatabase("postgres", database);
    }

    /** Drops the bookkeeping schema: the next run starts as if no sync ever ran here. */
    public void forgetSyncs() throws SQLException {
        execute("drop schema if exists klaviyo_sync cascade");
    }

    public void execute(String... sql) throws SQLException {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    /**
     * The fingerprints stored as acknowledged by Klaviyo for {@code syncId}; 0 while the
     * bookkeeping schema does not exist yet (before the first run has started).
     */
    public long acknowledgedFingerprints(String syncId) throws SQLException {
        try (Connection c = dataSource().getConnection();
                java.sql.PreparedStatement s = c.prepareStatement(
                        "select count(*) from klaviyo_sync.fingerprints where sync_id = ? and not rejected")) {
            s.setString(1, syncId);
            try (java.sql.ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            return 0;
        }
    }
}
