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
import org.klaviyosync.mapping.RowProblem;
import org.klaviyosync.warehouse.DuplicateIdentifierQuery;
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
        Object sharing = row.remove(DuplicateIdentifierQuery.COLUMN);
        MappedRow mapped = mapperFor(run.sync()).map(row);
        if (sharing instanceof Number n && n.longValue() > 1 && mapped.identifierValue() != null) {
            mapped = duplicate(run.sync(), mapped.identifierValue(), n.longValue());
        }
        exchange.getMessage().setBody(mapped);
    }

    /** Every row of a group sharing an identifier value is invalid; none of them is sent. */
    static MappedRow duplicate(SyncDefinition sync, String identifierValue, long rows) {
        return new MappedRow(identifierValue, null, List.of(), 0L, 0, new RowProblem(sync.identifierColumn(),
                "duplicate identifier '" + identifierValue + "': " + rows
                        + " rows of the model have this value, so none of them is sent"));
    }

    ProfilePayloadMapper mapperFor(SyncDefinition sync) {
        return mappers.computeIfAbsent(sync.syncId(), id -> new ProfilePayloadMapper(sync, json));
    }
}
