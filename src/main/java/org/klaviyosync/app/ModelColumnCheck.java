package org.klaviyosync.app;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.config.SyncParameter;
import org.klaviyosync.warehouse.ModelColumns;

/** Checks that every column a sync names is one its model returns. */
final class ModelColumnCheck {

    private final ModelColumns columns;

    ModelColumnCheck(ModelColumns columns) {
        this.columns = columns;
    }

    /** Problems of one sync; throws SQLException when the warehouse cannot be reached. */
    List<String> check(SyncDefinition sync, List<String> modelColumns) {
        Set<String> present = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        present.addAll(modelColumns);
        List<String> problems = new ArrayList<>();
        String where = sync.sourceFile() + ": ";
        String known = " (the model returns: " + String.join(", ", modelColumns) + ")";
        if (!present.contains(sync.identifierColumn())) {
            problems.add(where + "parameter '" + SyncParameter.IDENTIFIER_COLUMN.key() + "' names column '"
                    + sync.identifierColumn() + "', which the model does not return" + known);
        }
        if (sync.listColumn() != null && !present.contains(sync.listColumn())) {
            problems.add(where + "parameter '" + SyncParameter.LIST_COLUMN.key() + "' names column '"
                    + sync.listColumn() + "', which the model does not return" + known);
        }
        if (sync.event() != null) {
            for (String[] named : new String[][] {{"eventIdColumn", sync.event().eventIdColumn()},
                {"metricColumn", sync.event().metricColumn()}, {"timeColumn", sync.event().timeColumn()},
                {"valueColumn", sync.event().valueColumn()}, {"cursorColumn", sync.event().cursorColumn()}}) {
                if (named[1] != null && !present.contains(named[1])) {
                    problems.add(where + "parameter '" + named[0] + "' names column '" + named[1]
                            + "', which the model does not return" + known);
                }
            }
        }
        sync.properties().fieldToColumn().forEach((field, column) -> {
            if (!present.contains(column)) {
                problems.add(where + "parameter '" + SyncParameter.PROPERTIES.key() + "' maps field '" + field
                        + "' to column '" + column + "', which the model does not return" + known);
            }
        });
        if (sync.properties().syncAll()) {
            for (String c : modelColumns) {
                if (c.startsWith("$") || c.isBlank()) {
                    problems.add(where + "parameter 'properties' is '*' but the model returns column '" + c
                            + "', a name Klaviyo reserves or refuses; alias it in the model's SQL");
                }
            }
        }
        return problems;
    }

    /** The model's columns, or the warehouse's error phrased for the user. */
    List<String> columnsOf(SyncDefinition sync) throws SQLException {
        return columns.of(sync.modelSql());
    }

    static String describeModelError(SyncDefinition sync, SQLException e) {
        return sync.sourceFile() + ": parameter 'model' of sync '" + sync.syncId() + "' fails in the warehouse: "
                + e.getMessage().replace('\n', ' ');
    }
}
