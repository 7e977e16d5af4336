package org.klaviyosync.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.klaviyosync.e2e.TestWarehouse;

class FingerprintStoreTest {

    private static DataSource state;

    @BeforeAll
    static void database() throws Exception {
        state = TestWarehouse.fresh().dataSource();
        new StateStore(state).migrate();
    }

    private record Row(long hash, long fingerprint, boolean rejected, String code, String detail, long runId) {
    }

    private static Map<String, Row> table(String syncId) throws Exception {
        Map<String, Row> rows = new HashMap<>();
        try (Connection c = state.getConnection(); PreparedStatement ps = c.prepareStatement("select identifier_value,"
                + " identifier_hash, fingerprint, rejected, code, detail, run_id from klaviyo_sync.fingerprints"
                + " where sync_id = ?")) {
            ps.setString(1, syncId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), new Row(rs.getLong(2), rs.getLong(3), rs.getBoolean(4), rs.getString(5),
                            rs.getString(6), rs.getLong(7)));
                }
            }
        }
        return rows;
    }

    @Test
    void twentyThousandMixedChangesLeaveTheLastChangeOfEachIdentifier() throws Exception {
        FingerprintStore store = new FingerprintStore(state);
        String sync = "mixed";
        // an earlier run stored ids 0..9999 (acknowledged) and another sync's row that must stay
        List<FingerprintChange> earlier = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            earlier.add(FingerprintChange.acknowledged("id-" + i, 1000L + i));
        }
        earlier.add(FingerprintChange.acknowledged("ünï cødé \\ \"quoted\", {NULL}", 7L));
        earlier.add(FingerprintChange.rejected("NULL", 8L, "c", "d"));
        store.apply(sync, 1L, earlier);
        store.apply("other", 1L, List.of(FingerprintChange.acknowledged("id-1", 1L)));
        assertEquals(10_002, store.count(sync));

        // 20,000 changes over ids 5000..22999: acknowledged, rejected, forgotten, and one id changed many times
        SplittableRandom random = new SplittableRandom(3);
        List<FingerprintChange> changes = new ArrayList<>();
        Map<String, FingerprintChange> expected = new HashMap<>();
        earlier.forEach(ch -> expected.put(ch.identifierValue(), ch));
        for (int i = 0; i < 20_000; i++) {
            FingerprintChange ch;
            if (i % 10 == 9) {
                String id = "hot"; // 2,000 changes of one identifier, of every kind, the last one kept
                ch = switch (i % 3) {
                    case 0 -> FingerprintChange.acknowledged(id, random.nextLong());
                    case 1 -> FingerprintChange.rejected(id, random.nextLong(), "invalid", "detail " + i);
                    default -> FingerprintChange.forget(id);
                };
            } else {
                String id = "id-" + (5000 + random.nextInt(18_000));
                ch = switch (random.nextInt(4)) {
                    case 0, 1 -> FingerprintChange.acknowledged(id, random.nextLong());
                    case 2 -> FingerprintChange.rejected(id, random.nextLong(), "code-" + i,
                            i % 7 == 0 ? null : "bad value, \"quoted\" {" + i + "}");
                    default -> FingerprintChange.forget(id);
                };
            }
            changes.add(ch);
            expected.put(ch.identifierValue(), ch);
        }
        assertEquals("hot", changes.get(19_999).identifierValue());
        assertEquals(FingerprintChange.Kind.REJECTED, changes.get(19_999).kind(), "19,999 % 3 == 1");
        store.apply(sync, 2L, changes);

        Map<String, Row> table = table(sync);
        int kept = 0;
        for (FingerprintChange ch : expected.values()) {
            Row row = table.get(ch.identifierValue());
            if (ch.kind() == FingerprintChange.Kind.FORGET) {
                assertNull(row, ch.identifierValue());
                continue;
            }
            kept++;
            assertTrue(row != null, ch.identifierValue());
            boolean rejected = ch.kind() == FingerprintChange.Kind.REJECTED;
            boolean changedNow = changes.stream().anyMatch(x -> x == ch);
            assertEquals(new Row(AcknowledgedFingerprints.identifierHash(ch.identifierValue()), ch.fingerprint(),
                    rejected, rejected ? ch.code() : null, rejected ? ch.detail() : null, changedNow ? 2L : 1L),
                    row, ch.identifierValue());
        }
        assertEquals(kept, table.size());
        assertEquals(1, table("other").size());

        AcknowledgedFingerprints acknowledged = store.acknowledged(sync);
        Map<String, StoredRejection> rejections = store.rejections(sync);
        int acknowledgedRows = 0;
        for (FingerprintChange ch : expected.values()) {
            boolean ack = ch.kind() == FingerprintChange.Kind.ACKNOWLEDGED;
            acknowledgedRows += ack ? 1 : 0;
            assertEquals(ack, acknowledged.matches(ch.identifierValue(), ch.fingerprint()), ch.identifierValue());
            if (ack) {
                assertFalse(acknowledged.matches(ch.identifierValue(), ch.fingerprint() + 1));
            }
            assertEquals(ch.kind() == FingerprintChange.Kind.REJECTED, rejections.containsKey(ch.identifierValue()));
        }
        assertEquals(acknowledgedRows, acknowledged.size());
        StoredRejection hot = rejections.get("hot");
        assertEquals(new StoredRejection(changes.get(19_999).fingerprint(), "invalid", "detail 19999", 2L), hot);
    }

    @Test
    void moreRowsThanOneStatementTakesAreAllStoredAndForgotten() throws Exception {
        FingerprintStore store = new FingerprintStore(state);
        String sync = "chunks";
        int n = FingerprintStore.CHUNK_ROWS * 2 + 17;
        List<FingerprintChange> changes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            changes.add(FingerprintChange.acknowledged("user-" + i, i));
        }
        store.apply(sync, 5L, changes);
        assertEquals(n, store.count(sync));
        assertEquals(n, store.acknowledged(sync).size());

        List<FingerprintChange> forgets = new ArrayList<>();
        for (int i = 0; i < n; i += 2) {
            forgets.add(FingerprintChange.forget("user-" + i));
        }
        store.apply(sync, 6L, forgets);
        assertEquals(n / 2, store.count(sync));
        AcknowledgedFingerprints left = store.acknowledged(sync);
        assertFalse(left.matches("user-0", 0));
        assertTrue(left.matches("user-1", 1));
        assertTrue(left.matches("user-" + (n - 2), n - 2) == ((n - 2) % 2 == 1));
    }

    @Test
    void nothingToApplyAndNothingStored() throws Exception {
        FingerprintStore store = new FingerprintStore(state);
        store.apply("none", 1L, List.of());
        assertEquals(0, store.count("none"));
        assertEquals(0, store.acknowledged("none").size());
        assertFalse(store.acknowledged("none").matches("x", 0));
    }
}
