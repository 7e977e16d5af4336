package org.klaviyosync.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.mapping.MappedRow;
import org.klaviyosync.mapping.ProfilePayloadMapper;
import org.klaviyosync.run.SyncRun;

/** The Jackson step: one model row in, its Klaviyo profile payload and verdict ({@link MappedRow}) out. */
public final class ProfilePayloadProcessor implements Processor {

    private final ObjectMapper json;
    private final Map<String, ProfilePayloadMapper> mappers = new ConcurrentHashMap<>();

    public ProfilePayloadProcessor(ObjectMapper json) {
        this.json = json;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        SyncRun run = exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
        run.rowRead();
        Map<String, Object> row = exchange.getMessage().getBody(Map.class);
        exchange.getMessage().setBody(mapperFor(run.sync()).map(row));
    }

    ProfilePayloadMapper mapperFor(SyncDefinition sync) {
        return mappers.computeIfAbsent(sync.syncId(), id -> new ProfilePayloadMapper(sync, json));
    }
}
