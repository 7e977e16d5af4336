package org.klaviyosync.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The marketing consent a sync last got Klaviyo to acknowledge, per identifier and channel
 * ({@code klaviyo_sync.consent_states}): a consent value is sent again only when it differs from
 * this, whatever else made its row go. A channel is written only once its subscribe or unsubscribe
 * request was acknowledged; a NULL column means nothing acknowledged on that channel.
 */
public final class ConsentStates {

    /**
     * One identifier's acknowledged consent; per channel true (subscribed), false (unsubscribed) or
     * null (none acknowledged, or unchanged by this acknowledgement when recording).
     */
    public record Acknowledged(String identifierValue, Boolean email, Boolean sms) {
    }

    private static final int CHUNK_ROWS = 10_000;

    private final DataSource dataSource;

    public ConsentStates(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    static void migrate(Statement s) throws SQLException {
        s.execute("""
                create table if not exists klaviyo_sync.consent_states (
                  sync_id          text not null,
                  identifier_value text not null,
                  email_consent    boolean,
                  sms_consent      boolean,
                  run_id           bigint,
                  primary key (sync_id, identifier_value)
                )""");
    }

    /** The sync's acknowledged consent, by identifier value. */
    public Map<String, Acknowledged> acknowledged(String syncId) throws SQLException {
        Map<String, Acknowledged> out = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            // PostgreSQL streams with a fetch size only inside a transaction
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("select identifier_value, email_consent, sms_consent"
                    + " from klaviyo_sync.consent_states where sync_id = ?")) {
                ps.setFetchSize(10_000);
                ps.setString(1, syncId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        boolean email = rs.getBoolean(2);
                        Boolean emailValue = rs.wasNull() ? null : email;
                        boolean sms = rs.getBoolean(3);
                        Boolean smsValue = rs.wasNull() ? null : sms;
                        out.put(rs.getString(1), new Acknowledged(rs.getString(1), emailValue, smsValue));
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
     * Records consent Klaviyo acknowledged in run {@code runId}: a channel given (not null) replaces
     * the stored value, a null channel keeps it. Several entries for one identifier merge, later ones winning.
     */
    public void record(String syncId, long runId, List<Acknowledged> acknowledged) throws SQLException {
        if (acknowledged.isEmpty()) {
            return;
        }
        Map<String, Acknowledged> merged = new LinkedHashMap<>();
        for (Acknowledged a : acknowledged) {
            merged.merge(a.identifierValue(), a, (before, after) -> new Acknowledged(a.identifierValue(),
                    after.email() != null ? after.email() : before.email(),
                    after.sms() != null ? after.sms() : before.sms()));
        }
        List<Acknowledged> rows = new ArrayList<>(merged.values());
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into klaviyo_sync.consent_states"
                        + " (sync_id, identifier_value, email_consent, sms_consent, run_id)"
                        + " select ?, u.k, u.e, u.s, ? from unnest(?::text[], ?::boolean[], ?::boolean[]) as u (k, e, s)"
                        + " on conflict (sync_id, identifier_value) do update set"
                        + " email_consent = coalesce(excluded.email_consent, consent_states.email_consent),"
                        + " sms_consent = coalesce(excluded.sms_consent, consent_states.sms_consent),"
                        + " run_id = excluded.run_id")) {
            for (int from = 0; from < rows.size(); from += CHUNK_ROWS) {
                List<Acknowledged> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK_ROWS));
                String[] keys = new String[chunk.size()];
                Boolean[] email = new Boolean[chunk.size()];
                Boolean[] sms = new Boolean[chunk.size()];
                for (int i = 0; i < chunk.size(); i++) {
                    keys[i] = chunk.get(i).identifierValue();
                    email[i] = chunk.get(i).email();
                    sms[i] = chunk.get(i).sms();
                }
                ps.setString(1, syncId);
                ps.setLong(2, runId);
                ps.setArray(3, c.createArrayOf("text", keys));
                ps.setArray(4, c.createArrayOf("boolean", email));
                ps.setArray(5, c.createArrayOf("boolean", sms));
                ps.executeUpdate();
            }
        }
    }
}
