package org.klaviyosync.e2e;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * Notes when the service reads the first row of its model, without touching the service: the
 * PostgreSQL driver is replaced, for this JVM, by one that hands out the real driver's connections
 * behind proxies, and the first {@code ResultSet.next()} that finds a row, on a statement whose SQL
 * contains the marker, records the time. The proxies add a reflective call per JDBC call.
 */
final class FirstRowProbe implements Driver {

    private static final AtomicLong FIRST_ROW_EPOCH_MILLIS = new AtomicLong();

    private final Driver real;
    private final String marker;

    private FirstRowProbe(Driver real, String marker) {
        this.real = real;
        this.marker = marker;
    }

    /** Puts the probe in front of the PostgreSQL driver for every later connection of this JVM. */
    static void install(String marker) throws SQLException {
        Driver real = new org.postgresql.Driver();
        DriverManager.registerDriver(new FirstRowProbe(real, marker));
        // the real driver registered itself when its class was loaded: take it out so the probe answers
        org.postgresql.Driver.deregister();
    }

    /** Epoch milliseconds of the first row read, 0 while none was. */
    static long firstRowEpochMillis() {
        return FIRST_ROW_EPOCH_MILLIS.get();
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        Connection c = real.connect(url, info);
        return c == null ? null : proxy(Connection.class, c, null);
    }

    /** Wraps statements (remembering their SQL) and, for SQL with the marker, their result sets. */
    private <T> T proxy(Class<T> type, Object target, String sql) {
        InvocationHandler handler = (p, method, args) -> {
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            String text = args != null && args.length > 0 && args[0] instanceof String s ? s : sql;
            if (result instanceof ResultSet rs && text != null && text.contains(marker)) {
                return proxy(ResultSet.class, rs, text);
            }
            if (result instanceof Statement st && !(target instanceof ResultSet)) {
                return proxy(statementType(st), st, text);
            }
            if (target instanceof ResultSet && method.getName().equals("next") && Boolean.TRUE.equals(result)) {
                FIRST_ROW_EPOCH_MILLIS.compareAndSet(0, System.currentTimeMillis());
            }
            return result;
        };
        return type.cast(Proxy.newProxyInstance(FirstRowProbe.class.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Class<? extends Statement> statementType(Statement st) {
        if (st instanceof java.sql.CallableStatement) {
            return java.sql.CallableStatement.class;
        }
        return st instanceof java.sql.PreparedStatement ? java.sql.PreparedStatement.class : Statement.class;
    }

    @Override
    public boolean acceptsURL(String url) throws SQLException {
        return real.acceptsURL(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return real.getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
        return real.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return real.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return real.jdbcCompliant();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return real.getParentLogger();
    }
}
