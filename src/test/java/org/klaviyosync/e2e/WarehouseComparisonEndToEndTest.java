package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.config.SyncFileReader;
import org.klaviyosync.config.SyncValidator;
import org.klaviyosync.pipeline.RunStarter;
import org.klaviyosync.warehouse.DuplicateIdentifierQuery;
import org.klaviyosync.warehouse.RowFingerprints;
import org.klaviyosync.warehouse.UnchangedRowsQuery;

/**
 * With the bookkeeping in the PostgreSQL warehouse (the default for a PostgreSQL warehouse), an
 * incremental run compares rows with the stored fingerprints in the model query: unchanged rows
 * come out as a flag only (their values never leave the database) and are counted unchanged, and a
 * row is called unchanged there only when its payload cannot differ.
 */
class WarehouseComparisonEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 100;
    private static final String MODEL = "select id, email, plan, score, note from people";
    private static final List<String> MODEL_COLUMNS = List.of("id", "email", "plan", "score", "note");

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.freshWarehouseForEachTest().jobPollsUntilComplete(1);

    @BeforeEach
    void setUp() throws Exception {
        e2e.warehouse().execute("create table people (id text, email text, plan text, score int, note text)",
                "insert into people select 'p-' || g, 'person' || g || '@example.com', 'basic', g, 'note ' || g"
                        + " from generate_series(1, " + ROWS + ") g");
        // note is read but not sent: a change to it alone leaves the payload as it was
        e2e.cli().sync("people", "model", MODEL, "identifier", "external_id", "identifierColumn", "id",
                "properties", "email=email,plan=plan,score=score", "lists", "People");
    }

    @Test
    void unchangedRowsComeOutAsAFlagOnlyAndAChangedRowWhole() throws Exception {
        assertCounts(run(), ROWS, ROWS, 0, 0);
        assertEquals(ROWS, storedRowFingerprints(), "each acknowledged row is stored with its row fingerprint");

        assertEquals(new Compared(ROWS, Set.of()), compared(), "every row is unchanged and none of its values comes out");
        assertEquals(ROWS, inBuckets, "each bucket of rows agrees with the stored fingerprints as a whole");

        StandInTraffic quiet = StandInTraffic.mark(e2e.klaviyo());
        assertCounts(run(), ROWS, 0, ROWS, 0);
        assertEquals(0, quiet.writeCalls(), quiet.since().toString());

        e2e.warehouse().execute("update people set plan = 'gold' where id = 'p-7'");
        assertEquals(new Compared(ROWS - 1, Set.of("p-7")), compared(), "the changed row comes out whole");

        StandInTraffic one = StandInTraffic.mark(e2e.klaviyo());
        assertCounts(run(), ROWS, 1, ROWS - 1, 0);
        assertEquals(List.of("p-7"), one.profilesSent());
        assertEquals("gold", e2e.klaviyo().profileByExternalId("p-7").orElseThrow().property("plan"));
        assertCounts(run(), ROWS, 0, ROWS, 0);
        assertEquals(new Compared(ROWS, Set.of()), compared(), "the sent row's new row fingerprint was stored");
    }

    @Test
    void aRowChangedOnlyOutsideItsPayloadIsUnchangedAndToldSoInTheWarehouseNextTime() throws Exception {
        assertCounts(run(), ROWS, ROWS, 0, 0);
        Long before = storedRowFingerprint("p-3");
        e2e.warehouse().execute("update people set note = 'rewritten' where id = 'p-3'",
                "update people set id = ' p-4 ' where id = 'p-4'");
        assertEquals(new Compared(ROWS - 2, Set.of("p-3", " p-4 ")), compared());

        StandInTraffic quiet = StandInTraffic.mark(e2e.klaviyo());
        assertCounts(run(), ROWS, 0, ROWS, 0);
        assertEquals(0, quiet.writeCalls(), "the payloads are as Klaviyo holds them: " + quiet.since());

        assertNotEquals(before, storedRowFingerprint("p-3"), "the new row fingerprint is recorded");
        assertEquals(new Compared(ROWS, Set.of()), compared(), "both rows are unchanged in the warehouse now");
        assertCounts(run(), ROWS, 0, ROWS, 0);
    }

    @Test
    void aRetypedColumnChangesThePayloadAndResendsTheRows() throws Exception {
        assertCounts(run(), ROWS, ROWS, 0, 0);
        // the text of each row stays the same, its payload does not: score becomes a string
        e2e.warehouse().execute("alter table people alter column score type text");
        assertEquals(0, compared().unchanged(), "no row can be told unchanged from its text alone");

        StandInTraffic all = StandInTraffic.mark(e2e.klaviyo());
        assertCounts(run(), ROWS, ROWS, 0, 0);
        assertEquals(ROWS, all.profilesSent().size());
        assertEquals("7", e2e.klaviyo().profileByExternalId("p-7").orElseThrow().property("score"));
        assertCounts(run(), ROWS, 0, ROWS, 0);
    }

    @Test
    void anUnchangedRowThatGainsADuplicateIsInvalidWithIt() throws Exception {
        assertCounts(run(), ROWS, ROWS, 0, 0);
        e2e.warehouse().execute("insert into people select * from people where id = 'p-3'",
                "insert into people values (' p-9', 'other9@example.com', 'gold', 9, null)");

        StandInTraffic quiet = StandInTraffic.mark(e2e.klaviyo());
        assertCounts(run(), ROWS + 2, 0, ROWS - 2, 4);
        assertEquals(0, quiet.writeCalls(), quiet.since().toString());
        CliHarness.Result rejections = e2e.cli().run("rejections", "people", "--json");
        assertTrue(rejections.out().contains("duplicate identifier 'p-3'")
                && rejections.out().contains("duplicate identifier 'p-9'"), rejections.out());

        e2e.warehouse().execute("delete from people where ctid in (select max(ctid) from people where id = 'p-3')",
                "delete from people where id = ' p-9'");
        assertCounts(run(), ROWS, 0, ROWS, 0);
    }

    @Test
    void aModelRepeatingAColumnLabelIsComparedToo() throws Exception {
        e2e.cli().sync("people", "model", "select id, email, plan, score, note, plan from people", "identifier",
                "external_id", "identifierColumn", "id", "properties", "email=email,plan=plan,score=score", "lists",
                "People");
        assertCounts(run(), ROWS, ROWS, 0, 0);
        StandInTraffic quiet = StandInTraffic.mark(e2e.klaviyo());
        assertCounts(run(), ROWS, 0, ROWS, 0);
        assertEquals(0, quiet.writeCalls(), quiet.since().toString());
        e2e.warehouse().execute("update people set plan = 'gold' where id = 'p-8'");
        StandInTraffic one = StandInTraffic.mark(e2e.klaviyo());
        assertCounts(run(), ROWS, 1, ROWS - 1, 0);
        assertEquals(List.of("p-8"), one.profilesSent());
    }

    @Test
    void phoneNumbersAreComparedAsStoredWithTheirPlusSign() throws Exception {
        e2e.warehouse().execute("update people set note = '+1415555' || (2600 + score)");
        e2e.cli().sync("people", "model", MODEL, "identifier", "phone_number", "identifierColumn", "note",
                "properties", "email=email,plan=plan,score=score", "lists", "People");
        assertCounts(run(), ROWS, ROWS, 0, 0);
        assertEquals(new Compared(ROWS, Set.of()), compared());
        assertEquals(ROWS, inBuckets);
        e2e.warehouse().execute("update people set plan = 'gold' where id = 'p-7'");
        StandInTraffic one = StandInTraffic.mark(e2e.klaviyo());
        assertCounts(run(), ROWS, 1, ROWS - 1, 0);
        assertEquals(1, one.profilesSent().size());
    }

    private JsonNode run() throws Exception {
        CliHarness.Result r = e2e.cli().run("run", "--json", "people");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        return JSON.readTree(r.out().strip());
    }

    private static void assertCounts(JsonNode run, long read, long sent, long unchanged, long invalid) {
        String all = run.toString();
        assertEquals("completed", run.get("status").asText(), all);
        assertEquals(read, run.get("read").asLong(), all);
        assertEquals(sent, run.get("sent").asLong(), all);
        assertEquals(unchanged, run.get("unchanged").asLong(), all);
        assertEquals(invalid, run.get("invalid").asLong(), all);
        assertEquals(0, run.get("rejected").asLong(), all);
        assertEquals(0, run.get("deferred").asLong(), all);
    }

    /** What the query an incremental run streams gives: rows told unchanged, and the identifiers of rows that come out whole. */
    private record Compared(long unchanged, Set<String> whole) {
    }

    /** Rows told unchanged as the count of a bucket, by the last {@link #compared()}. */
    private static long inBuckets;

    /**
     * Streams the query an incremental run streams, checking that a row told unchanged (one by one, or
     * as the count of a bucket) carries no column value of the model.
     */
    private static Compared compared() throws Exception {
        SyncDefinition sync = new SyncValidator(Path.of("").toAbsolutePath())
                .validate(new SyncFileReader().read(e2e.cli().syncsDir()).syncs()).syncs().get(0);
        RunStarter starter = new RunStarter(null, new DuplicateIdentifierQuery(e2e.warehouse().dataSource()),
                new RowFingerprints(e2e.warehouse().dataSource()));
        String sql = starter.modelQuery(sync, MODEL, true);
        long unchanged = 0;
        inBuckets = 0;
        Set<String> whole = new TreeSet<>();
        try (Connection c = e2e.warehouse().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                long bucket = rs.getLong(UnchangedRowsQuery.UNCHANGED_ROWS);
                boolean inBucket = !rs.wasNull();
                boolean one = rs.getBoolean(UnchangedRowsQuery.UNCHANGED);
                if (inBucket || one) {
                    for (String column : MODEL_COLUMNS) {
                        assertNull(rs.getObject(column), column + " of a row told unchanged");
                    }
                    unchanged += inBucket ? bucket : 1;
                    inBuckets += inBucket ? bucket : 0;
                } else {
                    assertNotNull(rs.getObject("email"), "a row not told unchanged comes out whole");
                    whole.add(rs.getString("id"));
                }
            }
        }
        return new Compared(unchanged, whole);
    }

    private static long storedRowFingerprints() throws Exception {
        try (Connection c = e2e.warehouse().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(row_fingerprint) from klaviyo_sync.fingerprints"
                        + " where sync_id = 'people' and not rejected")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Long storedRowFingerprint(String id) throws Exception {
        try (Connection c = e2e.warehouse().dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("select row_fingerprint from klaviyo_sync.fingerprints"
                        + " where sync_id = 'people' and identifier_value = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "a fingerprint is stored for " + id);
                return (Long) rs.getObject(1);
            }
        }
    }
}
