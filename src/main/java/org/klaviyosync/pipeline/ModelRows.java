package org.klaviyosync.pipeline;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.camel.Exchange;
import org.klaviyosync.run.SyncRun;

/**
 * The rows the splitter reads: the model's streamed result, which ends early once the run has
 * failed or was asked to stop. Rows read before that are all settled; the rest stay in the
 * warehouse for the next run.
 */
public final class ModelRows {

    public Iterator<?> of(Exchange exchange) {
        SyncRun run = exchange.getProperty(ExchangeKeys.RUN, SyncRun.class);
        Iterator<?> rows = exchange.getMessage().getBody(Iterator.class);
        return new Iterator<Object>() {
            @Override
            public boolean hasNext() {
                return !run.failed() && rows.hasNext();
            }

            @Override
            public Object next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return rows.next();
            }
        };
    }
}
