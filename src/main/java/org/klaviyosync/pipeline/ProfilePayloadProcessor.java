package org.klaviyosync.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.mapping.MappedRow;
import org.klaviyosync.mapping.ProfilePayloadMapper;
import org.klaviyosync.run.SyncRun;

/**
 * The Jackson step: a chunk of model rows in, each row's Klaviyo profile payload and verdict
 * ({@link MappedRow}) out, in the same order. The rows of a chunk are mapped on the
 * {@link MappingWorkers}' threads.
 */
public final class ProfilePayloadProcessor implements Processor {

    private final ObjectMapper json;
    private final MappingWorkers workers;
    private final Map<String, ProfilePayloadMapper> mappers = new ConcurrentHashMap<>();

    public ProfilePayloadProcessor(ObjectMapper json, MappingWorkers workers) {
        this.json = json;
        this.workers = workers;
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException {
        SyncRun run = exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
        List<?> rows = exchange.getMessage().getBody(List.class);
        run.rowsRead(rows.size());
        ProfilePayloadMapper mapper = mapperFor(run.sync());
        exchange.getMessage().setBody(workers.map(rows, row -> map(run.sync(), mapper, row)));
    }

    @SuppressWarnings("unchecked")
    private static MappedRow map(SyncDefinition sync, ProfilePayloadMapper mapper, Object body) {
        Map<String, Object> row = (Map<String, Object>) body;
        DuplicateIdentifiers.Helpers helpers = DuplicateIdentifiers.Helpers.takeFrom(row);
        return DuplicateIdentifiers.check(sync, helpers, mapper.map(row));
    }

    ProfilePayloadMapper mapperFor(SyncDefinition sync) {
        return mappers.computeIfAbsent(sync.syncId(), id -> new ProfilePayloadMapper(sync, json));
    }
}
