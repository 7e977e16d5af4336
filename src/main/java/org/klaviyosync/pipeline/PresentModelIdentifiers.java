package org.klaviyosync.pipeline;

import java.sql.SQLException;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.run.ModelDepartures;
import org.klaviyosync.warehouse.DuplicateIdentifierQuery;
import org.klaviyosync.warehouse.ModelColumns;
import org.klaviyosync.warehouse.PresentIdentifiersQuery;

/** The identifier values of a sync's model rows, keyed as its rows are ({@link PresentIdentifiersQuery}). */
public final class PresentModelIdentifiers implements ModelDepartures.PresentIdentifiers {

    private final DuplicateIdentifierQuery duplicates;

    public PresentModelIdentifiers(DuplicateIdentifierQuery duplicates) {
        this.duplicates = duplicates;
    }

    @Override
    public String query(SyncDefinition sync) throws SQLException {
        return PresentIdentifiersQuery.build(duplicates, ModelColumns.stripTrailingSemicolon(sync.modelSql()),
                sync.identifierColumn(), DuplicateIdentifiers.keyOf(sync));
    }
}
