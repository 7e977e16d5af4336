package org.klaviyosync.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.mapping.MappedRow;
import org.klaviyosync.mapping.ProfilePayloadMapper;
import org.klaviyosync.run.SyncRun;
import org.klaviyosync.warehouse.DuplicateIdentifierQuery;
import org.klaviyosync.warehouse.ModelRowMapper;
import org.klaviyosync.warehouse.UnchangedRowsQuery;

/**
 * The Jackson step: a chunk of model rows in, each row's Klaviyo profile payload and verdict
 * ({@link MappedRow}) out, in the same order. The rows of a chunk are mapped on the
 * {@link MappingWorkers}' threads. Rows the warehouse found unchanged
 * ({@link ModelRowMapper.UnchangedRows}) are counted read and unchanged here and go no further.
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
        List<Object> changed = new ArrayList<>(rows.size());
        long unchanged = 0;
        for (Object row : rows) {
            if (row instanceof ModelRowMapper.UnchangedRows u) {
                unchanged += u.count();
            } else {
                changed.add(row);
            }
        }
        run.rowsRead(Math.toIntExact(changed.size() + unchanged));
        run.unchangedInWarehouse(Math.toIntExact(unchanged));
        ProfilePayloadMapper mapper = mapperFor(run.sync());
        exchange.getMessage().setBody(workers.map(changed, row -> map(run.sync(), mapper, row)));
    }

    @SuppressWarnings("unchecked")
    private static MappedRow map(SyncDefinition sync, ProfilePayloadMapper mapper, Object body) {
        Map<String, Object> row = (Map<String, Object>) body;
        DuplicateIdentifiers.Helpers helpers = DuplicateIdentifiers.Helpers.takeFrom(row);
        Long rowFingerprint = (Long) row.remove(DuplicateIdentifierQuery.ROW_FINGERPRINT);
        Long acknowledged = (Long) row.remove(UnchangedRowsQuery.ACKNOWLEDGED);
        row.remove(UnchangedRowsQuery.UNCHANGED);
        row.remove(UnchangedRowsQuery.UNCHANGED_ROWS);
        MappedRow mapped = DuplicateIdentifiers.check(sync, helpers, mapper.map(row));
        return rowFingerprint == null && acknowledged == null ? mapped
                : mapped.withWarehouseState(rowFingerprint, acknowledged);
    }

    ProfilePayloadMapper mapperFor(SyncDefinition sync) {
        return mappers.computeIfAbsent(sync.syncId(), id -> new ProfilePayloadMapper(sync, json));
    }
}
