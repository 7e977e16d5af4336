package org.klaviyosync.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.function.LongPredicate;
import javax.sql.DataSource;

/**
 * The stored state of identifiers that left a sync's model: a fingerprint row gets {@code left_at}
 * when a run that read the whole model did not find its identifier, loses it when a later such run
 * finds it again, and goes once nothing more is owed for it (after the retention in
 * {@code listMode=add}; once no managed list membership is left in {@code listMode=mirror}). An
 * identifier whose state went is new to the sync: a row of it is sent again.
 */
public final class DepartedIdentifiers {

    private static final String RETURNED = "update klaviyo_sync.fingerprints f set left_at = null"
            + " from unnest(?::bigint[]) as u (h) where f.sync_id = ? and f.identifier_hash = u.h"
            + " and f.left_at is not null";
    private static final String LEFT = "update klaviyo_sync.fingerprints f set left_at = now()"
            + " from unnest(?::bigint[]) as u (h) where f.sync_id = ? and f.identifier_hash = u.h"
            + " and f.left_at is null";

    private final DataSource dataSource;

    public DepartedIdentifiers(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * After a run that read the whole model and passed every row's identifier through {@code read}
     * (by its {@link AcknowledgedFingerprints#identifierHash}): marks the stored identifiers it did
     * not read as left and those it read as present. Returns how many are left now.
     */
    public long markFromIdentifiersRead(String syncId, LongPredicate read) throws SQLException {
        LongList left = new LongList();
        LongList returned = new LongList();
        long leftNow = 0;
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // streams with the fetch size
            try {
                try (PreparedStatement ps = c.prepareStatement("select identifier_hash, left_at is not null"
                        + " from klaviyo_sync.fingerprints where sync_id = ?")) {
                    ps.setFetchSize(10_000);
                    ps.setString(1, syncId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long hash = rs.getLong(1);
                            boolean wasLeft = rs.getBoolean(2);
                            boolean there = read.test(hash);
                            if (!there) {
                                leftNow++;
                                if (!wasLeft) {
                                    left.add(hash);
                                }
                            } else if (wasLeft) {
                                returned.add(hash);
                            }
                        }
                    }
                }
                update(c, LEFT, syncId, left);
                update(c, RETURNED, syncId, returned);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
        return leftNow;
    }

    /**
     * After a run compared in the warehouse (which holds these tables) that read the whole model:
     * when the rows it found unchanged are as many as the identifiers stored before it, every
     * stored identifier was there; otherwise {@code presentIdentifiersSql}, the identifier values
     * of the model's rows as stored, tells which. Returns how many are left now.
     */
    public long markInWarehouse(String syncId, long runId, long unchangedRows, String presentIdentifiersSql)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                long storedBefore;
                // rows the run stored are new or changed ones; unchanged rows are stored before it, each once
                try (PreparedStatement ps = c.prepareStatement("select count(*) from klaviyo_sync.fingerprints"
                        + " where sync_id = ? and run_id is distinct from ?")) {
                    ps.setString(1, syncId);
                    ps.setLong(2, runId);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        storedBefore = rs.getLong(1);
                    }
                }
                if (unchangedRows >= storedBefore) {
                    try (PreparedStatement ps = c.prepareStatement("update klaviyo_sync.fingerprints"
                            + " set left_at = null where sync_id = ? and left_at is not null")) {
                        ps.setString(1, syncId);
                        ps.executeUpdate();
                    }
                    c.commit();
                    return 0;
                }
                String present = "(select 1 from (" + presentIdentifiersSql + ") p"
                        + " where p.identifier_value = f.identifier_value)";
                try (PreparedStatement left = c.prepareStatement("update klaviyo_sync.fingerprints f"
                        + " set left_at = now() where f.sync_id = ? and f.left_at is null and not exists " + present);
                        PreparedStatement back = c.prepareStatement("update klaviyo_sync.fingerprints f"
                                + " set left_at = null where f.sync_id = ? and f.left_at is not null and exists "
                                + present)) {
                    left.setString(1, syncId);
                    left.executeUpdate();
                    back.setString(1, syncId);
                    back.executeUpdate();
                }
                long leftNow = countLeft(c, syncId);
                c.commit();
                return leftNow;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    /** {@code listMode=add}: forgets the identifiers that left before {@code before}; returns how many. */
    public int forgetLeftBefore(String syncId, Instant before) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(withTheirConsent("delete from klaviyo_sync.fingerprints"
                        + " where sync_id = ? and left_at < ?"))) {
            ps.setString(1, syncId);
            ps.setTimestamp(2, Timestamp.from(before));
            ps.setString(3, syncId);
            return forgotten(ps);
        }
    }

    /**
     * {@code listMode=mirror}: forgets the identifiers that left and have no managed list membership
     * left (every removal owed for them was acknowledged); returns how many.
     */
    public int forgetLeftWithoutMemberships(String syncId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(withTheirConsent("delete from klaviyo_sync.fingerprints f"
                        + " where f.sync_id = ? and f.left_at is not null and not exists (select 1"
                        + " from klaviyo_sync.list_memberships m where m.sync_id = f.sync_id"
                        + " and m.identifier_key = f.identifier_value)"))) {
            ps.setString(1, syncId);
            ps.setString(2, syncId);
            return forgotten(ps);
        }
    }

    /**
     * {@code deleteFingerprints} (its last parameter the sync id) extended so that the consent Klaviyo
     * acknowledged for those identifiers goes in the same statement: a returning identifier is new,
     * its consent sent again. The statement's last parameter is the sync id once more.
     */
    private static String withTheirConsent(String deleteFingerprints) {
        return "with gone as (" + deleteFingerprints + " returning identifier_value),"
                + " consent as (delete from klaviyo_sync.consent_states s using gone"
                + " where s.sync_id = ? and s.identifier_value = gone.identifier_value)"
                + " select count(*) from gone";
    }

    private static int forgotten(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static long countLeft(Connection c, String syncId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from klaviyo_sync.fingerprints"
                + " where sync_id = ? and left_at is not null")) {
            ps.setString(1, syncId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void update(Connection c, String sql, String syncId, LongList hashes) throws SQLException {
        if (hashes.size == 0) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("int8", hashes.boxed()));
            ps.setString(2, syncId);
            ps.executeUpdate();
        }
    }

    /** A growing list of longs, boxed only when bound. */
    private static final class LongList {
        long[] values = new long[16];
        int size;

        void add(long v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        Long[] boxed() {
            Long[] out = new Long[size];
            for (int i = 0; i < size; i++) {
                out[i] = values[i];
            }
            return out;
        }
    }
}
