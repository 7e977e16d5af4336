package org.klaviyosync.warehouse;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;

/**
 * When the bookkeeping tables live in the warehouse (PostgreSQL, schema {@code klaviyo_sync}), compares
 * the model's rows with the sync's stored fingerprints in the model query itself. A row is unchanged
 * when it is the only row of the model with its identifier key, its stored content is acknowledged
 * (not rejected) and its row fingerprint ({@link RowFingerprints}) equals the one stored with that
 * content.
 *
 * <p>First in buckets: the rows are spread over {@value #BUCKETS} buckets by a hash of their
 * identifier, and per bucket the number of rows and the sum of a 64-bit hash of (identifier, row
 * fingerprint) are compared with the same over the stored acknowledged fingerprints, in one pass
 * that keeps only those numbers. A bucket that agrees holds exactly the stored identifiers (each
 * once: the stored ones are distinct) with their stored row fingerprints, so every row of it is
 * unchanged (but for a chance of about 2^-64 per bucket); it comes out as one row holding the
 * number of its rows ({@link #UNCHANGED_ROWS}). Only when some rows lie outside those buckets is the
 * model read again, for the rows of the other buckets (every row of an identifier falls into one
 * bucket, so the duplicate count stays whole), which are compared one by one: a row found unchanged
 * comes out as {@link #UNCHANGED} = true with every column NULL (none of its values is printed or
 * sent out); every other row comes out whole, with the content fingerprint acknowledged for its
 * identifier ({@link #ACKNOWLEDGED}, NULL when none), which the run compares with the fingerprint
 * of its payload. The model runs twice within one statement, so both readings see one snapshot.
 */
public final class UnchangedRowsQuery {

    /** The helper column with the content fingerprint acknowledged for the row's identifier, or NULL. */
    public static final String ACKNOWLEDGED = "klaviyo_sync_row_acknowledged";
    /** The helper column that is true for a row found unchanged in the warehouse. */
    public static final String UNCHANGED = "klaviyo_sync_row_unchanged";
    /** The helper column with the number of rows of a bucket found unchanged as a whole (else NULL). */
    public static final String UNCHANGED_ROWS = "klaviyo_sync_rows_unchanged";

    /** Rows are bucketed by a hash of their identifier; a bucket compared as a whole spares its rows one by one. */
    static final int BUCKETS = 65_536;
    private static final String MODEL_BUCKETS = "klaviyo_sync_model_buckets";
    private static final String SAME_BUCKETS = "klaviyo_sync_same_buckets";

    private UnchangedRowsQuery() {
    }

    /**
     * The statement an incremental run streams; see the class comment.
     *
     * @param labels the model's column labels
     * @param seed   the seed of the model's row fingerprints ({@link RowFingerprints})
     * @param key    how the identifier key is made; a phone number's is sent with a leading {@code +}
     */
    public static String build(DuplicateIdentifierQuery duplicates, String modelSql, String identifierColumn,
            List<String> labels, long seed, String syncId, IdentifierKey key) throws SQLException {
        String sync = "'" + syncId.replace("'", "''") + "'";
        String keyed = duplicates.keyed(modelSql, identifierColumn, key, seed);
        String sentInModel = sent("k." + DuplicateIdentifierQuery.KEY_COLUMN, key);
        // buckets of rows whose identifiers and row fingerprints, counted and summed, are the stored ones
        // sorted by bucket and then grouped: the planner, not knowing the buckets are few, would plan a
        // hash aggregate for one group a row and spill it to disk
        String modelBuckets = perBucket("select " + bucket(sentInModel) + " as b, "
                + element(sentInModel, "k." + DuplicateIdentifierQuery.ROW_FINGERPRINT) + " as x from (" + keyed
                + ") k");
        String same = "select m.b, m.n from " + MODEL_BUCKETS + " m join (" + perBucket("select "
                + bucket("f.identifier_value") + " as b, "
                + element("f.identifier_value", "f.row_fingerprint") + " as x from klaviyo_sync.fingerprints f"
                + " where f.sync_id = " + sync + " and not f.rejected and f.row_fingerprint is not null") + ") s"
                + " on s.b = m.b and s.n = m.n and s.x = m.x";
        String outsideSameBuckets = "coalesce(" + bucket(sent("f." + DuplicateIdentifierQuery.KEY_COLUMN, key))
                + ", -1) not in (select b from " + SAME_BUCKETS + ")";
        String counted = duplicates.wrap(modelSql, identifierColumn, key, seed, outsideSameBuckets);
        String compared = "select u.*, case when not f.rejected then f.fingerprint end as " + ACKNOWLEDGED
                + ", coalesce(u." + DuplicateIdentifierQuery.COLUMN + " = 1 and not f.rejected and f.row_fingerprint = u."
                + DuplicateIdentifierQuery.ROW_FINGERPRINT + ", false) as " + UNCHANGED
                + " from (" + counted + ") u left join klaviyo_sync.fingerprints f on f.sync_id = " + sync
                + " and f.identifier_value = (" + sent("u." + DuplicateIdentifierQuery.KEY_COLUMN, key) + ") collate \"C\"";
        List<String> helpers = DuplicateIdentifierQuery.helperColumns(key);
        StringBuilder sql = new StringBuilder("with " + MODEL_BUCKETS + " as (" + modelBuckets + "), " + SAME_BUCKETS
                + " as (" + same + ") select ");
        if (new HashSet<>(labels).size() < labels.size()) {
            // two columns of one label cannot be named one by one: rows told unchanged one by one come out whole
            sql.append("c.*");
        } else {
            for (String label : labels) {
                String quoted = "c.\"" + label.replace("\"", "\"\"") + "\"";
                sql.append("case when c.").append(UNCHANGED).append(" then null else ").append(quoted)
                        .append(" end as ").append(quoted.substring(2)).append(", ");
            }
            for (String helper : helpers) {
                sql.append("c.").append(helper).append(", ");
            }
            sql.append("c.").append(DuplicateIdentifierQuery.ROW_FINGERPRINT).append(", c.").append(ACKNOWLEDGED)
                    .append(", c.").append(UNCHANGED);
        }
        // read the model a second time only when some of its rows lie outside the buckets that agree
        sql.append(", null::bigint as ").append(UNCHANGED_ROWS).append(" from (").append(compared).append(") c")
                .append(" where (select sum(n) from ").append(MODEL_BUCKETS).append(") > (select coalesce(sum(n), 0) from ")
                .append(SAME_BUCKETS).append(")");
        // one row per bucket told unchanged as a whole: NULL in every column but the count of its rows
        sql.append(" union all select ");
        int columns = labels.size() + helpers.size() + 3;
        for (int i = 0; i < columns; i++) {
            sql.append("null, ");
        }
        return sql.append("b.n from ").append(SAME_BUCKETS).append(" b").toString();
    }

    /** The identifier as stored: the key, a phone number's with its leading plus sign. */
    static String sent(String keyColumn, IdentifierKey key) {
        return key.kind() == IdentifierKey.Kind.PHONE ? "'+' || " + keyColumn : keyColumn;
    }

    private static String bucket(String sentIdentifier) {
        return "(hashtextextended((" + sentIdentifier + ") collate \"C\", 0) & " + (BUCKETS - 1) + ")";
    }

    private static String element(String sentIdentifier, String rowFingerprint) {
        return "hashtextextended((" + sentIdentifier + ") collate \"C\", " + rowFingerprint + ")";
    }

    /** Rows of (b, x) counted and x summed per bucket b. */
    private static String perBucket(String rows) {
        // sum(bigint) is exact (its result is numeric) and adds in 128 bits, cheaper than adding numerics
        return "select g.b, count(*) as n, sum(g.x) as x from (" + rows + " order by 1) g group by g.b";
    }
}
