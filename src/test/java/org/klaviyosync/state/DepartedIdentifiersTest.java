package org.klaviyosync.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.klaviyosync.e2e.TestWarehouse;
import org.klaviyosync.state.ConsentStates.Acknowledged;

/** Forgetting identifiers that left a model takes their acknowledged consent with their fingerprints. */
class DepartedIdentifiersTest {

    private static DataSource state;

    @BeforeAll
    static void database() throws Exception {
        state = TestWarehouse.fresh().dataSource();
        new StateStore(state).migrate();
    }

    @Test
    void stateOlderThanTheRetentionGoesWithItsConsentAndTheRestStays() throws Exception {
        fingerprint("add", "old", "now() - interval '40 days'");
        fingerprint("add", "young", "now() - interval '2 days'");
        fingerprint("add", "present", "null");
        fingerprint("other", "old", "now() - interval '40 days'");
        ConsentStates consent = new ConsentStates(state);
        consent.record("add", 1, List.of(new Acknowledged("old", true, null), new Acknowledged("young", false, null),
                new Acknowledged("present", true, true)));
        consent.record("other", 1, List.of(new Acknowledged("old", true, null)));

        int forgotten = new DepartedIdentifiers(state).forgetLeftBefore("add", Instant.now().minus(30, ChronoUnit.DAYS));

        assertEquals(1, forgotten);
        assertEquals(Set.of("young", "present"), fingerprints("add"));
        assertEquals(Set.of("young", "present"), consent.acknowledged("add").keySet());
        assertEquals(Set.of("old"), consent.acknowledged("other").keySet(), "another sync's state is its own");
    }

    @Test
    void aMirroredIdentifierWithoutMembershipsGoesWithItsConsent() throws Exception {
        fingerprint("mirror", "left-done", "now()");
        fingerprint("mirror", "left-owing", "now()");
        execute("insert into klaviyo_sync.list_memberships (sync_id, identifier_key, list_id)"
                + " values ('mirror', 'left-owing', 'L1')");
        ConsentStates consent = new ConsentStates(state);
        consent.record("mirror", 1, List.of(new Acknowledged("left-done", true, null),
                new Acknowledged("left-owing", true, null)));

        assertEquals(1, new DepartedIdentifiers(state).forgetLeftWithoutMemberships("mirror"));

        assertEquals(Set.of("left-owing"), fingerprints("mirror"));
        assertEquals(Set.of("left-owing"), consent.acknowledged("mirror").keySet());
    }

    private static void fingerprint(String sync, String identifier, String leftAt) throws SQLException {
        execute("insert into klaviyo_sync.fingerprints (sync_id, identifier_value, identifier_hash, fingerprint,"
                + " left_at) values ('" + sync + "', '" + identifier + "', " + Math.abs(identifier.hashCode())
                + ", 1, " + leftAt + ")");
    }

    private static Set<String> fingerprints(String sync) throws SQLException {
        Set<String> out = new TreeSet<>();
        try (Connection c = state.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select identifier_value from klaviyo_sync.fingerprints where sync_id = '"
                        + sync + "'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = state.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
