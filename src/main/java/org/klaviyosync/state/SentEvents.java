package org.klaviyosync.state;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * What an event sync has sent, read from the same fingerprint store as every sync
 * ({@code klaviyo_sync.fingerprints}, one row per event id): for a chunk of event ids, whether
 * Klaviyo acknowledged or rejected each and with what content. Looked up per chunk by primary key,
 * so an event table of any size is never held in memory.
 */
public final class SentEvents {

    /** An event id's stored answer. */
    public record Sent(long fingerprint, boolean rejected, String code, String detail, long runId) {
    }

    private final DataSource dataSource;

    public SentEvents(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The stored answers of those of {@code eventIds} the sync has one for. */
    public Map<String, Sent> of(String syncId, Collection<String> eventIds) throws SQLException {
        Map<String, Sent> out = new HashMap<>();
        if (eventIds.isEmpty()) {
            return out;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select identifier_value, fingerprint, rejected, code,"
                        + " detail, run_id from klaviyo_sync.fingerprints where sync_id = ? and identifier_value = any (?)")) {
            Array ids = c.createArrayOf("text", eventIds.toArray(new String[0]));
            ps.setString(1, syncId);
            ps.setArray(2, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new Sent(rs.getLong(2), rs.getBoolean(3), rs.getString(4),
                            rs.getString(5), rs.getLong(6)));
                }
            }
        }
        return out;
    }
}
