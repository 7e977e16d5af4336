package org.klaviyosync.warehouse;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.postgresql.util.PSQLException;

/**
 * A database that could not be connected to, in the driver's own words: PostgreSQL's
 * {@code password authentication failed for user "sync"}, MariaDB's {@code Access denied for user
 * 'sync'@'localhost'}, an unknown host or database. The pool's own timeout ("Connection is not
 * available") is looked through to the driver's failure it carries.
 */
public final class ConnectionFailure {

    private ConnectionFailure() {
    }

    /**
     * Whether {@code e} is a failure to connect rather than a failing statement: SQLSTATE classes
     * 08 (connection exception), 28 (invalid authorization) and 3D (invalid catalog, an unknown
     * database), JDBC's connection exceptions, or no SQLSTATE over a network failure.
     */
    public static boolean is(SQLException e) {
        SQLException driver = driverFailure(e);
        String state = driver.getSQLState();
        if (state != null) {
            return state.startsWith("08") || state.startsWith("28") || state.startsWith("3D");
        }
        if (driver instanceof SQLTransientConnectionException || driver instanceof SQLNonTransientConnectionException) {
            return true;
        }
        for (Throwable t = driver.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** The driver's reason, on one line, with the underlying cause when the driver's message is generic. */
    public static String reason(SQLException e) {
        SQLException driver = driverFailure(e);
        String message = driver.getMessage() == null ? driver.getClass().getSimpleName() : driver.getMessage();
        if (driver instanceof PSQLException p && p.getServerErrorMessage() != null
                && p.getServerErrorMessage().getMessage() != null) {
            message = p.getServerErrorMessage().getMessage();
        }
        Throwable root = driver;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != driver && root.getMessage() != null && !message.contains(root.getMessage())) {
            // e.g. "The connection attempt failed." over java.net.UnknownHostException: warehouse.invalid
            message = message + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        return message.replace('\n', ' ').strip();
    }

    private static SQLException driverFailure(SQLException e) {
        if (e instanceof SQLTransientConnectionException && e.getCause() instanceof SQLException cause) {
            return cause;
        }
        return e;
    }
}
