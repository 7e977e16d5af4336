package org.klaviyosync.pipeline;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.klaviyosync.run.RunRegistry;
import org.klaviyosync.run.SyncRun;
import org.klaviyosync.state.EventCursors;

/**
 * An event sync's {@code cursorColumn}, in two steps of its route. {@code bound-the-model}, after
 * the run is opened: the model (already wrapped with the duplicate count) is bounded to the rows past
 * the stored cursor, with a bound parameter, so the warehouse can use an index and the duplicate
 * count covers only the rows read. While the run reads, the highest value read is kept.
 * {@code move-the-cursor}, once every batch is sent: stores it, but only when the run did not fail,
 * deferred no row and was not a dry run, so a row that was not settled is read again.
 */
public final class EventCursor {

    /** The exchange property holding the run's {@link Mark}. */
    static final String MARK = "klaviyoEventCursor";
    /** camel-sql's header of the query's parameters when the SQL comes from the body. */
    static final String SQL_PARAMETERS = "CamelSqlParameters";

    private final RunRegistry runs;
    private final EventCursors cursors;
    private final DataSource models;
    private volatile String quote;
    /** The highest cursor value read so far in a run. */
    static final class Mark {
        private final String column;
        private Comparable<Object> highest;

        Mark(String column) {
            this.column = column;
        }

        @SuppressWarnings("unchecked")
        synchronized void see(List<?> rows) {
            for (Object row : rows) {
                Comparable<Object> v = (Comparable<Object>) EventCursors.comparable(value((Map<?, ?>) row));
                if (v != null && (highest == null || v.compareTo(highest) > 0)) {
                    highest = v;
                }
            }
        }

        private Object value(Map<?, ?> row) {
            Object v = row.get(column);
            if (v == null && !row.containsKey(column)) {
                for (Map.Entry<?, ?> e : row.entrySet()) {
                    if (String.valueOf(e.getKey()).equalsIgnoreCase(column)) {
                        return e.getValue();
                    }
                }
            }
            return v;
        }

        synchronized Comparable<Object> highest() {
            return highest;
        }
    }

    public EventCursor(RunRegistry runs, EventCursors cursors, DataSource models) {
        this.runs = runs;
        this.cursors = cursors;
        this.models = models;
    }

    /** Step bound-the-model: the body's SQL reads only rows past the stored cursor; starts the run's mark. */
    public void bound(Exchange exchange) throws SQLException {
        SyncRun run = exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
        String column = run.sync().event() == null ? null : run.sync().event().cursorColumn();
        if (column == null) {
            return;
        }
        exchange.setProperty(MARK, new Mark(column));
        Optional<Object> from = cursors.load(run.syncId());
        if (from.isEmpty()) {
            return;
        }
        String model = runs.modelSql(run.sync());
        String bounded = "select * from (" + model + ") klaviyo_sync_cursor where " + quoted(column) + " > ?";
        String sql = exchange.getMessage().getBody(String.class);
        // the duplicate count wraps the model as written (it reads the model's columns by running it);
        // the bounded model takes the model's place inside it
        String inner = "(\n" + model + "\n)";
        if (sql.equals(model)) {
            sql = bounded;
        } else if (sql.contains(inner)) {
            sql = sql.replace(inner, "(\n" + bounded + "\n)");
        } else {
            throw new IllegalStateException("sync '" + run.syncId() + "': the model was not found in the query to"
                    + " bound it by cursorColumn");
        }
        exchange.getMessage().setBody(sql);
        exchange.getMessage().setHeader(SQL_PARAMETERS, List.of(from.get()));
    }

    /** Keeps the highest cursor value of a chunk of model rows. */
    static void see(Exchange exchange, List<?> rows) {
        Mark mark = exchange.getProperty(MARK, Mark.class);
        if (mark != null) {
            mark.see(rows);
        }
    }

    /** Step move-the-cursor: stores the highest value read, when every row read was settled. */
    public void move(Exchange exchange) throws SQLException {
        SyncRun run = exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
        Mark mark = exchange.getProperty(MARK, Mark.class);
        if (run == null || mark == null || mark.highest() == null || run.dryRun() || run.failed()
                || run.counts().deferred() > 0 || run.inFlightRows() > 0) {
            return;
        }
        cursors.store(run.syncId(), run.runId(), mark.highest());
    }

    private String quoted(String column) throws SQLException {
        String q = quote;
        if (q == null) {
            try (Connection c = models.getConnection()) {
                q = c.getMetaData().getIdentifierQuoteString();
            }
            q = q == null || q.isBlank() ? "" : q.trim();
            quote = q;
        }
        return q + column.replace(q.isEmpty() ? "\u0000" : q, q + q) + q;
    }
}
