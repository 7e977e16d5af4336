package org.klaviyosync.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The bookkeeping tables in the {@code klaviyo_sync} schema: run history and the row-level
 * results (invalid, rejected, deferred) with their reasons.
 */
public final class StateStore {

    public static final String SCHEMA = "klaviyo_sync";

    private final DataSource dataSource;

    public StateStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Creates the schema and tables if missing. Several instances may start at once on one
     * database: a transaction-scoped advisory lock lets one of them migrate at a time.
     */
    public void migrate() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                s.execute("select pg_advisory_xact_lock(hashtext('klaviyo-sync:migrate'))");
                createTables(s);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private static void createTables(Statement s) throws SQLException {
        s.execute("create schema if not exists " + SCHEMA);
        s.execute("""
                create table if not exists klaviyo_sync.runs (
                  run_id      bigserial primary key,
                  sync_id     text not null,
                  started_at  timestamptz not null,
                  ended_at    timestamptz,
                  status      text not null,
                  dry_run     boolean not null default false,
                  read        bigint not null default 0,
                  sent        bigint not null default 0,
                  unchanged   bigint not null default 0,
                  invalid     bigint not null default 0,
                  rejected    bigint not null default 0,
                  deferred    bigint not null default 0,
                  error       text
                )""");
        s.execute("create index if not exists runs_sync_started on klaviyo_sync.runs (sync_id, started_at desc)");
        // the instance that ran it, and the Quartz fire time it was scheduled for (null when run on demand)
        s.execute("alter table klaviyo_sync.runs add column if not exists instance_id text");
        s.execute("alter table klaviyo_sync.runs add column if not exists scheduled_fire_time timestamptz");
        // a dry run's rows it would have sent (databases from before it have 0 for every run)
        s.execute("alter table klaviyo_sync.runs add column if not exists would_send bigint not null default 0");
        s.execute("""
                create table if not exists klaviyo_sync.row_results (
                  run_id           bigint not null references klaviyo_sync.runs (run_id) on delete cascade,
                  sync_id          text not null,
                  identifier_value text,
                  outcome          text not null,
                  field            text,
                  code             text,
                  reason           text not null,
                  recorded_at      timestamptz not null default now()
                )""");
        s.execute("alter table klaviyo_sync.row_results add column if not exists detail text");
        s.execute("create index if not exists row_results_run on klaviyo_sync.row_results (run_id)");
        s.execute("create index if not exists row_results_sync on klaviyo_sync.row_results (sync_id, outcome)");
        FingerprintStore.migrate(s);
        ListMembershipStore.migrate(s);
        ConsentStates.migrate(s);
        // memberships a mirror sync removed (databases from before it have 0 for every run)
        s.execute("alter table klaviyo_sync.runs add column if not exists removed bigint not null default 0");
    }

    public long openRun(String syncId, Instant startedAt, boolean dryRun) throws SQLException {
        return openRun(syncId, startedAt, dryRun, null, null);
    }

    /**
     * Stores a new run as {@code running}, with the instance running it and, for a scheduled
     * run, the Quartz fire time it was scheduled for.
     */
    public long openRun(String syncId, Instant startedAt, boolean dryRun, String instanceId, Instant scheduledFireTime)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into klaviyo_sync.runs"
                        + " (sync_id, started_at, status, dry_run, instance_id, scheduled_fire_time)"
                        + " values (?, ?, 'running', ?, ?, ?) returning run_id")) {
            ps.setString(1, syncId);
            ps.setTimestamp(2, Timestamp.from(startedAt));
            ps.setBoolean(3, dryRun);
            ps.setString(4, instanceId);
            ps.setTimestamp(5, scheduledFireTime == null ? null : Timestamp.from(scheduledFireTime));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Marks the sync's runs still {@code running} as failed: called while holding the sync's run
     * lock, so whoever ran them is gone (an instance that died or was killed mid-run). Their rows
     * were not acknowledged and go with a later run. Returns how many runs were marked.
     */
    public int failInterruptedRuns(String syncId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("update klaviyo_sync.runs set status = 'failed',"
                        + " ended_at = now(), error = 'interrupted: instance ' || coalesce(instance_id, '(unknown)')"
                        + " || ' stopped before the run ended; its unsent rows go with a later run'"
                        + " where sync_id = ? and status = 'running'")) {
            ps.setString(1, syncId);
            return ps.executeUpdate();
        }
    }

    public void recordRows(long runId, String syncId, List<RowResult> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into klaviyo_sync.row_results"
                        + " (run_id, sync_id, identifier_value, outcome, field, code, reason, detail) values (?,?,?,?,?,?,?,?)")) {
            for (RowResult r : rows) {
                ps.setLong(1, runId);
                ps.setString(2, syncId);
                ps.setString(3, r.identifierValue());
                ps.setString(4, r.outcome().key());
                ps.setString(5, r.field());
                ps.setString(6, r.code());
                ps.setString(7, r.reason());
                ps.setString(8, r.detail());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    public void closeRun(RunRecord run) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("update klaviyo_sync.runs set ended_at = ?, status = ?,"
                        + " read = ?, sent = ?, unchanged = ?, invalid = ?, rejected = ?, deferred = ?, error = ?,"
                        + " would_send = ?, removed = ? where run_id = ?")) {
            ps.setTimestamp(1, Timestamp.from(run.endedAt()));
            ps.setString(2, run.status());
            ps.setLong(3, run.read());
            ps.setLong(4, run.sent());
            ps.setLong(5, run.unchanged());
            ps.setLong(6, run.invalid());
            ps.setLong(7, run.rejected());
            ps.setLong(8, run.deferred());
            ps.setString(9, run.error());
            ps.setLong(10, run.wouldSend());
            ps.setLong(11, run.removed());
            ps.setLong(12, run.runId());
            ps.executeUpdate();
        }
    }

    private static final String RUN_COLUMNS = "select run_id, sync_id, started_at, ended_at, status, dry_run,"
            + " read, sent, unchanged, invalid, rejected, deferred, error, would_send, removed from klaviyo_sync.runs";

    public List<RunRecord> recentRuns(String syncId, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(RUN_COLUMNS + " where sync_id = ? order by run_id desc limit ?")) {
            ps.setString(1, syncId);
            ps.setInt(2, limit);
            return readRuns(ps);
        }
    }

    private static List<RunRecord> readRuns(PreparedStatement ps) throws SQLException {
        List<RunRecord> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Timestamp ended = rs.getTimestamp(4);
                out.add(new RunRecord(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        ended == null ? null : ended.toInstant(), rs.getString(5), rs.getBoolean(6), rs.getLong(7),
                        rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12),
                        rs.getString(13), rs.getLong(14), rs.getLong(15)));
            }
        }
        return out;
    }

    public List<RowResult> rowResults(long runId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select identifier_value, outcome, field, code, reason, detail"
                        + " from klaviyo_sync.row_results where run_id = ? order by identifier_value")) {
            ps.setLong(1, runId);
            return readResults(ps);
        }
    }

    /** The run's row results with one of {@code outcomes}, in identifier order. */
    public List<RowResult> rowResults(long runId, RowOutcome... outcomes) throws SQLException {
        String[] keys = new String[outcomes.length];
        for (int i = 0; i < outcomes.length; i++) {
            keys[i] = outcomes[i].key();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select identifier_value, outcome, field, code, reason, detail"
                        + " from klaviyo_sync.row_results where run_id = ? and outcome = any (?)"
                        + " order by identifier_value")) {
            ps.setLong(1, runId);
            ps.setArray(2, c.createArrayOf("text", keys));
            return readResults(ps);
        }
    }

    private static List<RowResult> readResults(PreparedStatement ps) throws SQLException {
        List<RowResult> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new RowResult(rs.getString(1), RowOutcome.valueOf(rs.getString(2).toUpperCase()),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6)));
            }
        }
        return out;
    }

    /** One run of any sync, if it is still in the history. */
    public Optional<RunRecord> run(long runId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(RUN_COLUMNS + " where run_id = ?")) {
            ps.setLong(1, runId);
            List<RunRecord> found = readRuns(ps);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
        }
    }

    /** The newest run of the sync that recorded a row with one of {@code outcomes}. */
    public Optional<Long> latestRunWith(String syncId, RowOutcome... outcomes) throws SQLException {
        String[] keys = new String[outcomes.length];
        for (int i = 0; i < outcomes.length; i++) {
            keys[i] = outcomes[i].key();
        }
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select max(run_id) from klaviyo_sync.row_results"
                        + " where sync_id = ? and outcome = any (?)")) {
            ps.setString(1, syncId);
            ps.setArray(2, c.createArrayOf("text", keys));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(id);
            }
        }
    }

    /** Deletes runs (and their row results) that ended longer ago than {@code retention}. */
    public int purgeOlderThan(Duration retention) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("delete from klaviyo_sync.runs where started_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now().minus(retention)));
            return ps.executeUpdate();
        }
    }
}
