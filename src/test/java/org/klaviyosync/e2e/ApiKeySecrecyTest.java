package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.app.SyncApplication;
import org.klaviyosync.run.RunSummary;
import org.klaviyosync.settings.Settings;
import org.klaviyosync.standin.KlaviyoStandIn;

/**
 * The API key never leaves the process: runs with a distinctive key (and a distinctive wrong key),
 * through success, rejected and invalid rows, 401, 403, undeliverable batches and a dry run; then
 * the logs (klaviyo-sync at DEBUG), exception messages and stack traces, run summaries, the
 * bookkeeping tables, the dry-run files and every JMX attribute of every MBean are searched for it.
 */
class ApiKeySecrecyTest {

    private static final String KEY = "pk_CANARY_5ecr3t_d0_n0t_l34k_0123456789";
    private static final String WRONG_KEY = "pk_CANARY_wr0ng_k3y_9876543210";
    private static final String READ_ONLY_KEY = "pk_CANARY_r34d_0nly_1357924680";
    private static final List<String> SECRETS = List.of(KEY, WRONG_KEY, READ_ONLY_KEY, "5ecr3t_d0_n0t_l34k",
            "wr0ng_k3y", "r34d_0nly");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.withDemoCustomers(100).withoutApiKey();

    @BeforeAll
    static void start() throws Exception {
        e2e.klaviyo().addKey(KEY, KlaviyoStandIn.ALL_SCOPES);
        e2e.klaviyo().addKey(READ_ONLY_KEY, Set.of(KlaviyoStandIn.PROFILES_READ, KlaviyoStandIn.LISTS_READ));
        e2e.klaviyo().setJobPollsUntilComplete(1);
    }

    @Test
    void theKeyAppearsNowhere() throws Exception {
        StringWriter logs = new StringWriter();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        Appender appender = WriterAppender.newBuilder().setName("secrecy").setTarget(logs)
                .setLayout(PatternLayout.newBuilder().withPattern("%p %c %m%n%throwable").build()).build();
        appender.start();
        LoggerConfig klaviyoSync = config.getLoggerConfig("org.klaviyosync");
        Level before = klaviyoSync.getLevel();
        config.getRootLogger().addAppender(appender, Level.ALL, null);
        for (LoggerConfig lc : config.getLoggers().values()) {
            if (lc != config.getRootLogger()) {
                lc.addAppender(appender, Level.ALL, null);
            }
        }
        klaviyoSync.setLevel(Level.DEBUG);
        context.updateLoggers();
        List<String> evidence = new ArrayList<>();
        try {
            CliHarness cli = e2e.cli()
                    .env("KLAVIYO_RETRY_BASE_DELAY_MS", "10")
                    .env("KLAVIYO_RETRY_MAX_DELAY_MS", "50")
                    .env("KLAVIYO_OUTAGE_FAILURES", "2");
            cli.sync("secret", "model", "select customer_id, email, lists from customers"
                            + " union all select 'ie-1', 'bounce@import-error.test', '[\"X\"]'",
                    "identifier", "external_id", "identifierColumn", "customer_id", "properties", "email=email",
                    "listColumn", "lists", "lists", "Secrecy");

            evidence.add(runAndInspect(cli.env("KLAVIYO_API_KEY", KEY), "completed", null));
            e2e.klaviyo().faults().onlyForPathsStartingWith("/api/profile-bulk-import-jobs").serverErrors(1.0);
            evidence.add(runAndInspect(cli, null, null));
            e2e.klaviyo().faults().serverErrors(0.0);
            evidence.add(runAndInspect(cli.env("KLAVIYO_API_KEY", WRONG_KEY), null, null));
            evidence.add(runAndInspect(cli.env("KLAVIYO_API_KEY", READ_ONLY_KEY), null, null));
            evidence.add(runAndInspect(cli.env("KLAVIYO_API_KEY", null), "dry_run", null));
            // the CLI path too, with its own output
            CliHarness.Result r = cli.env("KLAVIYO_API_KEY", WRONG_KEY).run("run", "--json", "secret");
            evidence.add(r.out());
            evidence.add(r.err());
            r = cli.run("check");
            evidence.add(r.out());
            evidence.add(r.err());

            try (Stream<Path> files = Files.walk(e2e.work())) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    evidence.add(f + ":\n" + Files.readString(f));
                }
            }
            evidence.add(table("klaviyo_sync.runs"));
            evidence.add(table("klaviyo_sync.row_results"));
        } finally {
            for (LoggerConfig lc : config.getLoggers().values()) {
                lc.removeAppender("secrecy");
            }
            config.getRootLogger().removeAppender("secrecy");
            klaviyoSync.setLevel(before);
            context.updateLoggers();
            appender.stop();
        }
        evidence.add(logs.toString());

        String all = String.join("\n", evidence);
        assertTrue(all.contains("bounce@import-error.test") || all.contains("ie-1"), "the rejected row was recorded");
        assertTrue(logs.toString().contains("DEBUG") || logs.toString().contains("INFO"), "logs were captured");
        assertTrue(all.contains("401") || all.toLowerCase().contains("key"), "the wrong key was reported");
        for (String secret : SECRETS) {
            int at = all.indexOf(secret);
            assertEquals(-1, at, "secret found: ..." + (at < 0 ? "" : all.substring(Math.max(0, at - 300), at)));
        }
    }

    /** One run through the application, while it runs: the summary, any exception, all JMX attributes. */
    private String runAndInspect(CliHarness cli, String expectedStatus, Void unused) throws Exception {
        StringBuilder sb = new StringBuilder();
        // observed (management port on), as a process whose JMX someone reads is
        Map<String, String> env = new HashMap<>(cli.env());
        env.put("MANAGEMENT_ENABLED", "true");
        try (ServerSocket free = new ServerSocket(0)) {
            env.put("MANAGEMENT_PORT", Integer.toString(free.getLocalPort()));
        }
        Settings settings = Settings.load(Path.of("application.properties").toAbsolutePath(), env);
        SyncApplication app = null;
        try {
            app = SyncApplication.prepare(settings, Path.of("").toAbsolutePath(), SyncApplication.Mode.ONE_SHOT);
            app.start();
            RunSummary summary = app.runNow("secret");
            sb.append(summary).append('\n').append(JSON.writeValueAsString(summary)).append('\n');
            if (expectedStatus != null) {
                assertEquals(expectedStatus, JSON.valueToTree(summary).path("status").asText(), summary.toString());
            }
            sb.append(jmx());
        } catch (Exception e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            sb.append(trace);
        } finally {
            if (app != null) {
                app.close();
            }
        }
        return sb.toString();
    }

    private static String jmx() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        StringBuilder sb = new StringBuilder();
        int attributes = 0;
        for (ObjectName name : server.queryNames(null, null)) {
            for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
                if (!a.isReadable()) {
                    continue;
                }
                try {
                    sb.append(name).append(' ').append(a.getName()).append('=')
                            .append(deepString(server.getAttribute(name, a.getName()))).append('\n');
                    attributes++;
                } catch (Exception | Error e) {
                    // some attributes are unsupported on this JVM
                }
            }
        }
        assertTrue(sb.indexOf("org.apache.camel") >= 0, "Camel's MBeans were read");
        assertFalse(attributes == 0);
        return sb.toString();
    }

    private static String deepString(Object value) {
        if (value instanceof Object[] array) {
            return java.util.Arrays.deepToString(array);
        }
        if (value instanceof javax.management.openmbean.CompositeData cd) {
            StringBuilder sb = new StringBuilder();
            for (String key : cd.getCompositeType().keySet()) {
                sb.append(key).append('=').append(deepString(cd.get(key))).append(';');
            }
            return sb.toString();
        }
        if (value instanceof javax.management.openmbean.TabularData td) {
            StringBuilder sb = new StringBuilder();
            for (Object row : td.values()) {
                sb.append(deepString(row)).append('|');
            }
            return sb.toString();
        }
        return String.valueOf(value);
    }

    private static String table(String name) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (Connection c = e2e.warehouse().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select t::text from " + name + " t")) {
            while (rs.next()) {
                sb.append(rs.getString(1)).append('\n');
            }
        }
        return sb.toString();
    }
}
