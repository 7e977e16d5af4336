package org.klaviyosync.warehouse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Asks the warehouse which columns a model returns, without reading its rows. */
public final class ModelColumns {

    private final DataSource models;

    public ModelColumns(DataSource models) {
        this.models = models;
    }

    private static final String PROBE_PREFIX = "select * from (";

    /**
     * The column labels of {@code sql}, in order. Throws when the warehouse refuses the model, with
     * a message giving the error's line and column in the model; a model that is not a query (a
     * {@code DELETE}, {@code CREATE}, ...) is refused before it reaches the warehouse.
     */
    public List<String> of(String sql) throws SQLException {
        String inner = stripTrailingSemicolon(sql);
        String writing = ModelErrors.writingCommand(inner);
        if (writing != null) {
            throw new SQLException(ModelErrors.refusal(writing), ModelErrors.READ_ONLY_STATE);
        }
        try (Connection c = models.getConnection(); Statement s = c.createStatement()) {
            s.setMaxRows(1);
            try (ResultSet rs = s.executeQuery(PROBE_PREFIX + inner + "\n) as klaviyo_sync_model where 1 = 0")) {
                ResultSetMetaData md = rs.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    columns.add(md.getColumnLabel(i));
                }
                return columns;
            } catch (SQLException e) {
                if (e.getSQLState() != null && (e.getSQLState().startsWith("08") || e.getSQLState().startsWith("28")
                        || e.getSQLState().startsWith("3D"))) {
                    throw e;
                }
                throw new SQLException(ModelErrors.describe(inner, e, PROBE_PREFIX.length()), e.getSQLState(), e);
            } finally {
                rollbackQuietly(c);
            }
        }
    }

    /** The model as a statement to run or wrap: without trailing semicolons. */
    public static String stripTrailingSemicolon(String sql) {
        String s = sql.strip();
        while (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return s;
    }

    /** Ends the probe's read-only transaction; a connection the pool already closed has nothing to undo. */
    private static void rollbackQuietly(Connection c) {
        try {
            if (!c.isClosed() && !c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException ignored) {
            // the probe's own error, if any, is the one worth reporting
        }
    }
}
