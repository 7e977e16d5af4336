package org.klaviyosync.app;

import java.sql.SQLException;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.main.Main;
import org.klaviyosync.cluster.ClusterSettings;
import org.klaviyosync.warehouse.WarehouseConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quartz with its clustered JDBC job store on the bookkeeping database, on the bookkeeping pool
 * (grown by what the job store needs). One-shot commands keep the in-memory store: they never fire
 * schedules and must not touch the shared triggers.
 */
final class ClusteredSchedules {

    private static final Logger LOG = LoggerFactory.getLogger(ClusteredSchedules.class);

    private ClusteredSchedules() {
    }

    static void bind(Main main, ClusterSettings cluster, WarehouseConnections connections, String camelName)
            throws SQLException {
        connections.growStatePool(cluster.connectionsNeeded());
        QuartzComponent quartz = new QuartzComponent();
        quartz.setProperties(cluster.quartzProperties(connections.state(), camelName));
        // the scheduler name is the cluster's name in the tables: the same on every instance
        quartz.setPrefixInstanceName(false);
        main.bind("quartz", quartz);
        LOG.info("Clustered schedules: instance {} shares the Quartz triggers in {}* of the bookkeeping database",
                cluster.instanceId(), ClusterSettings.TABLE_PREFIX);
    }
}
