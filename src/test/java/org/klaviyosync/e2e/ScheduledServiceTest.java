package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.app.SyncApplication;
import org.klaviyosync.run.RunSummary;
import org.klaviyosync.settings.Settings;

/** The service mode: Quartz fires a sync on its cron; a sync without a schedule never fires. */
class ScheduledServiceTest {

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.withDemoCustomers(50);

    @Test
    void aScheduledSyncRunsOnItsCronAndAnOnDemandOneDoesNot() throws Exception {
        CliHarness files = e2e.cli();
        files.sync("every-second", "model", "select customer_id, email from customers", "schedule", "* * * * * ?",
                "identifier", "external_id", "identifierColumn", "customer_id", "properties", "email=email",
                "lists", "Scheduled");
        files.sync("on-demand", "model", "select customer_id from customers", "identifier", "external_id",
                "identifierColumn", "customer_id", "properties", "*", "lists", "Manual");
        Map<String, String> env = new java.util.HashMap<>(files.env());
        // the management port is not under test here; 9876 may be taken by another service on this host
        env.put("MANAGEMENT_ENABLED", "false");
        Settings settings = Settings.load(Path.of("application.properties"), env);
        List<RunSummary> ended = new CopyOnWriteArrayList<>();
        try (SyncApplication app = SyncApplication.prepare(settings, Path.of("").toAbsolutePath(),
                SyncApplication.Mode.SERVICE)) {
            app.start();
            app.runs().onRunEnded(ended::add);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (ended.stream().filter(s -> s.sync().equals("every-second")).count() < 2
                    && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
        }
        List<RunSummary> scheduled = ended.stream().filter(s -> s.sync().equals("every-second")).toList();
        assertTrue(scheduled.size() >= 2, "the cron fired at least twice: " + ended);
        assertEquals(RunSummary.COMPLETED, scheduled.get(0).status());
        assertEquals(50, scheduled.get(0).read());
        assertEquals(49, scheduled.get(0).sent(), "cust-00007 has a bad email");
        assertTrue(ended.stream().noneMatch(s -> s.sync().equals("on-demand")), "no schedule, no run");
        assertEquals(49, e2e.klaviyo().profiles().size());
    }
}
