package org.klaviyosync.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The list memberships a {@code listMode=mirror} sync manages: one row per (identifier key, list
 * id) whose import Klaviyo acknowledged for the sync. Only these are ever removed; a membership
 * stays recorded until Klaviyo acknowledged its removal (or no longer has the profile).
 */
public final class ListMembershipStore {

    /** One managed membership; {@code listReference} is the list's name or id as the row gave it (null: not known). */
    public record Membership(String identifierKey, String listId, String listReference) {
    }

    /** Which managed memberships a run no longer names. */
    @FunctionalInterface
    public interface NoLongerNamed {
        boolean test(String identifierKey, String listId, String listReference);
    }

    /** Up to a call's worth of the memberships of one list no longer named, and where the next page starts. */
    public record Page(List<String> identifierKeys, String after, boolean last) {
    }

    private static final int CHUNK_ROWS = 10_000;

    private final DataSource dataSource;

    public ListMembershipStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    static void migrate(Statement s) throws SQLException {
        s.execute("""
                create table if not exists klaviyo_sync.list_memberships (
                  sync_id        text not null,
                  identifier_key text not null,
                  list_id        text not null,
                  run_id         bigint,
                  primary key (sync_id, identifier_key, list_id)
                )""");
        // the list as the row named it, so that a dry run (which resolves no name) can match it
        s.execute("alter table klaviyo_sync.list_memberships add column if not exists list_reference text");
    }

    /** The sync's managed memberships per list id. */
    public Map<String, Integer> managedPerList(String syncId) throws SQLException {
        Map<String, Integer> out = new TreeMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select list_id, count(*)"
                        + " from klaviyo_sync.list_memberships where sync_id = ? group by list_id")) {
            ps.setString(1, syncId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), Math.toIntExact(rs.getLong(2)));
                }
            }
        }
        return out;
    }

    /** How many of the sync's managed memberships are no longer named, per list id: one streamed pass. */
    public Map<String, Integer> noLongerNamedPerList(String syncId, NoLongerNamed test) throws SQLException {
        Map<String, Integer> out = new TreeMap<>();
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            // PostgreSQL streams with a fetch size only inside a transaction
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("select identifier_key, list_id, list_reference"
                    + " from klaviyo_sync.list_memberships where sync_id = ?")) {
                ps.setFetchSize(CHUNK_ROWS);
                ps.setString(1, syncId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (test.test(rs.getString(1), rs.getString(2), rs.getString(3))) {
                            out.merge(rs.getString(2), 1, Integer::sum);
                        }
                    }
                }
            } finally {
                c.commit();
                c.setAutoCommit(autoCommit);
            }
        }
        return out;
    }

    /**
     * The next (at most {@code max}) memberships of list {@code listId} no longer named, in key order
     * after {@code after} (start with the empty string), read {@value #CHUNK_ROWS} rows at a time.
     */
    public Page noLongerNamed(String syncId, String listId, String after, NoLongerNamed test, int max)
            throws SQLException {
        List<String> keys = new ArrayList<>();
        String from = after;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select identifier_key, list_reference"
                        + " from klaviyo_sync.list_memberships where sync_id = ? and list_id = ?"
                        + " and identifier_key > ? order by identifier_key limit " + CHUNK_ROWS)) {
            while (true) {
                ps.setString(1, syncId);
                ps.setString(2, listId);
                ps.setString(3, from);
                int rows = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        from = rs.getString(1);
                        if (test.test(from, listId, rs.getString(2))) {
                            keys.add(from);
                            if (keys.size() == max) {
                                return new Page(keys, from, false);
                            }
                        }
                    }
                }
                if (rows < CHUNK_ROWS) {
                    return new Page(keys, from, true);
                }
            }
        }
    }

    /** Records memberships Klaviyo acknowledged in run {@code runId} (ones recorded already keep their run). */
    public void record(String syncId, long runId, List<Membership> memberships) throws SQLException {
        if (memberships.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into klaviyo_sync.list_memberships as m"
                        + " (sync_id, identifier_key, list_id, run_id, list_reference)"
                        + " select ?, k, l, ?, r from unnest(?::text[], ?::text[], ?::text[]) as u (k, l, r)"
                        + " on conflict (sync_id, identifier_key, list_id) do update"
                        + " set list_reference = excluded.list_reference"
                        + " where m.list_reference is distinct from excluded.list_reference")) {
            for (int from = 0; from < memberships.size(); from += CHUNK_ROWS) {
                List<Membership> chunk = memberships.subList(from, Math.min(memberships.size(), from + CHUNK_ROWS));
                String[] keys = new String[chunk.size()];
                String[] lists = new String[chunk.size()];
                String[] references = new String[chunk.size()];
                for (int i = 0; i < chunk.size(); i++) {
                    keys[i] = chunk.get(i).identifierKey();
                    lists[i] = chunk.get(i).listId();
                    references[i] = chunk.get(i).listReference();
                }
                ps.setString(1, syncId);
                ps.setLong(2, runId);
                ps.setArray(3, c.createArrayOf("text", keys));
                ps.setArray(4, c.createArrayOf("text", lists));
                ps.setArray(5, c.createArrayOf("text", references));
                ps.executeUpdate();
            }
        }
    }

    /** Forgets memberships of one list (their removal was acknowledged, or the profile is gone). */
    public void forget(String syncId, String listId, Collection<String> identifierKeys) throws SQLException {
        if (identifierKeys.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from klaviyo_sync.list_memberships"
                        + " where sync_id = ? and list_id = ? and identifier_key = any (?)")) {
            ps.setString(1, syncId);
            ps.setString(2, listId);
            ps.setArray(3, c.createArrayOf("text", new ArrayList<>(identifierKeys).toArray(new String[0])));
            ps.executeUpdate();
        }
    }
}
