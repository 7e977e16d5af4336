package org.klaviyosync.state;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The cursor of each event sync with a {@code cursorColumn}: the highest value of that column a
 * run read and ended without deferring a row ({@code klaviyo_sync.event_cursors}). Values are kept
 * as text with their kind (number, timestamp, date or text) and given back in the Java type the
 * warehouse's driver binds and compares like the column.
 */
public final class EventCursors {

    private final DataSource dataSource;

    public EventCursors(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void migrate() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    create table if not exists klaviyo_sync.event_cursors (
                      sync_id    text primary key,
                      kind       text not null,
                      value      text not null,
                      run_id     bigint not null,
                      updated_at timestamptz not null default now()
                    )""");
        }
    }

    /**
     * The comparable form of a cursor column's value, or null when it cannot be a cursor (NULL, or a
     * type without an order here): numbers as BigDecimal, timestamps as Instant, dates as LocalDate,
     * text as String.
     */
    public static Comparable<?> comparable(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        if (value instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (value instanceof java.util.Date d) {
            return d.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime t) {
            return t.toInstant();
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof LocalDate d) {
            return d;
        }
        if (value instanceof String s) {
            return s;
        }
        return null;
    }

    /** The stored cursor, as a value to bind in the model's query. */
    public Optional<Object> load(String syncId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select kind, value from klaviyo_sync.event_cursors"
                        + " where sync_id = ?")) {
            ps.setString(1, syncId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String value = rs.getString(2);
                return Optional.of(switch (rs.getString(1)) {
                    case "number" -> new BigDecimal(value);
                    case "timestamp" -> Timestamp.from(Instant.parse(value));
                    case "date" -> java.sql.Date.valueOf(LocalDate.parse(value));
                    default -> value;
                });
            }
        }
    }

    /** Stores {@code value} (a {@link #comparable} form) as the sync's cursor. */
    public void store(String syncId, long runId, Comparable<?> value) throws SQLException {
        String kind = value instanceof BigDecimal ? "number" : value instanceof Instant ? "timestamp"
                : value instanceof LocalDate ? "date" : "text";
        String text = value instanceof BigDecimal d ? d.toPlainString() : value.toString();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into klaviyo_sync.event_cursors (sync_id, kind, value,"
                        + " run_id) values (?, ?, ?, ?) on conflict (sync_id) do update set kind = excluded.kind,"
                        + " value = excluded.value, run_id = excluded.run_id, updated_at = now()")) {
            ps.setString(1, syncId);
            ps.setString(2, kind);
            ps.setString(3, text);
            ps.setLong(4, runId);
            ps.executeUpdate();
        }
    }
}
