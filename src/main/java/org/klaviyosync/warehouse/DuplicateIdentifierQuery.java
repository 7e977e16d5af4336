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
 * key ({@link IdentifierKey}: the value as Klaviyo matches it, e.g. a phone number in E.164), in
 * the column {@link #COLUMN}: rows sharing a key are all invalid, even when far apart in a
 * streamed model or spelled differently, and the warehouse counts them in the same pass that
 * reads them, so the pipeline holds nothing back.
 *
 * <p>On PostgreSQL, MariaDB/MySQL and DuckDB the key is computed in the warehouse's SQL and
 * compared byte for byte (a case-insensitive collation does not make {@code abc} and {@code ABC}
 * one external id); each row also carries the key ({@link #KEY_COLUMN}), which the pipeline
 * checks against the key it sends, and, in a group of several rows, the lowest and highest
 * spelling of the identifier ({@link #FIRST_SPELLING}, {@link #LAST_SPELLING}) for the reason.
 * On other engines the raw values are compared and no key is carried.
 *
 * <p>The identifier column is quoted with the driver's quote string and its real label.
 */
public final class DuplicateIdentifierQuery {

    /** The helper column with the number of rows sharing the row's key. */
    public static final String COLUMN = "klaviyo_sync_identifier_rows";
    /** The helper column with the row's identifier key as the warehouse computed it. */
    public static final String KEY_COLUMN = "klaviyo_sync_identifier_key";
    /** The helper columns with the lowest and highest spelling in a group of several rows. */
    public static final String FIRST_SPELLING = "klaviyo_sync_identifier_first";
    public static final String LAST_SPELLING = "klaviyo_sync_identifier_last";
    /** The helper column with a phone number's digits and plus signs, from which its key is made. */
    public static final String PHONE_CHARACTERS = "klaviyo_sync_identifier_phone";
    /**
     * The helper column with the warehouse's 64-bit fingerprint of the model row (PostgreSQL, when asked
     * for): a hash of the row's text form, seeded with what else decides its payload.
     */
    public static final String ROW_FINGERPRINT = "klaviyo_sync_row_fingerprint";
    /** What every helper column's name starts with; the pipeline removes them before mapping. */
    public static final String HELPER_PREFIX = "klaviyo_sync_identifier_";

    /**
     * Characters Java's {@code String.trim()} removes at either end (code points 0 to 32), for
     * MariaDB's {@code regexp_replace} (its {@code trim} removes one string, not a set); the
     * control class also holds DEL, so such a key differs from Java's and its row is invalid.
     */
    private static final String TRIM = "'^[[:cntrl:] ]+|[[:cntrl:] ]+$'";
    /** The same characters as a literal for PostgreSQL's {@code btrim} (text cannot hold code point 0). */
    private static final String TRIMMED_CHARS_POSTGRESQL = controlCharacters("E'", "\\x%02x", " '");
    /** And for DuckDB's {@code trim(text, characters)}, built with {@code chr}. */
    private static final String TRIMMED_CHARS_DUCKDB = controlCharacters("(", "chr(%d) || ", "' ')");

    private final DataSource models;
    private final ModelColumns columns;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    /** The SQL of one engine family. */
    private enum Dialect {
        POSTGRESQL, MARIADB, DUCKDB, OTHER;

        static Dialect of(String productName) {
            String p = productName.toLowerCase(Locale.ROOT);
            if (p.contains("postgres")) {
                return POSTGRESQL;
            }
            if (p.contains("mariadb") || p.contains("mysql")) {
                return MARIADB;
            }
            return p.contains("duckdb") ? DUCKDB : OTHER;
        }

        String text(String expression) {
            return switch (this) {
                case POSTGRESQL -> "cast(" + expression + " as text)";
                case MARIADB -> "cast(" + expression + " as char)";
                default -> "cast(" + expression + " as varchar)";
            };
        }

        /** The text without the characters Java's {@code String.trim()} removes at either end (code points up to space). */
        String trim(String expression) {
            return switch (this) {
                // btrim with a set of 33 characters costs PostgreSQL microseconds a row (seconds a million
                // rows, more than reading the rows): only a value with such a character at one of its
                // ends is trimmed, which gives the same text (ascii() is the first character's code point)
                case POSTGRESQL -> "case when ascii(" + expression + ") > 32 and ascii(right(" + expression
                        + ", 1)) > 32 then " + expression + " else btrim(" + expression + ", "
                        + TRIMMED_CHARS_POSTGRESQL + ") end";
                case DUCKDB -> "trim(" + expression + ", " + TRIMMED_CHARS_DUCKDB + ")";
                default -> remove(expression, TRIM);
            };
        }

        /** Every match of {@code pattern} (an SQL literal) removed. */
        String remove(String expression, String pattern) {
            return this == MARIADB ? "regexp_replace(" + expression + ", " + pattern + ", '')"
                    : "regexp_replace(" + expression + ", " + pattern + ", '', 'g')";
        }

        String lower(String expression) {
            return this == POSTGRESQL ? "lower((" + expression + ") collate \"C\")" : "lower(" + expression + ")";
        }

        /** The expression compared byte for byte, whatever the column's collation. */
        String exact(String expression) {
            return switch (this) {
                case POSTGRESQL -> "(" + expression + ") collate \"C\"";
                case MARIADB -> "cast(" + expression + " as binary)";
                default -> expression;
            };
        }
    }

    public DuplicateIdentifierQuery(DataSource models) {
        this.models = models;
        this.columns = new ModelColumns(models);
    }

    /** The model SQL (no trailing semicolon) wrapped with the count of rows per external id. */
    public String wrap(String modelSql, String identifierColumn) throws SQLException {
        return wrap(modelSql, identifierColumn, IdentifierKey.exact());
    }

    /** The model SQL (no trailing semicolon) wrapped with the count of rows per identifier key. */
    public String wrap(String modelSql, String identifierColumn, IdentifierKey key) throws SQLException {
        return wrap(modelSql, identifierColumn, key, null);
    }

    /**
     * As above; with a {@code rowFingerprintSeed} on PostgreSQL each row also carries its fingerprint
     * ({@link #ROW_FINGERPRINT}, see {@link RowFingerprints}).
     */
    public String wrap(String modelSql, String identifierColumn, IdentifierKey key, Long rowFingerprintSeed)
            throws SQLException {
        return wrap(modelSql, identifierColumn, key, rowFingerprintSeed, null);
    }

    /**
     * The model with its row fingerprint and identifier key ({@link #KEY_COLUMN}), before rows are
     * counted per key; PostgreSQL only.
     */
    public String keyed(String modelSql, String identifierColumn, IdentifierKey key, long rowFingerprintSeed)
            throws SQLException {
        return wrap(modelSql, identifierColumn, key, rowFingerprintSeed, KEYED_ONLY);
    }

    /** Asks {@link #wrap} for the keyed rows only. */
    private static final String KEYED_ONLY = "\u0000keyed";

    /**
     * As above; with a {@code keyedFilter} (an SQL condition on the keyed row, alias {@code f}) only the
     * rows it holds for are counted and come out: the caller must keep every row of a key or none.
     */
    public String wrap(String modelSql, String identifierColumn, IdentifierKey key, Long rowFingerprintSeed,
            String keyedFilter) throws SQLException {
        String cacheKey = identifierColumn + "\u0000" + key + "\u0000" + rowFingerprintSeed + "\u0000" + keyedFilter
                + "\u0000" + modelSql;
        String cached = cache.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        String quote;
        Dialect dialect;
        try (Connection c = models.getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            quote = md.getIdentifierQuoteString();
            dialect = Dialect.of(md.getDatabaseProductName());
        }
        if (quote == null || quote.isBlank()) {
            quote = "\"";
        }
        String label = label(columns.of(modelSql), identifierColumn);
        String quoted = quote + label.replace(quote, quote + quote) + quote;
        String rowFingerprint = rowFingerprintSeed == null || dialect != Dialect.POSTGRESQL ? ""
                : RowFingerprints.expression("m", rowFingerprintSeed) + " as " + ROW_FINGERPRINT + ", ";
        String wrapped;
        if (dialect == Dialect.OTHER) {
            wrapped = "select m.*, count(*) over (partition by m." + quoted + ") as " + COLUMN + " from (\n"
                    + modelSql + "\n) m";
        } else {
            String trimmed = dialect.trim(dialect.text("m." + quoted));
            String window = " over (partition by " + dialect.exact("k." + KEY_COLUMN) + ")";
            // exact keys are their own spelling; emails and phone numbers name the spellings that met
            String spelling = dialect.trim(dialect.text("k." + quoted));
            String spellings = key.kind() == IdentifierKey.Kind.EXACT ? ""
                    : ", case when count(*)" + window + " > 1 then min(" + spelling + ")" + window + " end as "
                            + FIRST_SPELLING
                            + ", case when count(*)" + window + " > 1 then max(" + spelling + ")" + window + " end as "
                            + LAST_SPELLING;
            String keyed;
            if (key.kind() == IdentifierKey.Kind.PHONE) {
                // the digits and plus signs once per row; the key is made from them with plain string functions
                keyed = "select r.*, " + phoneKey(key, "r." + PHONE_CHARACTERS) + " as " + KEY_COLUMN
                        + " from (select m.*, " + rowFingerprint + dialect.remove(dialect.text("m." + quoted), "'[^0-9+]'") + " as "
                        + PHONE_CHARACTERS + " from (\n" + modelSql + "\n) m) r";
            } else {
                keyed = "select m.*, " + rowFingerprint + (key.kind() == IdentifierKey.Kind.EMAIL ? dialect.lower(trimmed) : trimmed)
                        + " as " + KEY_COLUMN + " from (\n" + modelSql + "\n) m";
            }
            if (KEYED_ONLY.equals(keyedFilter)) {
                wrapped = keyed;
            } else if (keyedFilter != null) {
                wrapped = "select k.*, count(*)" + window + " as " + COLUMN + spellings + " from (select f.* from ("
                        + keyed + ") f where " + keyedFilter + ") k";
            } else {
                wrapped = "select k.*, count(*)" + window + " as " + COLUMN + spellings + " from (" + keyed + ") k";
            }
        }
        cache.put(cacheKey, wrapped);
        return wrapped;
    }

    /** The helper columns a PostgreSQL, MariaDB/MySQL or DuckDB model wrapped for {@code key} carries. */
    static List<String> helperColumns(IdentifierKey key) {
        List<String> helpers = new java.util.ArrayList<>(List.of(COLUMN, KEY_COLUMN));
        if (key.kind() != IdentifierKey.Kind.EXACT) {
            helpers.addAll(List.of(FIRST_SPELLING, LAST_SPELLING));
        }
        if (key.kind() == IdentifierKey.Kind.PHONE) {
            helpers.add(PHONE_CHARACTERS);
        }
        return helpers;
    }

    /** Code points 1 to 31, each written with {@code eachFormat}, then space and {@code close}. */
    private static String controlCharacters(String open, String eachFormat, String close) {
        StringBuilder sb = new StringBuilder(open);
        for (int c = 1; c < ' '; c++) {
            sb.append(String.format(Locale.ROOT, eachFormat, c));
        }
        return sb.append(close).toString();
    }

    /** The E.164 digits of a phone number from its digits and plus signs, as {@link IdentifierKey} says. */
    private static String phoneKey(IdentifierKey key, String characters) {
        String digits = "replace(" + characters + ", '+', '')";
        if (key.phoneCountryCode() == null) {
            return digits;
        }
        String national = key.phoneNationalPrefix() == null ? digits
                : "case when " + digits + " like '" + key.phoneNationalPrefix() + "%' then substr(" + digits + ", "
                        + (key.phoneNationalPrefix().length() + 1) + ") else " + digits + " end";
        return "case when " + characters + " like '+%' then " + digits + " else concat('" + key.phoneCountryCode()
                + "', " + national + ") end";
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
