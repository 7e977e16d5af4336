package org.klaviyosync.warehouse;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Wraps a model so that every row also carries how many rows of the model share its identifier
 * value, in the column {@link #COLUMN}: rows sharing an identifier are all invalid, even when far
 * apart in a streamed model, and the warehouse counts them in the same pass that reads them.
 *
 * <p>The identifier column is quoted with the driver's quote string and its real label; on
 * PostgreSQL the value is compared as trimmed text, as the row mapping reads it; elsewhere the raw
 * values are compared.
 */
public final class DuplicateIdentifierQuery {

    /** The helper column the pipeline reads and removes before mapping. */
    public static final String COLUMN = "klaviyo_sync_identifier_rows";

    private final DataSource models;
    private final ModelColumns columns;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    public DuplicateIdentifierQuery(DataSource models) {
        this.models = models;
        this.columns = new ModelColumns(models);
    }

    /** The model SQL (no trailing semicolon) wrapped with the identifier count. */
    public String wrap(String modelSql, String identifierColumn) throws SQLException {
        String key = identifierColumn + "\u0000" + modelSql;
        String cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        String quote;
        boolean postgres;
        try (Connection c = models.getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            quote = md.getIdentifierQuoteString();
            postgres = md.getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
        }
        if (quote == null || quote.isBlank()) {
            quote = "\"";
        }
        String label = label(columns.of(modelSql), identifierColumn);
        String quoted = quote + label.replace(quote, quote + quote) + quote;
        String partition = postgres ? "trim(cast(m." + quoted + " as text))" : "m." + quoted;
        String wrapped = "select m.*, count(*) over (partition by " + partition + ") as " + COLUMN + " from (\n"
                + modelSql + "\n) m";
        cache.put(key, wrapped);
        return wrapped;
    }

    private static String label(List<String> labels, String column) {
        for (String l : labels) {
            if (l.equals(column)) {
                return l;
            }
        }
        for (String l : labels) {
            if (l.equalsIgnoreCase(column)) {
                return l;
            }
        }
        return column;
    }
}
