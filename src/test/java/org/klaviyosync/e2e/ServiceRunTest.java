package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.klaviyosync.standin.KlaviyoStandIn;

/**
 * The benchmarks' measured run of the service as a child JVM, first-row probe included. Runs with
 * the benchmarks (it starts two service JVMs), not in the default test run.
 */
@Tag("benchmark")
class ServiceRunTest {

    @TempDir
    Path work;

    @Test
    void timesTheFirstRowOfTheModelOnlyWhenItsQueryCarriesTheMarker() throws Exception {
        TestWarehouse warehouse = BenchPeople.warehouse(500);
        try (KlaviyoStandIn klaviyo = KlaviyoStandIn.start()) {
            klaviyo.setJobPollsUntilComplete(1);
            CliHarness cli = CliHarness.connectedTo(work, warehouse, klaviyo);
            BenchPeople.sync(cli, "probed");
            ServiceRun probed = ServiceRun.measure("probed", cli, "probed", "256m", work, "", "bench_people", 500);
            assertEquals(500, probed.summary().get("sent").asLong(), probed.summary().toString());
            assertEquals(500, klaviyo.profiles().size());
            double toFirstRow = probed.secondsToFirstRow();
            assertTrue(toFirstRow > 0 && toFirstRow < probed.wallSeconds(),
                    "the first row is read after launch and before exit: " + toFirstRow + " of " + probed.wallSeconds());

            BenchPeople.sync(cli, "unprobed");
            ServiceRun unprobed = ServiceRun.measure("unprobed", cli, "unprobed", "256m", work, "",
                    "no query names this", 500);
            assertTrue(Double.isNaN(unprobed.secondsToFirstRow()), "no statement carried the marker");
            assertEquals(500, unprobed.summary().get("sent").asLong(), "the probe changes nothing the run does");
        }
    }
}
