package org.klaviyosync.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.klaviyo.EventBulkCreateJobs;
import org.klaviyosync.klaviyo.KlaviyoPaths;
import org.klaviyosync.run.ProfileBatch;
import org.klaviyosync.run.SyncRun;

/**
 * An event sync's dry run: writes the bulk create events request each batch would have been to the
 * run's dry-run file (the same file as {@link DryRunRecorder}'s) instead of sending it.
 */
public final class EventDryRunRecorder implements Processor {

    private final ObjectMapper json;
    private final DryRunRecorder files;

    public EventDryRunRecorder(ObjectMapper json, DryRunRecorder files) {
        this.json = json;
        this.files = files;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        SyncRun run = exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
        ProfileBatch batch = exchange.getMessage().getBody(ProfileBatch.class);
        ObjectNode line = json.createObjectNode();
        line.put("sync", run.syncId());
        line.put("events", batch.size());
        line.put("endpoint", "POST " + KlaviyoPaths.EVENT_BULK_CREATE_JOBS);
        line.set("request", EventBulkCreateJobs.requestBody(json, batch.profiles()));
        files.appendLine(run, line);
        run.partsWouldSend(batch.rowKeys());
    }
}
