package org.klaviyosync.warehouse;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * When the bookkeeping tables live in the warehouse (PostgreSQL, schema {@code klaviyo_sync}), compares
 * each model row with the sync's stored fingerprints in the model query itself: a row is unchanged
 * when it is the only row of the model with its identifier key, its stored content is acknowledged
 * (not rejected) and its row fingerprint ({@link RowFingerprints}) equals the one stored with that
 * content. Such a row still comes out, so the run can count it read and unchanged, but as nothing
 * more than {@link #UNCHANGED} = true: its columns are NULL (none of its values is printed or sent
 * out). Every other row comes out whole, with the fingerprint acknowledged for its identifier
 * ({@link #ACKNOWLEDGED}, NULL when none), which the run compares with the fingerprint of its payload.
 */
public final class UnchangedRowsQuery {

    /** The helper column with the content fingerprint acknowledged for the row's identifier, or NULL. */
    public static final String ACKNOWLEDGED = "klaviyo_sync_row_acknowledged";
    /** The helper column that is true for a row found unchanged in the warehouse. */
    public static final String UNCHANGED = "klaviyo_sync_row_unchanged";

    private UnchangedRowsQuery() {
    }

    /**
     * @param keyed  the model wrapped by {@link DuplicateIdentifierQuery} on PostgreSQL with a row fingerprint
     * @param labels the model's column labels
     * @param key    how the identifier key is made; a phone number's is sent with a leading {@code +}
     */
    public static String wrap(String keyed, List<String> labels, String syncId, IdentifierKey key) {
        String sent = "u." + DuplicateIdentifierQuery.KEY_COLUMN;
        if (key.kind() == IdentifierKey.Kind.PHONE) {
            sent = "'+' || " + sent;
        }
        String compared = "select u.*, case when not f.rejected then f.fingerprint end as " + ACKNOWLEDGED
                + ", coalesce(u." + DuplicateIdentifierQuery.COLUMN + " = 1 and not f.rejected and f.row_fingerprint = u."
                + DuplicateIdentifierQuery.ROW_FINGERPRINT + ", false) as " + UNCHANGED
                + " from (" + keyed + ") u left join klaviyo_sync.fingerprints f on f.sync_id = '"
                + syncId.replace("'", "''") + "' and f.identifier_value = (" + sent + ") collate \"C\"";
        Set<String> seen = new HashSet<>();
        for (String label : labels) {
            if (!seen.add(label)) {
                // two columns of one label cannot be named one by one: unchanged rows come out whole
                return compared;
            }
        }
        StringBuilder sql = new StringBuilder("select ");
        for (String label : labels) {
            String quoted = "c.\"" + label.replace("\"", "\"\"") + "\"";
            sql.append("case when c.").append(UNCHANGED).append(" then null else ").append(quoted).append(" end as ")
                    .append(quoted.substring(2)).append(", ");
        }
        for (String helper : DuplicateIdentifierQuery.helperColumns(key)) {
            sql.append("c.").append(helper).append(", ");
        }
        sql.append("c.").append(DuplicateIdentifierQuery.ROW_FINGERPRINT).append(", c.").append(ACKNOWLEDGED)
                .append(", c.").append(UNCHANGED).append(" from (").append(compared).append(") c");
        return sql.toString();
    }
}
