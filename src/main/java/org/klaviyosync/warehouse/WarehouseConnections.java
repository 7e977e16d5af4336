package org.klaviyosync.warehouse;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Optional;
import javax.sql.DataSource;
import org.klaviyosync.settings.ConfigurationException;
import org.klaviyosync.settings.Settings;

/**
 * The two connection pools: one that runs models (read-only transactions, autoCommit off and a
 * fetch size, so results stream instead of loading whole), and one for the bookkeeping tables.
 */
public final class WarehouseConnections implements AutoCloseable {

    private final String warehouseUrl;
    private final HikariDataSource models;
    private final HikariDataSource state;
    private final int fetchSize;

    private WarehouseConnections(String warehouseUrl, HikariDataSource models, HikariDataSource state, int fetchSize) {
        this.warehouseUrl = warehouseUrl;
        this.models = models;
        this.state = state;
        this.fetchSize = fetchSize;
    }

    /** Opens the pools for the warehouse at {@code url} (the embedded one or WAREHOUSE_JDBC_URL). */
    public static WarehouseConnections open(Settings settings, String url, String user, Optional<String> password) {
        int fetchSize = settings.getInt("warehouse.fetch-size", 1000);
        int poolSize = settings.getInt("warehouse.pool-size", 4);
        HikariConfig modelConfig = new HikariConfig();
        modelConfig.setPoolName("warehouse-models");
        modelConfig.setJdbcUrl(url);
        modelConfig.setUsername(user);
        password.ifPresent(modelConfig::setPassword);
        modelConfig.setReadOnly(true);
        modelConfig.setAutoCommit(false);
        modelConfig.setMaximumPoolSize(poolSize);
        modelConfig.setInitializationFailTimeout(-1);
        modelConfig.setConnectionTimeout(settings.getLong("warehouse.connect-timeout-ms", 10_000));
        if (isPostgres(url)) {
            modelConfig.addDataSourceProperty("defaultRowFetchSize", String.valueOf(fetchSize));
            modelConfig.addDataSourceProperty("ApplicationName", "klaviyo-sync");
        }

        HikariConfig stateConfig = new HikariConfig();
        stateConfig.setPoolName("klaviyo-sync-state");
        Optional<String> stateUrl = settings.get("state.jdbc-url");
        if (stateUrl.isPresent()) {
            stateConfig.setJdbcUrl(stateUrl.get());
            stateConfig.setUsername(settings.get("state.user", null));
            settings.secret(Settings.STATE_PASSWORD).ifPresent(stateConfig::setPassword);
        } else if (isPostgres(url)) {
            stateConfig.setJdbcUrl(url);
            stateConfig.setUsername(user);
            password.ifPresent(stateConfig::setPassword);
        } else {
            throw new ConfigurationException("the warehouse " + url.replaceAll("[?;].*", "")
                    + " is not PostgreSQL, so the bookkeeping tables need a PostgreSQL database of their own:"
                    + " set STATE_JDBC_URL (and STATE_USER, STATE_PASSWORD)");
        }
        if (!isPostgres(stateConfig.getJdbcUrl())) {
            throw new ConfigurationException("STATE_JDBC_URL must name a PostgreSQL database (jdbc:postgresql://...),"
                    + " not " + stateConfig.getJdbcUrl().replaceAll("[?;].*", ""));
        }
        stateConfig.setAutoCommit(true);
        stateConfig.setMaximumPoolSize(settings.getInt("state.pool-size", 4));
        stateConfig.setInitializationFailTimeout(-1);
        stateConfig.setConnectionTimeout(settings.getLong("warehouse.connect-timeout-ms", 10_000));
        return new WarehouseConnections(url, new HikariDataSource(modelConfig), new HikariDataSource(stateConfig),
                fetchSize);
    }

    public static boolean isPostgres(String url) {
        return url != null && url.startsWith("jdbc:postgresql:");
    }

    /** Pool for running models: read-only, autoCommit off. */
    public DataSource models() {
        return models;
    }

    /** Pool for the bookkeeping schema. */
    public DataSource state() {
        return state;
    }

    public int fetchSize() {
        return fetchSize;
    }

    /** The warehouse URL without credentials or options, safe to show. */
    public String describeWarehouse() {
        return warehouseUrl.replaceAll("[?;].*", "");
    }

    @Override
    public void close() {
        models.close();
        state.close();
    }
}
