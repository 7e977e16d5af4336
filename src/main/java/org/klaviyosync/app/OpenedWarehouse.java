package org.klaviyosync.app;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import org.klaviyosync.settings.Settings;
import org.klaviyosync.warehouse.DemoCustomers;
import org.klaviyosync.warehouse.EmbeddedWarehouse;
import org.klaviyosync.warehouse.WarehouseConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warehouse the models run in and its pools: the configured one, or without
 * {@code warehouse.jdbc-url} an embedded PostgreSQL with a demo {@code customers} table.
 */
record OpenedWarehouse(WarehouseConnections connections, EmbeddedWarehouse embedded) implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpenedWarehouse.class);

    static OpenedWarehouse open(Settings settings, Path root) throws SQLException {
        Optional<String> url = settings.get("warehouse.jdbc-url");
        if (url.isPresent()) {
            WarehouseConnections connections = WarehouseConnections.open(settings, url.get(),
                    settings.get("warehouse.user", null), settings.secret(Settings.WAREHOUSE_PASSWORD));
            LOG.info("Warehouse {} ({}): models {}", connections.describeWarehouse(),
                    connections.engine().displayName(), connections.describeStreaming());
            return new OpenedWarehouse(connections, null);
        }
        EmbeddedWarehouse embedded = EmbeddedWarehouse.start(root.resolve(settings.get("embedded.data-dir",
                "data/embedded-postgres")));
        WarehouseConnections connections;
        try {
            connections = WarehouseConnections.open(settings, embedded.jdbcUrl(), embedded.user(), Optional.empty());
        } catch (RuntimeException e) {
            closeQuietly(embedded);
            throw e;
        }
        OpenedWarehouse opened = new OpenedWarehouse(connections, embedded);
        try {
            DemoCustomers.ensure(connections.state(), settings.getInt("embedded.demo-rows", DemoCustomers.DEFAULT_ROWS));
        } catch (SQLException | RuntimeException e) {
            opened.close();
            throw e;
        }
        return opened;
    }

    /** Closes the pools, then stops the embedded PostgreSQL if there is one. */
    @Override
    public void close() {
        connections.close();
        if (embedded != null) {
            closeQuietly(embedded);
        }
    }

    private static void closeQuietly(EmbeddedWarehouse embedded) {
        try {
            embedded.close();
        } catch (Exception e) {
            LOG.warn("The embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }
}
