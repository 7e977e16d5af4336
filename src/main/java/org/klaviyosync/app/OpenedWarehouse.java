package org.klaviyosync.app;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import org.klaviyosync.settings.Settings;
import org.klaviyosync.settings.WarehouseSettings;
import org.klaviyosync.warehouse.DemoCustomers;
import org.klaviyosync.warehouse.DemoOrders;
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
        Optional<String> url = settings.find(WarehouseSettings.JDBC_URL);
        if (url.isPresent()) {
            WarehouseConnections connections = WarehouseConnections.open(settings, url.get(),
                    settings.find(WarehouseSettings.USER).orElse(null), settings.find(WarehouseSettings.PASSWORD));
            LOG.info("Warehouse {} ({}): models {}", connections.describeWarehouse(),
                    connections.engine().displayName(), connections.describeStreaming());
            return new OpenedWarehouse(connections, null);
        }
        EmbeddedWarehouse embedded = EmbeddedWarehouse.start(root.resolve(settings.get(WarehouseSettings.EMBEDDED_DATA_DIR)));
        WarehouseConnections connections;
        try {
            connections = WarehouseConnections.open(settings, embedded.jdbcUrl(), embedded.user(), Optional.empty());
        } catch (RuntimeException e) {
            closeQuietly(embedded);
            throw e;
        }
        OpenedWarehouse opened = new OpenedWarehouse(connections, embedded);
        try {
            int customers = DemoCustomers.ensure(connections.state(), settings.get(WarehouseSettings.EMBEDDED_DEMO_ROWS));
            DemoOrders.ensure(connections.state(), customers);
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
