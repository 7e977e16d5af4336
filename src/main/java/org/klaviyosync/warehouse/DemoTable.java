package org.klaviyosync.warehouse;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creating one of the embedded warehouse's demo tables ({@link DemoCustomers}, {@link DemoOrders}):
 * created and filled in one transaction, so a start-up that dies half-way leaves no half-filled table,
 * and left alone when it exists.
 */
final class DemoTable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoTable.class);

    /** Inserts a demo table's rows; returns how many. */
    interface Rows {
        int insert(Connection c) throws SQLException;
    }

    private DemoTable() {
    }

    /** Creates {@code table} with {@code ddl} and its rows unless it exists: the rows inserted, or -1 if it existed. */
    static int createUnlessExists(DataSource dataSource, String table, String ddl, Rows rows) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setReadOnly(false);
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (ResultSet rs = c.getMetaData().getTables(null, null, table, new String[] {"TABLE"})) {
                    if (rs.next()) {
                        return -1;
                    }
                }
                try (Statement s = c.createStatement()) {
                    s.execute(ddl);
                }
                int inserted = rows.insert(c);
                c.commit();
                LOG.info("Created the demo table {} with {} rows", table, inserted);
                return inserted;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    /** The rows {@code table} holds. */
    static int count(DataSource dataSource, String table) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
