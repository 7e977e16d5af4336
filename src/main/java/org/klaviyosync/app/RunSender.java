package org.klaviyosync.app;

import java.util.Collection;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.klaviyosync.pipeline.ExchangeKeys;
import org.klaviyosync.run.RunOptions;
import org.klaviyosync.run.RunSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On-demand runs (`run`, `replay`, JMX {@code runNow}): each is sent, through a
 * {@link ProducerTemplate}, to the sync's direct endpoint, the same one its schedule sends to, and
 * goes on in the calling thread.
 */
final class RunSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunSender.class);

    private final Supplier<CamelContext> camel;
    private final Set<String> syncIds;
    private final Supplier<Boolean> dryRun;
    private volatile ProducerTemplate template;

    RunSender(Supplier<CamelContext> camel, Set<String> syncIds, Supplier<Boolean> dryRun) {
        this.camel = camel;
        this.syncIds = syncIds;
        this.dryRun = dryRun;
    }

    /** Runs {@code syncId} now and returns how it ended; a run that did not start is a failed summary. */
    RunSummary runNow(String syncId, RunOptions options) {
        if (!syncIds.contains(syncId)) {
            throw new IllegalArgumentException(unknownSync(syncIds, syncId));
        }
        Exchange exchange = template().send(SyncRoutes.entry(syncId), e -> e.setProperty(ExchangeKeys.OPTIONS, options));
        RunSummary summary = exchange.getProperty(ExchangeKeys.SUMMARY, RunSummary.class);
        if (summary == null) {
            Throwable e = exchange.getException();
            String error = exchange.getProperty(ExchangeKeys.SUMMARY + ".error", String.class);
            return new RunSummary(syncId, 0, RunSummary.FAILED, dryRun.get(), 0, 0, 0, 0, 0, 0, 0,
                    error != null ? error : e != null ? e.getMessage() : "the run did not start", null);
        }
        return summary;
    }

    /** What to tell a user who named a sync that does not exist. */
    static String unknownSync(Collection<String> syncIds, String syncId) {
        return "no sync named '" + syncId + "'; the syncs are " + String.join(", ", syncIds);
    }

    private ProducerTemplate template() {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) {
                    template = camel.get().createProducerTemplate();
                }
                t = template;
            }
        }
        return t;
    }

    @Override
    public void close() {
        ProducerTemplate t = template;
        if (t != null) {
            try {
                t.close();
            } catch (Exception e) {
                LOG.debug("The run sender did not close cleanly: {}", e.getMessage());
            }
        }
    }
}
