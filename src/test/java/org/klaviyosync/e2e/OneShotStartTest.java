package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.app.SyncApplication;
import org.klaviyosync.observe.SyncControl;
import org.klaviyosync.run.RunSummary;
import org.klaviyosync.settings.Settings;

/**
 * A one-shot command nobody can observe (management port off, the default) starts Camel without what
 * only an observer or a schedule uses: no Camel MBeans, no schedule routes, no Quartz scheduler, no
 * sync MBeans; its runs go through the same pipeline. With the management port on, it keeps them.
 */
class OneShotStartTest {

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.withDemoCustomers(10);

    @BeforeEach
    void scheduledSync() throws Exception {
        e2e.cli().sync("hourly", "model", "select customer_id, email from customers", "identifier", "external_id",
                "identifierColumn", "customer_id", "properties", "email=email", "lists", "Hourly",
                "schedule", "0 0 * * * ?");
    }

    @Test
    void anUnobservedOneShotRunStartsNeitherJmxNorSchedulesAndStillRuns() throws Exception {
        try (SyncApplication app = start(Map.of())) {
            assertNull(app.camel().getManagementStrategy().getManagementAgent(), "no JMX agent");
            assertNull(app.camel().getRoute("hourly-schedule"), "no schedule route");
            assertNull(app.camel().hasComponent("quartz"), "no Quartz scheduler");
            assertFalse(ManagementFactory.getPlatformMBeanServer().isRegistered(SyncControl.objectName("hourly")),
                    "no sync MBean");

            RunSummary run = app.runNow("hourly");

            assertEquals("completed", run.status(), String.valueOf(run.error()));
            assertEquals(10, run.read());
            assertTrue(run.sent() > 0, run.toString());
            assertEquals(run.read(), run.sent() + run.invalid(), "every row sent or invalid: " + run);
            assertEquals(run.sent(), e2e.klaviyo().profiles().size(), "the sent profiles are in Klaviyo");
        }
    }

    @Test
    void anObservedOneShotCommandKeepsJmxAndTheScheduleRoutesWithTheSchedulerStopped() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (SyncApplication app = start(Map.of("MANAGEMENT_ENABLED", "true", "MANAGEMENT_PORT",
                Integer.toString(port)))) {
            assertNotNull(app.camel().getManagementStrategy().getManagementAgent(), "JMX agent");
            assertNotNull(app.camel().getRoute("hourly-schedule"), "schedule route");
            assertNotNull(app.camel().hasComponent("quartz"), "Quartz, its scheduler not started");
            assertTrue(ManagementFactory.getPlatformMBeanServer().isRegistered(SyncControl.objectName("hourly")),
                    "the sync's MBean");
        }
    }

    private static SyncApplication start(Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(e2e.cli().env());
        env.putAll(extra);
        Settings settings = Settings.load(Path.of("application.properties"), env);
        SyncApplication app = SyncApplication.prepare(settings, Path.of("").toAbsolutePath(),
                SyncApplication.Mode.ONE_SHOT);
        try {
            app.start();
        } catch (Exception e) {
            app.close();
            throw e;
        }
        return app;
    }
}
