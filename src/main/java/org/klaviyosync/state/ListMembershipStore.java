package org.klaviyosync.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The list memberships a {@code listMode=mirror} sync manages: one row per (identifier key, list
 * id) whose import Klaviyo acknowledged for the sync. Only these are ever removed; a membership
 * stays recorded until Klaviyo acknowledged its removal (or no longer has the profile).
 */
public final class ListMembershipStore {

    /** One managed membership. */
    public record Membership(String identifierKey, String listId) {
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
    }

    /** The sync's managed memberships: identifier key to list ids. */
    public Map<String, Set<String>> managed(String syncId) throws SQLException {
        Map<String, Set<String>> out = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            // PostgreSQL streams with a fetch size only inside a transaction
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("select identifier_key, list_id"
                    + " from klaviyo_sync.list_memberships where sync_id = ?")) {
                ps.setFetchSize(10_000);
                ps.setString(1, syncId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getString(1), k -> new HashSet<>(2)).add(rs.getString(2));
                    }
                }
            } finally {
                c.commit();
                c.setAutoCommit(autoCommit);
            }
        }
        return out;
    }

    /** Records memberships Klaviyo acknowledged in run {@code runId} (ones recorded already stay as they are). */
    public void record(String syncId, long runId, List<Membership> memberships) throws SQLException {
        if (memberships.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into klaviyo_sync.list_memberships"
                        + " (sync_id, identifier_key, list_id, run_id)"
                        + " select ?, k, l, ? from unnest(?::text[], ?::text[]) as m (k, l)"
                        + " on conflict do nothing")) {
            for (int from = 0; from < memberships.size(); from += CHUNK_ROWS) {
                List<Membership> chunk = memberships.subList(from, Math.min(memberships.size(), from + CHUNK_ROWS));
                String[] keys = new String[chunk.size()];
                String[] lists = new String[chunk.size()];
                for (int i = 0; i < chunk.size(); i++) {
                    keys[i] = chunk.get(i).identifierKey();
                    lists[i] = chunk.get(i).listId();
                }
                ps.setString(1, syncId);
                ps.setLong(2, runId);
                ps.setArray(3, c.createArrayOf("text", keys));
                ps.setArray(4, c.createArrayOf("text", lists));
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
