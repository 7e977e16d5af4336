package org.klaviyosync.observe;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Up when the bookkeeping pool answers {@code select 1} within the timeout. */
public final class WarehouseHealthCheck extends AbstractHealthCheck {

    private final DataSource state;
    private final int timeoutSeconds;

    public WarehouseHealthCheck(DataSource state, int timeoutSeconds) {
        super("klaviyo-sync", "warehouse");
        this.state = state;
        this.timeoutSeconds = timeoutSeconds;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try (Connection c = state.getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(timeoutSeconds);
            s.execute("select 1");
            builder.up().message("the warehouse answered");
        } catch (SQLException e) {
            // the driver's message names host and database at most; never the password
            builder.down().message("the warehouse did not answer (SQLState " + e.getSQLState() + "): " + e.getMessage());
        }
    }
}
