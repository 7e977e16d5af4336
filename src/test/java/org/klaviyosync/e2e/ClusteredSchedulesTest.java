package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.klaviyosync.KlaviyoSync;
import org.klaviyosync.standin.KlaviyoStandIn;
import org.klaviyosync.standin.StandInProfile;
import org.klaviyosync.state.StateStore;
import org.klaviyosync.state.SyncLocks;

/**
 * Several instances on one schedule: three service processes on one PostgreSQL (clustered Quartz
 * job store), a sync on a one-second cron. Each tick runs on exactly one instance, runs of the
 * sync never overlap, killing an instance mid-run leaves the others ticking, its run is marked
 * interrupted, and the stand-in ends holding exactly the model's valid rows.
 */
class ClusteredSchedulesTest {

    private static final String SYNC = "cluster-every-second";
    private static final int INSTANCES = 3;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path work;

    record Run(long runId, String instance, Instant fireTime, Instant started, Instant ended, String status,
            long read, String error) {
    }

    @Test
    void eachTickRunsOnceOnOneInstanceAndTheOthersCarryOnWhenOneDies() throws Exception {
        TestWarehouse warehouse = TestWarehouse.withDemoCustomers(100);
        // the bookkeeping schema exists before the instances start, so the test can watch it at once
        new StateStore(warehouse.dataSource()).migrate();
        Map<String, Process> nodes = new LinkedHashMap<>();
        Map<String, Path> logs = new LinkedHashMap<>();
        try (KlaviyoStandIn klaviyo = KlaviyoStandIn.start()) {
            // every tick sends every row (the model's tick column changes) as a bulk job that completes on its
            // third poll: a run lasts a few hundred ms, long enough to be killed in
            klaviyo.setJobPollsUntilComplete(3);
            CliHarness files = new CliHarness(work);
            files.sync(SYNC, "model", "select customer_id, email, now()::text as tick from customers",
                    "schedule", "* * * * * ?", "identifier", "external_id", "identifierColumn", "customer_id",
                    "properties", "email=email,tick=tick", "lists", "Cluster");
            try {
                for (int i = 1; i <= INSTANCES; i++) {
                    String id = "node-" + i;
                    logs.put(id, work.resolve(id + ".log"));
                    nodes.put(id, startInstance(id, files, warehouse, klaviyo, logs.get(id)));
                }
                Instant deadline = Instant.now().plus(DEADLINE);
                awaitTrue(deadline, "all instances checked in to the Quartz cluster",
                        () -> count(warehouse, "select count(*) from klaviyo_sync.qrtz_scheduler_state") == INSTANCES);
                awaitTrue(deadline, "three scheduled runs completed",
                        () -> runs(warehouse).stream().filter(r -> r.status().equals("completed")).count() >= 3);

                // kill the instance that is running the sync right now
                Run victimRun = await(deadline, "a run in progress", () -> runs(warehouse).stream()
                        .filter(r -> r.status().equals("running")).findFirst());
                Process victim = nodes.get(victimRun.instance());
                assertNotNull(victim, "run on an unknown instance: " + victimRun);
                victim.destroyForcibly();
                assertTrue(victim.waitFor(10, TimeUnit.SECONDS), "the killed instance exited");
                Instant killedAt = Instant.now();

                // the others take over the schedule (once Quartz sees the dead instance miss its check-ins)
                awaitTrue(deadline, "three runs on the surviving instances after the kill",
                        () -> runs(warehouse).stream().filter(r -> r.started().isAfter(killedAt)
                                && r.status().equals("completed")).count() >= 3);
                // a tick keeps firing every second: a run in progress at the SIGTERM is stopped by it, by design
                Instant stoppingAt = Instant.now();
                for (Map.Entry<String, Process> node : nodes.entrySet()) {
                    if (node.getValue() != victim) {
                        node.getValue().destroy();
                    }
                }
                for (Process p : nodes.values()) {
                    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "an instance did not stop on SIGTERM");
                }

                List<Run> runs = runs(warehouse);
                String history = describe(runs);
                System.out.println("Run history (killed " + victimRun.instance() + " at " + killedAt + "):" + history);
                // each scheduled tick ran once, on one instance
                Map<Instant, Long> perFireTime = new TreeMap<>();
                for (Run r : runs) {
                    assertNotNull(r.fireTime(), "a scheduled run without its fire time: " + history);
                    perFireTime.merge(r.fireTime(), 1L, Long::sum);
                }
                perFireTime.forEach((t, n) -> assertEquals(1L, n, "fire time " + t + " ran " + n + " times: " + history));
                // no two runs of the sync at once: each run ended before the next one started
                Run interrupted = runs.stream().filter(r -> r.runId() == victimRun.runId()).findFirst().orElseThrow();
                for (int i = 1; i < runs.size(); i++) {
                    Run before = runs.get(i - 1);
                    Run after = runs.get(i);
                    Instant beforeEnded = before == interrupted ? killedAt : before.ended();
                    assertNotNull(beforeEnded, "run " + before.runId() + " never ended: " + history);
                    assertTrue(!after.started().isBefore(beforeEnded),
                            "runs " + before.runId() + " and " + after.runId() + " overlap: " + history);
                }
                // the killed run is on record as interrupted; every other run completed, but for one the SIGTERM
                // of its instance stopped (in progress then: it ended after the stop)
                assertEquals("failed", interrupted.status(), history);
                assertTrue(interrupted.error().contains("interrupted: instance " + victimRun.instance()),
                        interrupted.error());
                for (Run r : runs) {
                    boolean stoppedByTheShutdown = "failed".equals(r.status())
                            && r.error() != null && r.error().contains("the service was stopped")
                            && r.ended() != null && !r.ended().isBefore(stoppingAt);
                    if (r != interrupted && !stoppedByTheShutdown) {
                        assertEquals("completed", r.status(), "run " + r.runId() + ": " + history);
                        assertEquals(100, r.read(), history);
                    }
                }
                assertTrue(runs.stream().filter(r -> r.status().equals("completed")).count() >= 6, history);
                assertTrue(runs.stream().filter(r -> r.started().isAfter(killedAt))
                        .noneMatch(r -> r.instance().equals(victimRun.instance())), history);
                assertTrue(runs.stream().map(Run::instance).distinct().count() >= 2,
                        "the runs were spread over the instances: " + history);

                // the stand-in holds exactly the model's valid rows
                Map<String, String> model = model(warehouse);
                model.remove("cust-00007"); // its email is invalid: never sent
                Map<String, String> held = new TreeMap<>();
                for (StandInProfile p : klaviyo.profiles()) {
                    held.put(p.externalId(), p.email());
                }
                assertEquals(model, held);
                String listId = klaviyo.listIdsNamed("Cluster").get(0);
                assertEquals(model.size(), klaviyo.listMembers(listId).size());
            } catch (Throwable t) {
                nodes.values().forEach(Process::destroyForcibly);
                for (Map.Entry<String, Path> log : logs.entrySet()) {
                    System.err.println("===== " + log.getKey() + " =====");
                    if (Files.exists(log.getValue())) {
                        System.err.println(Files.readString(log.getValue(), StandardCharsets.UTF_8));
                    }
                }
                throw t;
            } finally {
                nodes.values().forEach(Process::destroyForcibly);
            }
        }
    }

    @Test
    void anOnDemandRunIsRefusedWhileTheSyncRunsOnAnotherInstance() throws Exception {
        TestWarehouse warehouse = TestWarehouse.withDemoCustomers(20);
        new StateStore(warehouse.dataSource()).migrate();
        try (KlaviyoStandIn klaviyo = KlaviyoStandIn.start()) {
            CliHarness cli = new CliHarness(work);
            cli.sync("busy", "model", "select customer_id from customers", "identifier", "external_id",
                    "identifierColumn", "customer_id", "properties", "*", "lists", "Busy");
            cli.env("WAREHOUSE_JDBC_URL", warehouse.jdbcUrl()).env("KLAVIYO_API_KEY", klaviyo.apiKey())
                    .env("KLAVIYO_BASE_URL", klaviyo.baseUrl());
            // another instance holds the sync's run lock: a run of it is in progress there
            SyncLocks otherInstance = new SyncLocks(warehouse.dataSource());
            CliHarness.Result refused;
            try (SyncLocks.Held held = otherInstance.tryLock("busy").orElseThrow()) {
                refused = cli.run("run", "busy");
            }
            assertEquals(1, refused.exitCode(), refused.out() + refused.err());
            assertTrue(refused.out().contains("already running on another instance"), refused.out());
            assertEquals(0, klaviyo.profiles().size(), "nothing was sent");
            assertEquals(0, count(warehouse, "select count(*) from klaviyo_sync.runs"), "no run was recorded");

            CliHarness.Result ran = cli.run("run", "busy");
            assertEquals(0, ran.exitCode(), ran.out() + ran.err());
            assertEquals(20, klaviyo.profiles().size());
        }
    }

    private Process startInstance(String id, CliHarness files, TestWarehouse warehouse, KlaviyoStandIn klaviyo,
            Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), KlaviyoSync.class.getName());
        pb.directory(Path.of("").toAbsolutePath().toFile());
        Map<String, String> env = pb.environment();
        env.putAll(new HashMap<>(files.env()));
        env.put("WAREHOUSE_JDBC_URL", warehouse.jdbcUrl());
        env.put("KLAVIYO_API_KEY", klaviyo.apiKey());
        env.put("KLAVIYO_BASE_URL", klaviyo.baseUrl());
        env.put("KLAVIYO_JOB_POLL_INTERVAL_MS", "100");
        env.put("MANAGEMENT_ENABLED", "false");
        env.put("CLUSTER_ENABLED", "true");
        env.put("CLUSTER_INSTANCE_ID", id);
        env.put("CLUSTER_CHECKIN_INTERVAL_MS", "500");
        // a tick late by more than this (a dead instance's blocked trigger) fires once, not once per missed second
        env.put("CLUSTER_MISFIRE_THRESHOLD_MS", "1000");
        env.put("SHUTDOWN_GRACE_SECONDS", "10");
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        return pb.start();
    }

    private static List<Run> runs(TestWarehouse warehouse) throws SQLException {
        try (Connection c = warehouse.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("select run_id, instance_id, scheduled_fire_time, started_at,"
                        + " ended_at, status, read, error from klaviyo_sync.runs where sync_id = ? order by started_at")) {
            ps.setString(1, SYNC);
            List<Run> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Run(rs.getLong(1), rs.getString(2), instant(rs.getTimestamp(3)),
                            instant(rs.getTimestamp(4)), instant(rs.getTimestamp(5)), rs.getString(6), rs.getLong(7),
                            rs.getString(8)));
                }
            }
            return out;
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static Map<String, String> model(TestWarehouse warehouse) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = warehouse.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select customer_id, email from customers")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2) == null ? null : rs.getString(2).strip().toLowerCase());
            }
        }
        return out;
    }

    private static long count(TestWarehouse warehouse, String sql) throws SQLException {
        try (Connection c = warehouse.dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0; // the first instance has not created the Quartz tables yet
            }
            throw e;
        }
    }

    private static String describe(List<Run> runs) {
        StringBuilder b = new StringBuilder();
        for (Run r : runs) {
            b.append("\n  ").append(r);
        }
        return b.toString();
    }

    private static void awaitTrue(Instant deadline, String what, Callable<Boolean> condition) throws Exception {
        await(deadline, what, () -> condition.call() ? Optional.of(true) : Optional.empty());
    }

    private static <T> T await(Instant deadline, String what, Callable<Optional<T>> probe) throws Exception {
        while (true) {
            Optional<T> found = probe.call();
            if (found.isPresent()) {
                return found.get();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
