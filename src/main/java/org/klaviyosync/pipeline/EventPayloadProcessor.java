package org.klaviyosync.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.mapping.MappedRow;
import org.klaviyosync.mapping.PayloadMapper;
import org.klaviyosync.mapping.PayloadMappers;
import org.klaviyosync.mapping.RowProblem;
import org.klaviyosync.run.SyncRun;

/**
 * An event sync's mapping step: a chunk of model rows in, each row's {@code event-bulk-create}
 * resource and verdict out, in the same order, mapped on the {@link MappingWorkers}' threads. Rows
 * whose event id another row of the model shares are all invalid (Klaviyo would keep only the
 * first to arrive, which no order of the model decides).
 */
public final class EventPayloadProcessor implements Processor {

    private final ObjectMapper json;
    private final MappingWorkers workers;
    private final Map<String, PayloadMapper> mappers = new ConcurrentHashMap<>();

    public EventPayloadProcessor(ObjectMapper json, MappingWorkers workers) {
        this.json = json;
        this.workers = workers;
    }

    @Override
    public void process(Exchange exchange) throws InterruptedException {
        SyncRun run = exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
        List<?> rows = exchange.getMessage().getBody(List.class);
        run.rowsRead(rows.size());
        EventCursor.see(exchange, rows);
        SyncDefinition sync = run.sync();
        PayloadMapper mapper = mappers.computeIfAbsent(sync.syncId(), id -> PayloadMappers.of(sync, json));
        exchange.getMessage().setBody(workers.map(rows, row -> map(sync, mapper, row)));
    }

    @SuppressWarnings("unchecked")
    private static MappedRow map(SyncDefinition sync, PayloadMapper mapper, Object body) {
        Map<String, Object> row = (Map<String, Object>) body;
        DuplicateIdentifiers.Helpers helpers = DuplicateIdentifiers.Helpers.takeFrom(row);
        MappedRow mapped = mapper.map(row);
        String key = mapped.identifierValue();
        if (key != null && helpers.rows() instanceof Number n && n.longValue() > 1) {
            return new MappedRow(key, null, List.of(), 0L, 0, new RowProblem(sync.rowKeyColumn(),
                    "duplicate event id: " + n.longValue() + " rows of the model have event id '" + key + "'; Klaviyo"
                    + " keeps only the first event with an id, so none of them is sent"));
        }
        return mapped;
    }
}
