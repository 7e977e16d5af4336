package org.klaviyosync.warehouse;

import java.sql.SQLException;

/**
 * The identifier values of a model's rows as the fingerprints store them (PostgreSQL, column
 * {@code identifier_value}): what a run compared in the warehouse checks the stored identifiers
 * against when some of them may have left the model.
 */
public final class PresentIdentifiersQuery {

    private PresentIdentifiersQuery() {
    }

    public static String build(DuplicateIdentifierQuery duplicates, String modelSql, String identifierColumn,
            IdentifierKey key) throws SQLException {
        // the row fingerprint the keyed rows carry is not used here: any seed does
        String keyed = duplicates.keyed(modelSql, identifierColumn, key, 0L);
        return "select (" + UnchangedRowsQuery.sent("k." + DuplicateIdentifierQuery.KEY_COLUMN, key)
                + ") collate \"C\" as identifier_value from (" + keyed + ") k";
    }
}
