package org.klaviyosync.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The route {@code klaviyo-bulk-import} and its error configuration, from routes/, with test
 * doubles bound under the bean names the YAML refers to: a dry run's batch goes to the dry-run
 * recorder and never to the submitter; a batch the submitter fails on goes to the dead-letter
 * route as it arrived, with the error, and the failure does not reach the caller.
 */
public class BulkImportRoutesTest extends CamelTestSupport {

    /** Stands in for the run the pipeline puts on the exchange; the route reads {@code dryRun}. */
    public record MarkedRun(boolean dryRun) {
    }

    /** A processor that records what it is given, as it was given, then does what the test asks. */
    static final class Recorder implements Processor {
        final List<Object> bodies = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();
        final List<Object> runs = new CopyOnWriteArrayList<>();
        volatile Processor then = exchange -> { };

        @Override
        public void process(Exchange exchange) throws Exception {
            bodies.add(exchange.getMessage().getBody());
            errors.add(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class));
            runs.add(exchange.getProperty("klaviyoSyncRun"));
            then.process(exchange);
        }
    }

    private final Recorder submitter = new Recorder();
    private final Recorder dryRunRecorder = new Recorder();
    private final Recorder deadLetters = new Recorder();

    @Override
    protected void bindToRegistry(Registry registry) {
        registry.bind("bulkImportSubmitter", submitter);
        registry.bind("dryRunRecorder", dryRunRecorder);
        registry.bind("deadLetterRecorder", deadLetters);
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        // the routes under test; the submitters' queue routes of the same file are left out
        configuration.withRouteFilterIncludePattern("klaviyo-bulk-import,klaviyo-dead-letter");
    }

    @Override
    protected RoutesBuilder[] createRouteBuilders() throws Exception {
        return RouteFiles.builders(context, "klaviyo-delivery-errors.yaml", "klaviyo-bulk-import.yaml");
    }

    private Exchange deliver(String batch, MarkedRun run) {
        return template.send("direct:klaviyo-bulk-import", e -> {
            e.getMessage().setBody(batch);
            e.setProperty("klaviyoSyncRun", run);
        });
    }

    @Test
    void aDryRunsBatchGoesToTheDryRunRecorderNotTheSubmitter() {
        MarkedRun run = new MarkedRun(true);
        Exchange done = deliver("batch-1", run);

        assertNull(done.getException());
        assertEquals(List.of("batch-1"), dryRunRecorder.bodies);
        assertSame(run, dryRunRecorder.runs.get(0));
        assertEquals(List.of(), submitter.bodies);
        assertEquals(List.of(), deadLetters.bodies);
    }

    @Test
    void aRealRunsBatchGoesToTheSubmitterNotTheDryRunRecorder() {
        deliver("batch-1", new MarkedRun(false));

        assertEquals(List.of("batch-1"), submitter.bodies);
        assertEquals(List.of(), dryRunRecorder.bodies);
        assertEquals(List.of(), deadLetters.bodies);
    }

    @Test
    void aBatchTheSubmitterFailsOnGoesToTheDeadLetterRouteAsItArrivedWithTheError() {
        IllegalStateException failure = new IllegalStateException("Klaviyo answered 500 after 6 attempts");
        submitter.then = exchange -> {
            exchange.getMessage().setBody("half-built request");
            throw failure;
        };
        MarkedRun run = new MarkedRun(false);

        Exchange done = deliver("batch-7", run);

        assertNull(done.getException(), "the dead-letter channel handles the failure; the submitters carry on");
        assertEquals(List.of("batch-7"), submitter.bodies);
        assertEquals(List.of("batch-7"), deadLetters.bodies, "the original message, not what the submitter made of it");
        assertSame(failure, deadLetters.errors.get(0));
        assertSame(run, deadLetters.runs.get(0), "the dead-letter route finds the batch's run");
        assertEquals(List.of(), dryRunRecorder.bodies);
    }

    @Test
    void eachFailedBatchIsDeadLetteredOnceWithoutRedelivery() {
        submitter.then = exchange -> {
            throw new IllegalStateException("refused");
        };
        deliver("batch-1", new MarkedRun(false));
        deliver("batch-2", new MarkedRun(false));

        assertEquals(List.of("batch-1", "batch-2"), submitter.bodies, "the Klaviyo client has retried already");
        assertEquals(List.of("batch-1", "batch-2"), deadLetters.bodies);
    }
}
