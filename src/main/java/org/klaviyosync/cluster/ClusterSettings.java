package org.klaviyosync.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.klaviyosync.settings.ClusteringSettings;
import org.klaviyosync.settings.Settings;
import org.quartz.utils.DBConnectionManager;

/**
 * Several instances on one schedule: with {@code cluster.enabled}, Quartz keeps its triggers in
 * the bookkeeping PostgreSQL (clustered JDBC job store, tables {@code klaviyo_sync.qrtz_*}), so
 * each tick fires on exactly one instance and the others take over the schedules of an instance
 * that stops checking in.
 */
public final class ClusterSettings {

    /** Quartz's tables, next to the bookkeeping tables. */
    public static final String TABLE_PREFIX = "klaviyo_sync.qrtz_";

    private final boolean enabled;
    private final String instanceId;
    private final long checkinIntervalMs;
    private final long misfireThresholdMs;
    private final int threads;

    private ClusterSettings(boolean enabled, String instanceId, long checkinIntervalMs, long misfireThresholdMs,
            int threads) {
        this.enabled = enabled;
        this.instanceId = instanceId;
        this.checkinIntervalMs = checkinIntervalMs;
        this.misfireThresholdMs = misfireThresholdMs;
        this.threads = threads;
    }

    public static ClusterSettings from(Settings settings) {
        String id = settings.get(ClusteringSettings.INSTANCE_ID).strip();
        if (id.isEmpty() || id.equalsIgnoreCase("AUTO")) {
            id = hostName() + "-" + ProcessHandle.current().pid();
        }
        long checkin = settings.get(ClusteringSettings.CHECKIN_INTERVAL_MS);
        long misfire = settings.get(ClusteringSettings.MISFIRE_THRESHOLD_MS);
        int threads = settings.get(ClusteringSettings.THREADS);
        return new ClusterSettings(settings.get(ClusteringSettings.ENABLED), id, checkin, misfire, threads);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    public boolean enabled() {
        return enabled;
    }

    /** This process's name in the run history and among Quartz's cluster members. */
    public String instanceId() {
        return instanceId;
    }

    /** Connections Quartz's job store may hold at once: one per worker thread plus its housekeeping. */
    public int connectionsNeeded() {
        return threads + 2;
    }

    /**
     * Creates Quartz's tables if missing, hands Quartz the bookkeeping pool and returns the
     * properties of the clustered scheduler. {@code schedulerName} must be the same on every
     * instance (it is the cluster's name in the tables).
     */
    public Map<String, Object> quartzProperties(DataSource state, String schedulerName) throws SQLException {
        QuartzTables.ensure(state, TABLE_PREFIX);
        String dataSourceName = "klaviyoSyncState-" + instanceId;
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new PooledConnectionProvider(state));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("org.quartz.scheduler.instanceName", schedulerName);
        p.put("org.quartz.scheduler.instanceId", instanceId);
        p.put("org.quartz.scheduler.skipUpdateCheck", "true");
        p.put("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.put("org.quartz.threadPool.threadCount", Integer.toString(threads));
        p.put("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.put("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.put("org.quartz.jobStore.dataSource", dataSourceName);
        p.put("org.quartz.jobStore.tablePrefix", TABLE_PREFIX);
        p.put("org.quartz.jobStore.isClustered", "true");
        p.put("org.quartz.jobStore.clusterCheckinInterval", Long.toString(checkinIntervalMs));
        p.put("org.quartz.jobStore.misfireThreshold", Long.toString(misfireThresholdMs));
        return p;
    }
}
