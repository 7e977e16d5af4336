package org.klaviyosync.warehouse;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Optional;
import javax.sql.DataSource;
import org.klaviyosync.settings.ConfigurationException;
import org.klaviyosync.settings.Settings;
import org.klaviyosync.settings.StateSettings;
import org.klaviyosync.settings.WarehouseSettings;

/**
 * The two connection pools: one that runs models (read-only transactions, autoCommit off and a
 * fetch size, so results stream instead of loading whole; the rules per engine are in
 * {@link JdbcEngine}), and one for the bookkeeping tables, always PostgreSQL.
 */
public final class WarehouseConnections implements AutoCloseable {

    private final String warehouseUrl;
    private final JdbcEngine engine;
    private final HikariDataSource models;
    private final HikariDataSource state;
    private final int fetchSize;
    private HikariDataSource locks;

    private WarehouseConnections(String warehouseUrl, HikariDataSource models, HikariDataSource state, int fetchSize) {
        this.warehouseUrl = warehouseUrl;
        this.engine = JdbcEngine.of(warehouseUrl);
        this.models = models;
        this.state = state;
        this.fetchSize = fetchSize;
    }

    /** Opens the pools for the warehouse at {@code url} (the embedded one or WAREHOUSE_JDBC_URL). */
    public static WarehouseConnections open(Settings settings, String url, String user, Optional<String> password) {
        int fetchSize = settings.get(WarehouseSettings.FETCH_SIZE);
        JdbcEngine engine = JdbcEngine.of(url);
        int poolSize = settings.get(WarehouseSettings.POOL_SIZE);
        HikariConfig modelConfig = new HikariConfig();
        modelConfig.setPoolName("warehouse-models");
        modelConfig.setJdbcUrl(url);
        modelConfig.setUsername(user);
        password.ifPresent(modelConfig::setPassword);
        modelConfig.setReadOnly(engine.readOnlyConnections(url));
        modelConfig.setAutoCommit(false);
        modelConfig.setMaximumPoolSize(poolSize);
        modelConfig.setConnectionTimeout(settings.get(WarehouseSettings.CONNECT_TIMEOUT_MS));
        engine.modelPoolProperties(url, fetchSize).forEach(modelConfig::addDataSourceProperty);
        if (engine.modelConnectionInitSql() != null) {
            modelConfig.setConnectionInitSql(engine.modelConnectionInitSql());
        }

        HikariConfig stateConfig = new HikariConfig();
        stateConfig.setPoolName("klaviyo-sync-state");
        Optional<String> stateUrl = settings.find(StateSettings.JDBC_URL);
        if (stateUrl.isPresent()) {
            stateConfig.setJdbcUrl(stateUrl.get());
            stateConfig.setUsername(settings.find(StateSettings.USER).orElse(null));
            settings.find(StateSettings.PASSWORD).ifPresent(stateConfig::setPassword);
        } else if (isPostgres(url)) {
            stateConfig.setJdbcUrl(url);
            stateConfig.setUsername(user);
            password.ifPresent(stateConfig::setPassword);
        } else {
            throw new ConfigurationException("the warehouse " + url.replaceAll("[?;].*", "")
                    + " (" + engine.displayName() + ") is not PostgreSQL, so the bookkeeping tables need a PostgreSQL database of their own:"
                    + " set STATE_JDBC_URL (and STATE_USER, STATE_PASSWORD)");
        }
        if (!isPostgres(stateConfig.getJdbcUrl())) {
            throw new ConfigurationException("STATE_JDBC_URL must name a PostgreSQL database (jdbc:postgresql://...),"
                    + " not " + stateConfig.getJdbcUrl().replaceAll("[?;].*", ""));
        }
        stateConfig.setAutoCommit(true);
        stateConfig.setMaximumPoolSize(settings.get(StateSettings.POOL_SIZE));
        stateConfig.setConnectionTimeout(settings.get(WarehouseSettings.CONNECT_TIMEOUT_MS));
        return new WarehouseConnections(url, openedOnFirstUse(modelConfig), openedOnFirstUse(stateConfig), fetchSize);
    }

    /**
     * A pool that opens on its first use. Until the database accepts a connection, every use makes
     * one attempt and fails in about a second with the driver's own reason (a wrong password, an
     * unknown database or host), rather than waiting out the connection timeout to say only that
     * no connection was available; once open it is an ordinary pool.
     */
    private static HikariDataSource openedOnFirstUse(HikariConfig config) {
        config.setInitializationFailTimeout(1);
        HikariDataSource pool = new HikariDataSource();
        config.copyStateTo(pool);
        return pool;
    }

    public static boolean isPostgres(String url) {
        return url != null && url.startsWith("jdbc:postgresql:");
    }

    /**
     * Whether the bookkeeping tables live in the warehouse itself: the same PostgreSQL database, reached
     * as the same user, so that a model query can read {@code klaviyo_sync.fingerprints}.
     */
    public boolean bookkeepingInWarehouse() {
        return isPostgres(warehouseUrl) && warehouseUrl.equals(state.getJdbcUrl())
                && java.util.Objects.equals(models.getUsername(), state.getUsername());
    }

    /** Pool for running models: read-only, autoCommit off. */
    public DataSource models() {
        return models;
    }

    /** Pool for the bookkeeping schema. */
    public DataSource state() {
        return state;
    }

    /**
     * Lets the bookkeeping pool open {@code extra} more connections (Quartz's clustered job store
     * shares it when clustering is on).
     */
    public void growStatePool(int extra) {
        state.getHikariConfigMXBean().setMaximumPoolSize(state.getMaximumPoolSize() + extra);
    }

    /**
     * A pool on the bookkeeping database for the run locks ({@link org.klaviyosync.state.SyncLocks}):
     * each running sync holds one connection of it; none are kept idle.
     */
    public synchronized DataSource locks(int maxConnections) {
        if (locks == null) {
            HikariConfig config = new HikariConfig();
            config.setPoolName("klaviyo-sync-locks");
            config.setJdbcUrl(state.getJdbcUrl());
            config.setUsername(state.getUsername());
            config.setPassword(state.getPassword());
            config.setAutoCommit(true);
            config.setMaximumPoolSize(Math.max(1, maxConnections));
            config.setMinimumIdle(0);
            config.setConnectionTimeout(state.getConnectionTimeout());
            locks = openedOnFirstUse(config);
        }
        return locks;
    }

    /** The configured rows per round trip (warehouse.fetch-size). */
    public int fetchSize() {
        return fetchSize;
    }

    /** The warehouse's engine, detected from its URL. */
    public JdbcEngine engine() {
        return engine;
    }

    /** The fetch size the model statement gets, by the engine's streaming rule. */
    public int statementFetchSize() {
        return engine.statementFetchSize(fetchSize);
    }

    /** How this warehouse's models stream and run read-only, in one sentence. */
    public String describeStreaming() {
        return engine.describeStreaming(warehouseUrl, fetchSize);
    }

    /** The warehouse URL without credentials or options, safe to show. */
    public String describeWarehouse() {
        return warehouseUrl.replaceAll("[?;].*", "");
    }

    /** The bookkeeping database's URL without credentials or options, safe to show. */
    public String describeState() {
        return state.getJdbcUrl().replaceAll("[?;].*", "");
    }

    @Override
    public void close() {
        models.close();
        synchronized (this) {
            if (locks != null) {
                locks.close();
            }
        }
        state.close();
    }
}
