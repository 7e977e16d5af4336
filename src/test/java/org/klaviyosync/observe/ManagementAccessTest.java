package org.klaviyosync.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.e2e.SyncTestEnvironment;
import org.klaviyosync.settings.ConfigurationException;

/**
 * The management port over real HTTP, from loopback and from this machine's own non-loopback
 * address (the service listens on every interface): health and metrics answer everyone, Jolokia
 * only loopback clients, or with the management credentials every client that gives them.
 */
class ManagementAccessTest {

    private static final String SYNC = "customers-by-external-id";
    private static final String PASSWORD = "correct horse battery staple";

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.withDemoCustomers(50);

    private ServiceHarness start(Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("WAREHOUSE_JDBC_URL", e2e.warehouse().jdbcUrl(),
                "KLAVIYO_API_KEY", e2e.klaviyo().apiKey(), "KLAVIYO_BASE_URL", e2e.klaviyo().baseUrl()));
        env.putAll(extra);
        return ServiceHarness.start(e2e.work(), env, SYNC + ".yaml");
    }

    /** An IPv4 address of this machine that is not loopback (what `hostname -I` lists first). */
    private static String ownAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a.getHostAddress();
                }
            }
        }
        return null;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withoutCredentialsJolokiaAnswersOnlyOnLoopbackWhileHealthAndMetricsAnswerEveryone() throws Exception {
        String own = ownAddress();
        assumeTrue(own != null, "this machine has no non-loopback IPv4 address to call from");
        try (ServiceHarness service = start(Map.of())) {
            ServiceHarness.Answer fromLoopback = service.get("127.0.0.1", "/observe/jolokia/version", null);
            assertEquals(200, fromLoopback.status(), fromLoopback.body());
            assertTrue(fromLoopback.body().contains("\"agent\""), fromLoopback.body());

            // the same machine through its network address: not loopback, so refused
            ServiceHarness.Answer version = service.get(own, "/observe/jolokia/version", null);
            assertEquals(403, version.status(), version.body());
            ServiceHarness.Answer read = service.get(own, "/observe/jolokia/read/org.klaviyosync:type=sync,name=%22"
                    + SYNC + "%22", null);
            assertEquals(403, read.status(), read.body());
            assertNothingAboutTheSync(read.body());
            ServiceHarness.Answer exec = service.get(own, "/observe/jolokia/exec/org.klaviyosync:type=sync,name=%22"
                    + SYNC + "%22/runNow()", null);
            assertEquals(403, exec.status(), exec.body());
            assertEquals("none", java.lang.management.ManagementFactory.getPlatformMBeanServer()
                    .getAttribute(SyncControl.objectName(SYNC), "LastRunStatus"), "nothing ran");
            // credentials are no way in when none are configured
            assertEquals(403, service.get(own, "/observe/jolokia/version", basic("ops", PASSWORD)).status());

            assertEquals(200, service.get(own, "/observe/health", null).status());
            ServiceHarness.Answer metrics = service.get(own, "/observe/metrics", null);
            assertEquals(200, metrics.status());
            assertTrue(metrics.body().contains("klaviyosync_rows_read_total"), "metrics answer from the network");
        }
    }

    @Test
    void withCredentialsJolokiaAsksEveryClientAndAWrongPasswordGets401WithNothingAboutTheSync() throws Exception {
        String own = ownAddress();
        try (ServiceHarness service = start(Map.of("MANAGEMENT_USER", "ops", "MANAGEMENT_PASSWORD", PASSWORD))) {
            for (String host : own == null ? new String[] {"127.0.0.1"} : new String[] {"127.0.0.1", own}) {
                ServiceHarness.Answer missing = service.get(host, "/observe/jolokia/version", null);
                assertEquals(401, missing.status(), missing.body());
                assertNotNull(missing.challenge(), "a 401 names the scheme");
                assertTrue(missing.challenge().startsWith("Basic realm="), missing.challenge());
                assertNothingAboutTheSync(missing.body());

                for (String wrong : new String[] {basic("ops", "wrong"), basic("root", PASSWORD),
                        basic("ops", PASSWORD + "x"), "Basic !!!", "Bearer " + PASSWORD}) {
                    ServiceHarness.Answer refused = service.get(host, "/observe/jolokia/read/org.klaviyosync:"
                            + "type=sync,name=%22" + SYNC + "%22", wrong);
                    assertEquals(401, refused.status(), wrong + " -> " + refused.body());
                    assertNothingAboutTheSync(refused.body());
                }

                ServiceHarness.Answer ok = service.get(host, "/observe/jolokia/read/org.klaviyosync:type=sync,name=%22"
                        + SYNC + "%22/LastRunStatus", basic("ops", PASSWORD));
                assertEquals(200, ok.status(), ok.body());
                assertTrue(ok.body().contains("\"value\":\"none\""), ok.body());

                // health and metrics ask for nothing
                assertEquals(200, service.get(host, "/observe/health", null).status());
                assertEquals(200, service.get(host, "/observe/metrics", null).status());
            }
        }
    }

    @Test
    void aUserWithoutAPasswordStopsStartUpNamingBoth() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> start(Map.of("MANAGEMENT_USER", "ops")).close());
        assertTrue(e.getMessage().contains("MANAGEMENT_USER") && e.getMessage().contains("MANAGEMENT_PASSWORD"),
                e.getMessage());
    }

    private static void assertNothingAboutTheSync(String body) {
        for (String secret : new String[] {SYNC, "klaviyo", "camel", "org.", PASSWORD, "ops"}) {
            assertFalse(body.toLowerCase().contains(secret.toLowerCase()), "the refusal mentions '" + secret + "': " + body);
        }
    }
}
