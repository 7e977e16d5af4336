package org.klaviyosync.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates Quartz's job store tables in the bookkeeping schema when they are missing, from the
 * PostgreSQL DDL that ships inside the Quartz jar. The DDL's DROP statements are never run. Safe
 * when several instances start at once: one creates, the others find the tables.
 */
public final class QuartzTables {

    private static final Logger LOG = LoggerFactory.getLogger(QuartzTables.class);
    static final String DDL = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";
    private static final Pattern TABLE = Pattern.compile("\\bqrtz_", Pattern.CASE_INSENSITIVE);

    private QuartzTables() {
    }

    /** Creates the tables named {@code tablePrefix + job_details, triggers, ...} unless they exist. */
    public static void ensure(DataSource dataSource, String tablePrefix) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                s.execute("select pg_advisory_xact_lock(hashtext('klaviyo-sync:quartz-tables'))");
                if (exists(s, tablePrefix + "job_details")) {
                    c.rollback();
                    return;
                }
                List<String> statements = statements(tablePrefix);
                for (String sql : statements) {
                    s.execute(sql);
                }
                c.commit();
                LOG.info("Created the Quartz job store tables ({}*)", tablePrefix);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        }
    }

    private static boolean exists(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("select to_regclass('" + table.replace("'", "''") + "') is not null")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** The CREATE statements of Quartz's PostgreSQL DDL with {@code qrtz_} replaced by the prefix. */
    static List<String> statements(String tablePrefix) {
        String ddl;
        try (InputStream in = QuartzTables.class.getClassLoader().getResourceAsStream(DDL)) {
            if (in == null) {
                throw new IllegalStateException("the Quartz DDL " + DDL + " is not on the classpath");
            }
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("could not read " + DDL + ": " + e.getMessage(), e);
        }
        StringBuilder text = new StringBuilder();
        for (String line : ddl.split("\n")) {
            if (!line.strip().startsWith("--")) {
                text.append(line).append('\n');
            }
        }
        List<String> out = new ArrayList<>();
        for (String statement : text.toString().split(";")) {
            String sql = statement.strip();
            String verb = sql.toLowerCase(Locale.ROOT);
            if (verb.startsWith("create table") || verb.startsWith("create index")) {
                out.add(TABLE.matcher(sql).replaceAll(Matcher.quoteReplacement(tablePrefix)));
            }
        }
        return out;
    }
}
