package org.klaviyosync.pipeline;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.run.SyncRun;
import org.klaviyosync.state.EventCursors;

/**
 * An event sync's {@code cursorColumn}: at the start of a run the model is wrapped so that it
 * returns only rows past the stored cursor (a bound parameter, so the warehouse can use an index);
 * while the run reads, the highest value read is kept; once every batch is sent, the step
 * {@code move-the-cursor} stores it, but only when the run did not fail, deferred no row and was
 * not a dry run, so a row that was not settled is read again.
 */
public final class EventCursor implements Processor {

    /** The exchange property holding the run's {@link Mark}. */
    static final String MARK = "klaviyoEventCursor";
    /** camel-sql's header of the query's parameters when the SQL comes from the body. */
    static final String SQL_PARAMETERS = "CamelSqlParameters";

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

    public EventCursor(EventCursors cursors, DataSource models) {
        this.cursors = cursors;
        this.models = models;
    }

    /** The model's SQL, bounded by the stored cursor when the sync has one; starts the run's mark. */
    String bound(Exchange exchange, SyncRun run, String sql) throws SQLException {
        String column = run.sync().event() == null ? null : run.sync().event().cursorColumn();
        if (column == null) {
            return sql;
        }
        exchange.setProperty(MARK, new Mark(column));
        Optional<Object> from = cursors.load(run.syncId());
        if (from.isEmpty()) {
            return sql;
        }
        exchange.getMessage().setHeader(SQL_PARAMETERS, List.of(from.get()));
        return "select * from (" + sql + ") klaviyo_sync_cursor where " + quoted(column) + " > ?";
    }

    /** Keeps the highest cursor value of a chunk of model rows. */
    static void see(Exchange exchange, List<?> rows) {
        Mark mark = exchange.getProperty(MARK, Mark.class);
        if (mark != null) {
            mark.see(rows);
        }
    }

    @Override
    public void process(Exchange exchange) throws SQLException {
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
