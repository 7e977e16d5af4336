package org.klaviyosync.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Change detection's memory, per sync: {@code klaviyo_sync.fingerprints} holds, per identifier
 * value, the fingerprint of the content Klaviyo last acknowledged (or rejected), and
 * {@code klaviyo_sync.sync_mappings} the hash of the mapping those fingerprints were made under.
 * Rows are written only once Klaviyo has answered for them, many rows per statement.
 */
public final class FingerprintStore {

    /** Rows per upsert or delete statement (each column of the rows is one array parameter). */
    static final int CHUNK_ROWS = 10_000;

    /** Stores the rows given as parallel arrays; the identifiers within one statement are distinct. */
    private static final String UPSERT = "insert into klaviyo_sync.fingerprints"
            + " (sync_id, identifier_value, identifier_hash, fingerprint, rejected, code, detail, run_id, row_fingerprint)"
            + " select ?::text, u.identifier_value, u.identifier_hash, u.fingerprint, u.rejected, u.code, u.detail,"
            + " ?::bigint, u.row_fingerprint"
            + " from unnest(?::text[], ?::bigint[], ?::bigint[], ?::boolean[], ?::text[], ?::text[], ?::bigint[])"
            + " as u (identifier_value, identifier_hash, fingerprint, rejected, code, detail, row_fingerprint)"
            + " on conflict (sync_id, identifier_value) do update set identifier_hash = excluded.identifier_hash,"
            + " fingerprint = excluded.fingerprint, rejected = excluded.rejected, code = excluded.code,"
            + " detail = excluded.detail, run_id = excluded.run_id, row_fingerprint = excluded.row_fingerprint,"
            + " left_at = null";

    /**
     * Records the row fingerprint of rows whose stored content is still acknowledged as it was
     * (a row changed, or was acknowledged, in the meantime keeps what it has).
     */
    private static final String ROW_FINGERPRINTS = "update klaviyo_sync.fingerprints f"
            + " set row_fingerprint = u.row_fingerprint"
            + " from unnest(?::text[], ?::bigint[], ?::bigint[]) as u (identifier_value, fingerprint, row_fingerprint)"
            + " where f.sync_id = ? and f.identifier_value = u.identifier_value and f.fingerprint = u.fingerprint"
            + " and not f.rejected";

    private final DataSource dataSource;

    public FingerprintStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    static void migrate(Statement s) throws SQLException {
        s.execute("""
                create table if not exists klaviyo_sync.fingerprints (
                  sync_id          text not null,
                  identifier_value text not null,
                  identifier_hash  bigint not null,
                  fingerprint      bigint not null,
                  rejected         boolean not null default false,
                  code             text,
                  detail           text,
                  run_id           bigint,
                  primary key (sync_id, identifier_value)
                )""");
        // the warehouse's fingerprint of the model row that gave the acknowledged content (null: not known),
        // which lets a PostgreSQL warehouse holding this table tell unchanged rows without sending them out
        s.execute("alter table klaviyo_sync.fingerprints add column if not exists row_fingerprint bigint");
        // when a run that read the whole model last found the identifier missing from it (null: it was there)
        s.execute("alter table klaviyo_sync.fingerprints add column if not exists left_at timestamptz");
        s.execute("create index if not exists fingerprints_rejected on klaviyo_sync.fingerprints (sync_id)"
                + " where rejected");
        s.execute("""
                create table if not exists klaviyo_sync.sync_mappings (
                  sync_id      text primary key,
                  mapping_hash bigint not null,
                  updated_at   timestamptz not null default now()
                )""");
    }

    /**
     * Makes {@code mappingHash} the sync's mapping. When it differs from the stored one, every
     * stored fingerprint of the sync is dropped in the same transaction, so that every row is sent
     * again (and a run cut short still leaves the rest to be sent). Returns whether it changed.
     */
    public boolean adoptMapping(String syncId, long mappingHash) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                Optional<Long> stored = mappingHash(c, syncId);
                if (stored.isPresent() && stored.get() == mappingHash) {
                    c.commit();
                    return false;
                }
                try (PreparedStatement del = c.prepareStatement("delete from klaviyo_sync.fingerprints where sync_id = ?");
                        PreparedStatement up = c.prepareStatement("insert into klaviyo_sync.sync_mappings"
                                + " (sync_id, mapping_hash) values (?, ?) on conflict (sync_id) do update"
                                + " set mapping_hash = excluded.mapping_hash, updated_at = now()")) {
                    del.setString(1, syncId);
                    del.executeUpdate();
                    up.setString(1, syncId);
                    up.setLong(2, mappingHash);
                    up.executeUpdate();
                }
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    public Optional<Long> mappingHash(String syncId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return mappingHash(c, syncId);
        }
    }

    private static Optional<Long> mappingHash(Connection c, String syncId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select mapping_hash from klaviyo_sync.sync_mappings where sync_id = ?")) {
            ps.setString(1, syncId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /**
     * The acknowledged fingerprints of the sync, streamed into the compact set and sealed for
     * lookups. The rows are counted and read in one repeatable-read transaction, so that the set
     * is allocated at its exact size once.
     */
    public AcknowledgedFingerprints acknowledged(String syncId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // one snapshot for the count and the rows; lets the driver stream with the fetch size
            try {
                try (Statement s = c.createStatement()) {
                    s.execute("set transaction isolation level repeatable read");
                }
                int expected;
                try (PreparedStatement count = c.prepareStatement(
                        "select count(*) from klaviyo_sync.fingerprints where sync_id = ? and not rejected")) {
                    count.setString(1, syncId);
                    try (ResultSet rs = count.executeQuery()) {
                        rs.next();
                        expected = (int) Math.min(Integer.MAX_VALUE - 16, rs.getLong(1));
                    }
                }
                AcknowledgedFingerprints acknowledged = new AcknowledgedFingerprints(expected);
                try (PreparedStatement ps = c.prepareStatement("select identifier_hash, fingerprint"
                        + " from klaviyo_sync.fingerprints where sync_id = ? and not rejected")) {
                    ps.setFetchSize(10_000);
                    ps.setString(1, syncId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            acknowledged.put(rs.getLong(1), rs.getLong(2));
                        }
                    }
                }
                acknowledged.seal();
                return acknowledged;
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        }
    }

    /** The rows of the sync whose current stored content Klaviyo rejected, by identifier value. */
    public Map<String, StoredRejection> rejections(String syncId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select identifier_value, fingerprint, code, detail, run_id"
                        + " from klaviyo_sync.fingerprints where sync_id = ? and rejected")) {
            ps.setString(1, syncId);
            Map<String, StoredRejection> out = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new StoredRejection(rs.getLong(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5)));
                }
            }
            return out;
        }
    }

    /**
     * Applies the changes (last one per identifier wins), in identifier order: the rows to store go
     * in one upsert per {@value #CHUNK_ROWS} rows, their columns bound as seven arrays, the row
     * fingerprints of rows still acknowledged as they were in one update per {@value #CHUNK_ROWS}, and
     * the rows to forget in one delete per {@value #CHUNK_ROWS} identifiers. Each statement commits on
     * its own.
     */
    public void apply(String syncId, long runId, List<FingerprintChange> changes) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        Map<String, FingerprintChange> last = new HashMap<>((int) Math.min(1 << 30, changes.size() * 4L / 3 + 1));
        for (FingerprintChange ch : changes) {
            last.put(ch.identifierValue(), ch);
        }
        List<FingerprintChange> upserts = new ArrayList<>();
        List<String> forgets = new ArrayList<>();
        List<FingerprintChange> rowFingerprints = new ArrayList<>();
        for (FingerprintChange ch : last.values()) {
            if (ch.kind() == FingerprintChange.Kind.FORGET) {
                forgets.add(ch.identifierValue());
            } else if (ch.kind() == FingerprintChange.Kind.ROW_FINGERPRINT) {
                rowFingerprints.add(ch);
            } else {
                upserts.add(ch);
            }
        }
        // in key order, each statement touches a narrow range of the primary key's pages
        upserts.sort(Comparator.comparing(FingerprintChange::identifierValue));
        forgets.sort(Comparator.naturalOrder());
        rowFingerprints.sort(Comparator.comparing(FingerprintChange::identifierValue));
        try (Connection c = dataSource.getConnection()) {
            if (!upserts.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
                    for (int from = 0; from < upserts.size(); from += CHUNK_ROWS) {
                        upsert(c, ps, syncId, runId, upserts.subList(from, Math.min(upserts.size(), from + CHUNK_ROWS)));
                    }
                }
            }
            if (!rowFingerprints.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(ROW_FINGERPRINTS)) {
                    for (int from = 0; from < rowFingerprints.size(); from += CHUNK_ROWS) {
                        recordRowFingerprints(c, ps, syncId,
                                rowFingerprints.subList(from, Math.min(rowFingerprints.size(), from + CHUNK_ROWS)));
                    }
                }
            }
            if (!forgets.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("delete from klaviyo_sync.fingerprints"
                        + " where sync_id = ? and identifier_value = any (?)")) {
                    for (int from = 0; from < forgets.size(); from += CHUNK_ROWS) {
                        List<String> chunk = forgets.subList(from, Math.min(forgets.size(), from + CHUNK_ROWS));
                        ps.setString(1, syncId);
                        ps.setArray(2, c.createArrayOf("text", chunk.toArray(new String[0])));
                        ps.executeUpdate();
                    }
                }
            }
        }
    }

    private static void upsert(Connection c, PreparedStatement ps, String syncId, long runId,
            List<FingerprintChange> chunk) throws SQLException {
        int n = chunk.size();
        String[] identifiers = new String[n];
        Long[] hashes = new Long[n];
        Long[] fingerprints = new Long[n];
        Boolean[] rejected = new Boolean[n];
        String[] codes = new String[n];
        String[] details = new String[n];
        Long[] rowFingerprints = new Long[n];
        for (int i = 0; i < n; i++) {
            FingerprintChange ch = chunk.get(i);
            boolean r = ch.kind() == FingerprintChange.Kind.REJECTED;
            identifiers[i] = ch.identifierValue();
            hashes[i] = AcknowledgedFingerprints.identifierHash(ch.identifierValue());
            fingerprints[i] = ch.fingerprint();
            rejected[i] = r;
            codes[i] = r ? ch.code() : null;
            details[i] = r ? ch.detail() : null;
            rowFingerprints[i] = r ? null : ch.rowFingerprint();
        }
        ps.setString(1, syncId);
        ps.setLong(2, runId);
        ps.setArray(3, c.createArrayOf("text", identifiers));
        ps.setArray(4, c.createArrayOf("int8", hashes));
        ps.setArray(5, c.createArrayOf("int8", fingerprints));
        ps.setArray(6, c.createArrayOf("bool", rejected));
        ps.setArray(7, c.createArrayOf("text", codes));
        ps.setArray(8, c.createArrayOf("text", details));
        ps.setArray(9, c.createArrayOf("int8", rowFingerprints));
        ps.executeUpdate();
    }

    private static void recordRowFingerprints(Connection c, PreparedStatement ps, String syncId,
            List<FingerprintChange> chunk) throws SQLException {
        int n = chunk.size();
        String[] identifiers = new String[n];
        Long[] fingerprints = new Long[n];
        Long[] rowFingerprints = new Long[n];
        for (int i = 0; i < n; i++) {
            identifiers[i] = chunk.get(i).identifierValue();
            fingerprints[i] = chunk.get(i).fingerprint();
            rowFingerprints[i] = chunk.get(i).rowFingerprint();
        }
        ps.setArray(1, c.createArrayOf("text", identifiers));
        ps.setArray(2, c.createArrayOf("int8", fingerprints));
        ps.setArray(3, c.createArrayOf("int8", rowFingerprints));
        ps.setString(4, syncId);
        ps.executeUpdate();
    }

    /** How many fingerprints the sync has stored (acknowledged and rejected). */
    public long count(String syncId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select count(*) from klaviyo_sync.fingerprints where sync_id = ?")) {
            ps.setString(1, syncId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
