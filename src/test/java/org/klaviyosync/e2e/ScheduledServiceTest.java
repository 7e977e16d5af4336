package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.camel.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.klaviyosync.app.SyncApplication;
import org.klaviyosync.observe.SyncControl;
import org.klaviyosync.run.RunSummary;
import org.klaviyosync.settings.Settings;
import org.klaviyosync.standin.KlaviyoStandIn;

/**
 * The service mode: Quartz fires a sync on its cron through the sync's schedule route; a sync
 * without a schedule has no timer and never fires, yet runs on demand; a paused schedule fires no run.
 */
class ScheduledServiceTest {

    @TempDir
    Path work;

    @Test
    void aScheduledSyncRunsOnItsCronAndAnOnDemandOneDoesNot() throws Exception {
        ObjectName everySecond = SyncControl.objectName("every-second");
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        TestWarehouse warehouse = TestWarehouse.withDemoCustomers(50);
        try (KlaviyoStandIn klaviyo = KlaviyoStandIn.start()) {
            CliHarness files = new CliHarness(work);
            files.sync("every-second", "model", "select customer_id, email from customers", "schedule", "* * * * * ?",
                    "identifier", "external_id", "identifierColumn", "customer_id", "properties", "email=email",
                    "lists", "Scheduled");
            files.sync("on-demand", "model", "select customer_id from customers", "identifier", "external_id",
                    "identifierColumn", "customer_id", "properties", "*", "lists", "Manual");
            Map<String, String> env = new java.util.HashMap<>(files.env());
            env.put("WAREHOUSE_JDBC_URL", warehouse.jdbcUrl());
            env.put("KLAVIYO_API_KEY", klaviyo.apiKey());
            env.put("KLAVIYO_BASE_URL", klaviyo.baseUrl());
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
                // the schedule is a route of its own, from Quartz; the on-demand sync has no timer at all
                List<String> timers = app.camel().getRoutes().stream()
                        .filter(r -> r.getEndpoint().getEndpointUri().startsWith("quartz:")).map(Route::getRouteId).toList();
                assertEquals(List.of("every-second-schedule"), timers);
                assertEquals("", jmx.getAttribute(SyncControl.objectName("on-demand"), "NextFireTime"));
                assertFalse(((String) jmx.getAttribute(everySecond, "NextFireTime")).isEmpty());
                // on demand, through the same direct endpoint as the schedule
                RunSummary manual = app.runNow("on-demand");
                assertEquals(RunSummary.COMPLETED, manual.status(), manual.toString());
                assertEquals(50, manual.read());

                // paused, the schedule fires no run (a run in progress ends first)
                jmx.invoke(everySecond, "pause", new Object[0], new String[0]);
                assertEquals(Boolean.TRUE, jmx.getAttribute(everySecond, "Paused"));
                while (app.runs().active("every-second").isPresent() && Instant.now().isBefore(deadline)) {
                    Thread.sleep(50);
                }
                Thread.sleep(500);
                long before = ended.stream().filter(s -> s.sync().equals("every-second")).count();
                Thread.sleep(3000);
                assertEquals(before, ended.stream().filter(s -> s.sync().equals("every-second")).count(),
                        "a paused schedule fired a run: " + ended);
                jmx.invoke(everySecond, "resume", new Object[0], new String[0]);
                Instant resumed = Instant.now().plus(Duration.ofSeconds(30));
                while (ended.stream().filter(s -> s.sync().equals("every-second")).count() == before
                        && Instant.now().isBefore(resumed)) {
                    Thread.sleep(50);
                }
                assertTrue(ended.stream().filter(s -> s.sync().equals("every-second")).count() > before,
                        "the resumed schedule fires again: " + ended);
            }
            List<RunSummary> scheduled = ended.stream().filter(s -> s.sync().equals("every-second")).toList();
            assertTrue(scheduled.size() >= 2, "the cron fired at least twice: " + ended);
            assertEquals(RunSummary.COMPLETED, scheduled.get(0).status());
            assertEquals(50, scheduled.get(0).read());
            assertEquals(49, scheduled.get(0).sent(), "cust-00007 has a bad email");
            assertEquals(1, ended.stream().filter(s -> s.sync().equals("on-demand")).count(),
                    "no schedule, no run but the one asked for: " + ended);
            // the on-demand run, without an email, also sends cust-00007, the one the scheduled runs refuse
            assertEquals(50, klaviyo.profiles().size());
        }
    }
}
