package org.klaviyosync.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.function.BooleanSupplier;
import org.apache.camel.main.Main;
import org.klaviyosync.pipeline.BatchDeliveries;
import org.klaviyosync.pipeline.DeadLetterRecorder;
import org.klaviyosync.pipeline.DryRunRecorder;
import org.klaviyosync.pipeline.ModelRows;
import org.klaviyosync.pipeline.RunFailer;
import org.klaviyosync.pipeline.RunFinisher;
import org.klaviyosync.pipeline.RunStarter;
import org.klaviyosync.run.RunRegistry;
import org.klaviyosync.settings.PipelineSettings;
import org.klaviyosync.settings.Settings;
import org.klaviyosync.state.HistoryRetention;
import org.klaviyosync.warehouse.DuplicateIdentifierQuery;
import org.klaviyosync.warehouse.ModelRowMapper;
import org.klaviyosync.warehouse.RowFingerprints;
import org.klaviyosync.warehouse.WarehouseConnections;

/**
 * The beans every kind of sync's routes share, by the names the YAML refers to: reading the model,
 * starting, failing and finishing a run, the delivery bookkeeping, the dead letters, the dry-run
 * files and the history's housekeeping.
 */
final class PipelineBeans {

    private PipelineBeans() {
    }

    static void bind(Main main, Settings settings, ObjectMapper json, WarehouseConnections connections,
            RunRegistry runs, DryRunRecorder dryRunRecorder, HistoryRetention retention, ShutdownGrace grace,
            BooleanSupplier klaviyoOutage) {
        main.bind("modelDataSource", connections.models());
        main.bind("modelRowMapper", new ModelRowMapper(json));
        main.bind("modelRows", new ModelRows(settings.get(PipelineSettings.CHUNK_ROWS)));
        // with the bookkeeping in the warehouse, unchanged rows are told there and never leave it
        boolean compareInWarehouse = connections.bookkeepingInWarehouse()
                && RowFingerprints.available(connections.models());
        runs.compareInWarehouse(compareInWarehouse);
        main.bind("runStarter", new RunStarter(runs, new DuplicateIdentifierQuery(connections.models()),
                compareInWarehouse ? new RowFingerprints(connections.models()) : null));
        main.bind("runFailer", new RunFailer());
        BatchDeliveries deliveries = new BatchDeliveries(grace.forDeliveries());
        main.bind("batchDeliveries", deliveries);
        main.bind("runFinisher", new RunFinisher(runs, deliveries));
        main.bind("deadLetterRecorder", new DeadLetterRecorder(klaviyoOutage));
        main.bind("dryRunRecorder", dryRunRecorder);
        main.bind("historyRetention", retention);
    }
}
