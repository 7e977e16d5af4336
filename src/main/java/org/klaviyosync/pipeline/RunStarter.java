package org.klaviyosync.pipeline;

import java.sql.SQLException;
import java.util.Date;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.run.MappingHash;
import org.klaviyosync.run.RunOptions;
import org.klaviyosync.run.RunRegistry;
import org.klaviyosync.run.SyncRun;
import org.klaviyosync.warehouse.ConnectionFailure;
import org.klaviyosync.warehouse.DuplicateIdentifierQuery;
import org.klaviyosync.warehouse.IdentifierKey;
import org.klaviyosync.warehouse.RowFingerprints;
import org.klaviyosync.warehouse.UnchangedRowsQuery;

/**
 * Opens a run of the exchange's sync (with the {@link RunOptions} of the exchange, if any) and
 * puts the model's SQL in the body for camel-sql, wrapped to count rows per identifier key. When
 * the bookkeeping lives in the warehouse, each row also carries its row fingerprint, and a run that
 * compares in the warehouse ({@code ChangeDetector.comparesInWarehouse}) joins the stored
 * fingerprints ({@link UnchangedRowsQuery}).
 */
public final class RunStarter implements Processor {

    private final RunRegistry runs;
    private final DuplicateIdentifierQuery duplicates;
    private final RowFingerprints rowFingerprints;

    public RunStarter(RunRegistry runs) {
        this(runs, null);
    }

    public RunStarter(RunRegistry runs, DuplicateIdentifierQuery duplicates) {
        this(runs, duplicates, null);
    }

    /** @param rowFingerprints null unless the bookkeeping tables live in the (PostgreSQL) warehouse */
    public RunStarter(RunRegistry runs, DuplicateIdentifierQuery duplicates, RowFingerprints rowFingerprints) {
        this.runs = runs;
        this.duplicates = duplicates;
        this.rowFingerprints = rowFingerprints;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String syncId = exchange.getProperty(ExchangeKeys.SYNC_ID, String.class);
        RunOptions options = exchange.getProperty(ExchangeKeys.OPTIONS, RunOptions.class);
        // camel-quartz puts the trigger's scheduled fire time on the message; on-demand runs have none
        Date fireTime = exchange.getMessage().getHeader(ExchangeKeys.SCHEDULED_FIRE_TIME, Date.class);
        SyncRun run = runs.open(syncId, options == null ? RunOptions.INCREMENTAL : options,
                fireTime == null ? null : fireTime.toInstant());
        exchange.setProperty(ExchangeKeys.RUN, run);
        String sql = runs.modelSql(run.sync());
        if (duplicates != null) {
            try {
                // an event sync keys its rows by event id and is never compared in the warehouse
                sql = run.sync().event() != null
                        ? duplicates.wrap(sql, run.sync().rowKeyColumn(), DuplicateIdentifiers.keyOf(run.sync()))
                        : modelQuery(run.sync(), sql, run.changes().comparesInWarehouse());
            } catch (SQLException e) {
                run.fail(ConnectionFailure.is(e) ? "could not connect to the warehouse: " + ConnectionFailure.reason(e)
                        : "the model could not be prepared: " + e.getMessage());
                throw e;
            } catch (Exception e) {
                run.fail("the model could not be prepared: " + e.getMessage());
                throw e;
            }
        }
        exchange.getMessage().setBody(sql);
    }

    /**
     * The query a run of {@code sync} streams: {@code modelSql} (without a trailing semicolon) wrapped
     * with the helper columns, and compared with the stored fingerprints when {@code compareInWarehouse}.
     */
    public String modelQuery(SyncDefinition sync, String modelSql, boolean compareInWarehouse) throws SQLException {
        IdentifierKey key = DuplicateIdentifiers.keyOf(sync);
        if (rowFingerprints == null) {
            return duplicates.wrap(modelSql, sync.identifierColumn(), key);
        }
        RowFingerprints.Model model = rowFingerprints.of(modelSql, MappingHash.of(sync));
        return compareInWarehouse ? UnchangedRowsQuery.build(duplicates, modelSql, sync.identifierColumn(),
                model.labels(), model.seed(), sync.syncId(), key)
                : duplicates.wrap(modelSql, sync.identifierColumn(), key, model.seed());
    }
}
