package org.klaviyosync.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import org.apache.camel.main.Main;
import org.klaviyosync.klaviyo.EventBulkCreateJobs;
import org.klaviyosync.klaviyo.KlaviyoApi;
import org.klaviyosync.pipeline.DryRunRecorder;
import org.klaviyosync.pipeline.EventCursor;
import org.klaviyosync.pipeline.EventDryRunRecorder;
import org.klaviyosync.pipeline.EventJobSubmitter;
import org.klaviyosync.pipeline.EventPayloadProcessor;
import org.klaviyosync.pipeline.EventRowSorter;
import org.klaviyosync.pipeline.MappingWorkers;
import org.klaviyosync.run.RunRegistry;
import org.klaviyosync.state.EventCursors;
import org.klaviyosync.state.SentEvents;
import org.klaviyosync.warehouse.WarehouseConnections;

/**
 * The event sync's beans (routes/klaviyo-event-sync.yaml), by the names its steps refer to:
 * mapping rows to events on worker threads, skipping the events sent before, the cursor, and
 * sending (or, without a Klaviyo client, writing to the dry-run file) batches of events.
 */
final class EventSyncBeans implements SyncKindBeans {

    private final RunRegistry runs;
    private final ObjectMapper json;
    private final KlaviyoApi klaviyo;
    private final WarehouseConnections connections;
    private final DryRunRecorder dryRunFiles;
    private final int mappingThreads;
    private MappingWorkers mappingWorkers;

    EventSyncBeans(RunRegistry runs, ObjectMapper json, KlaviyoApi klaviyo, WarehouseConnections connections,
            DryRunRecorder dryRunFiles, int mappingThreads) {
        this.runs = runs;
        this.json = json;
        this.klaviyo = klaviyo;
        this.connections = connections;
        this.dryRunFiles = dryRunFiles;
        this.mappingThreads = mappingThreads;
    }

    @Override
    public void bind(Main main) {
        mappingWorkers = new MappingWorkers(mappingThreads);
        main.bind("eventPayloadProcessor", new EventPayloadProcessor(json, mappingWorkers));
        main.bind("eventRowSorter", new EventRowSorter(runs, new SentEvents(connections.state())));
        EventCursors cursors = new EventCursors(connections.state());
        try {
            cursors.migrate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the event cursors' table klaviyo_sync.event_cursors: "
                    + e.getMessage(), e);
        }
        main.bind("eventCursor", new EventCursor(runs, cursors, connections.models()));
        main.bind("eventDryRunRecorder", new EventDryRunRecorder(json, dryRunFiles));
        main.bind("eventJobSubmitter", new EventJobSubmitter(klaviyo == null ? null : new EventBulkCreateJobs(klaviyo,
                json), runs));
    }

    @Override
    public void close() {
        if (mappingWorkers != null) {
            mappingWorkers.close();
        }
    }
}
