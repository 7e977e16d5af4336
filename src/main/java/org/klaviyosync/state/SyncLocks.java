package org.klaviyosync.state;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lock per sync across every process sharing the bookkeeping database: a PostgreSQL session
 * advisory lock, held on a connection of its own for as long as the run lasts. When the process
 * dies its connection closes and the lock is free again.
 */
public final class SyncLocks {

    private static final Logger LOG = LoggerFactory.getLogger(SyncLocks.class);

    private final DataSource dataSource;

    /** @param dataSource a pool used only for these locks: each held lock keeps one connection */
    public SyncLocks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A held lock; closing it releases the lock and returns its connection. */
    public interface Held extends AutoCloseable {
        /**
         * Null while the lock is held; once its connection is gone (the database restarted, the
         * network dropped it, its backend was terminated) the lock is free for anyone, and this
         * says why. Answers within about a second.
         */
        String lost();

        @Override
        void close();
    }

    /** Takes the sync's lock if no one holds it; empty if another run (in any process) has it. */
    public Optional<Held> tryLock(String syncId) throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            boolean taken;
            try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(hashtext(?))")) {
                ps.setString(1, key(syncId));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    taken = rs.getBoolean(1);
                }
            }
            if (!taken) {
                c.close();
                return Optional.empty();
            }
            return Optional.of(new Held() {
                @Override
                public String lost() {
                    return lostReason(c);
                }

                @Override
                public void close() {
                    release(c, syncId);
                }
            });
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private static String lostReason(Connection c) {
        try {
            // a round trip on the session that holds the lock: fails once the session is gone
            return c.isValid(1) ? null : "its database connection no longer answers";
        } catch (SQLException e) {
            return "its database connection failed: " + e.getMessage();
        }
    }

    private void release(Connection c, String syncId) {
        boolean unlocked = false;
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_unlock(hashtext(?))")) {
            ps.setString(1, key(syncId));
            ps.execute();
            unlocked = true;
        } catch (SQLException e) {
            LOG.warn("Could not release the run lock of sync '{}' ({}); dropping its connection", syncId,
                    e.getMessage());
        }
        try {
            if (!unlocked && dataSource instanceof HikariDataSource pool) {
                // a connection that could not unlock must not go back to the pool holding the lock
                pool.evictConnection(c);
            } else {
                c.close();
            }
        } catch (SQLException e) {
            LOG.debug("Closing the run lock connection of sync '{}' failed: {}", syncId, e.getMessage());
        }
    }

    static String key(String syncId) {
        return "klaviyo-sync:" + syncId;
    }
}
