package org.klaviyosync.warehouse;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import javax.sql.DataSource;
import org.klaviyosync.fingerprint.Sha256ToLong;

/**
 * The warehouse's fingerprint of a model row (PostgreSQL): a 64-bit hash of the row's text form,
 * {@code hashtextextended(row(m.*)::text, seed)}, computed where the row lives. Two rows with the
 * same text form give the same payload only when everything else the payload depends on is the
 * same too, so that goes into the seed: the sync's mapping (its {@code MappingHash}), the model's
 * column labels and types (a renamed or retyped column changes the payload, not the text), the
 * Java time zone (the driver reads a {@code timestamp} in it) and the version of this scheme. A
 * change to any of them changes every row fingerprint, and every row is mapped again.
 *
 * <p>The text form is exact for PostgreSQL's types: distinct values of a column print differently
 * (floats print with all their digits under the driver's settings), and a NULL differs from any text.
 */
public final class RowFingerprints {

    /** Bump when the row fingerprint's expression changes. */
    static final int VERSION = 1;

    private final DataSource models;

    /** A model's column labels and the seed of its row fingerprints. */
    public record Model(List<String> labels, long seed) {
    }

    public RowFingerprints(DataSource models) {
        this.models = models;
    }

    /**
     * Whether the warehouse computes row fingerprints: PostgreSQL 11 or later (not a server that
     * only speaks PostgreSQL's protocol, such as Redshift). A warehouse that cannot be asked counts as not.
     */
    public static boolean available(DataSource models) {
        try (Connection c = models.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select hashtextextended(row(1, 'a')::text, 0)")) {
                return rs.next();
            } finally {
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
            }
        } catch (SQLException e) {
            return false;
        }
    }

    /** The row fingerprint of the rows of subquery {@code alias}, as an SQL expression. */
    static String expression(String alias, long seed) {
        return "hashtextextended(row(" + alias + ".*)::text, " + seed + ")";
    }

    /** Probes the model's columns (no row is read) and seeds its row fingerprints with them and {@code mappingHash}. */
    public Model of(String modelSql, long mappingHash) throws SQLException {
        StringBuilder context = new StringBuilder("v").append(VERSION).append('\u0000').append(mappingHash)
                .append('\u0000').append(TimeZone.getDefault().getID());
        List<String> labels = new ArrayList<>();
        try (Connection c = models.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select * from (" + ModelColumns.stripTrailingSemicolon(modelSql)
                    + "\n) as klaviyo_sync_model where 1 = 0")) {
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    labels.add(md.getColumnLabel(i));
                    context.append('\u0000').append(md.getColumnLabel(i)).append('\u0001')
                            .append(md.getColumnTypeName(i)).append('\u0001').append(md.getColumnClassName(i));
                }
            } finally {
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
            }
        }
        return new Model(List.copyOf(labels), Sha256ToLong.of(context.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
