package org.klaviyosync.pipeline;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.camel.Exchange;
import org.klaviyosync.run.SyncRun;

/**
 * What the splitter reads: the model's streamed result in chunks of up to {@code chunkRows} rows,
 * so that the pipeline's per-exchange work is paid once per chunk rather than once per row. The
 * chunks end early once the run has failed or was asked to stop; rows read before that are all
 * settled, the rest stay in the warehouse for the next run.
 */
public final class ModelRows {

    private final int chunkRows;

    public ModelRows(int chunkRows) {
        if (chunkRows < 1) {
            throw new IllegalArgumentException("chunkRows must be at least 1, was " + chunkRows);
        }
        this.chunkRows = chunkRows;
    }

    public Iterator<List<Object>> of(Exchange exchange) {
        SyncRun run = exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
        Iterator<?> rows = exchange.getMessage().getBody(Iterator.class);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !run.failed() && rows.hasNext();
            }

            @Override
            public List<Object> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<Object> chunk = new ArrayList<>(chunkRows);
                do {
                    chunk.add(rows.next());
                } while (chunk.size() < chunkRows && hasNext());
                return chunk;
            }
        };
    }
}
