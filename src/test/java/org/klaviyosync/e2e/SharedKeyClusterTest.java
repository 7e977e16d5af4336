package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.klaviyosync.KlaviyoSync;
import org.klaviyosync.standin.KlaviyoStandIn;
import org.klaviyosync.standin.RecordedRequest;
import org.klaviyosync.standin.StandInProfile;
import org.klaviyosync.state.StateStore;

/**
 * Two service processes share one API key and one Klaviyo account, each running its own sync over
 * its own model (its own rows, its own list) every second. While they send their first runs, the
 * stand-in drops connections on some bulk job POSTs (before and after creating the job) and answers
 * others 500 after creating the job, and the two processes have many jobs of the same size in
 * flight. Once the faults stop, the next run of each sync leaves the stand-in holding every row of
 * both models with its own values and list, and the run after that sends nothing.
 */
class SharedKeyClusterTest {

    private static final int ROWS = 600;
    private static final int BATCH = 20;
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final String BULK_JOBS = "/api/profile-bulk-import-jobs";

    @TempDir
    Path work;

    record Run(long runId, String sync, Instant started, Instant ended, String status, long read, long sent,
            long unchanged, long deferred) {
    }

    @Test
    void lostAnswersNeverCountAnotherProcesssJobAndBothModelsArriveWhole() throws Exception {
        TestWarehouse warehouse = TestWarehouse.fresh();
        for (String model : List.of("alpha", "beta")) {
            warehouse.execute("create table " + model + "_members (member_id text primary key, email text,"
                    + " first_name text, score int)",
                    "insert into " + model + "_members select '" + model + "-' || lpad(i::text, 4, '0'),"
                            + " '" + model + "-' || i || '@example.com', '" + model + " name ' || i, i * 7"
                            + " from generate_series(1, " + ROWS + ") i");
        }
        new StateStore(warehouse.dataSource()).migrate();
        Map<String, Process> services = new LinkedHashMap<>();
        Map<String, Path> logs = new LinkedHashMap<>();
        try (KlaviyoStandIn klaviyo = KlaviyoStandIn.start()) {
            // Klaviyo's rate limits are not what this test is about: two processes on one key would
            // wait out each other's 429s at the real limits
            klaviyo.setRateLimitsEnabled(false);
            klaviyo.faults().seed(12).onlyForPathsStartingWith(BULK_JOBS)
                    .dropConnections(0.1)
                    .bulkJobCreatedThenDropped(0.15)
                    .bulkJobCreatedThenServerError(0.15);
            try {
                for (String model : List.of("alpha", "beta")) {
                    logs.put(model, work.resolve(model + ".log"));
                    services.put(model, startService(model, warehouse, klaviyo, logs.get(model)));
                }
                Instant started = Instant.now();
                Instant deadline = started.plus(DEADLINE);
                // with the faults on: each sync's first run has ended (every row sent once, many jobs of
                // BATCH profiles from both processes in flight together)
                awaitTrue(deadline, "a first run of each sync ended",
                        () -> !endedRuns(warehouse, "alpha", Instant.EPOCH).isEmpty()
                                && !endedRuns(warehouse, "beta", Instant.EPOCH).isEmpty());
                List<RecordedRequest> posts = klaviyo.requests().stream()
                        .filter(r -> r.method().equals("POST") && r.path().equals(BULK_JOBS)).toList();
                long dropped = posts.stream().filter(r -> r.responseStatus() == RecordedRequest.DROPPED).count();
                long failed = posts.stream().filter(r -> r.responseStatus() == 500).count();
                System.out.println("Under faults (" + Duration.between(started, Instant.now()).toMillis() + " ms): "
                        + posts.size() + " bulk job POSTs, " + dropped + " dropped, "
                        + failed + " answered 500, " + klaviyo.bulkJobIds().size() + " jobs created");
                assertTrue(dropped > 0 && failed > 0, "both kinds of lost answers happened");

                klaviyo.faults().clear();
                Instant faultsStopped = Instant.now();
                Map<String, Run> settling = new HashMap<>();
                for (String sync : List.of("alpha", "beta")) {
                    settling.put(sync, awaitRun(deadline, warehouse, sync, faultsStopped));
                }
                assertModelsHeld(klaviyo, settling.toString());

                for (String sync : List.of("alpha", "beta")) {
                    Run quiet = awaitRun(deadline, warehouse, sync, settling.get(sync).ended());
                    assertEquals("completed", quiet.status(), quiet.toString());
                    assertEquals(ROWS, quiet.read(), quiet.toString());
                    assertEquals(0, quiet.sent(), "nothing left to send: " + quiet);
                    assertEquals(ROWS, quiet.unchanged(), quiet.toString());
                }
                assertModelsHeld(klaviyo, "after the quiet runs");
                System.out.println("Settled " + Duration.between(faultsStopped, settling.get("alpha").ended().isAfter(
                        settling.get("beta").ended()) ? settling.get("alpha").ended() : settling.get("beta").ended())
                        .toMillis() + " ms after the faults stopped; quiet runs done "
                        + Duration.between(started, Instant.now()).toMillis() + " ms after the services started");
                for (Process p : services.values()) {
                    p.destroy();
                }
                for (Process p : services.values()) {
                    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "a service did not stop on SIGTERM");
                }
            } catch (Throwable t) {
                services.values().forEach(Process::destroyForcibly);
                for (Map.Entry<String, Path> log : logs.entrySet()) {
                    System.err.println("===== " + log.getKey() + " =====");
                    if (Files.exists(log.getValue())) {
                        System.err.println(Files.readString(log.getValue(), StandardCharsets.UTF_8));
                    }
                }
                throw t;
            } finally {
                services.values().forEach(Process::destroyForcibly);
            }
        }
    }

    /** Every row of both models, with its own email, name, score and only its own model's list. */
    private static void assertModelsHeld(KlaviyoStandIn klaviyo, String context) {
        assertEquals(2 * ROWS, klaviyo.profiles().size(), "exactly the rows of both models: " + context);
        Map<String, String> listNames = klaviyo.listsByIdToName();
        for (String model : List.of("alpha", "beta")) {
            for (int i = 1; i <= ROWS; i++) {
                String id = String.format("%s-%04d", model, i);
                StandInProfile p = klaviyo.profileByExternalId(id)
                        .orElseThrow(() -> new AssertionError(id + " is missing from Klaviyo: " + context));
                assertEquals(model + "-" + i + "@example.com", p.email(), id);
                assertEquals(model + " name " + i, p.attribute("first_name"), id);
                assertEquals(i * 7, ((Number) p.property("score")).intValue(), id);
                assertEquals(Set.of(model + " members"),
                        Set.copyOf(p.listIds().stream().map(listNames::get).toList()), id);
            }
        }
    }

    private Process startService(String model, TestWarehouse warehouse, KlaviyoStandIn klaviyo, Path log)
            throws IOException {
        CliHarness files = new CliHarness(Files.createDirectories(work.resolve(model)));
        files.sync(model, "model", "select member_id, email, first_name, score from " + model + "_members",
                "schedule", "* * * * * ?", "identifier", "external_id", "identifierColumn", "member_id",
                "properties", "email=email,first_name=first_name,score=score", "lists", model + " members");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), KlaviyoSync.class.getName());
        pb.directory(Path.of("").toAbsolutePath().toFile());
        Map<String, String> env = pb.environment();
        env.putAll(files.env());
        env.put("WAREHOUSE_JDBC_URL", warehouse.jdbcUrl());
        env.put("KLAVIYO_API_KEY", klaviyo.apiKey());
        env.put("KLAVIYO_BASE_URL", klaviyo.baseUrl());
        env.put("KLAVIYO_BATCH_MAX_PROFILES", String.valueOf(BATCH));
        env.put("KLAVIYO_JOB_POLL_INTERVAL_MS", "50");
        env.put("KLAVIYO_RETRY_BASE_DELAY_MS", "20");
        env.put("KLAVIYO_RETRY_MAX_DELAY_MS", "200");
        env.put("KLAVIYO_LIMITS_BULK_IMPORT_PER_SECOND", "100");
        env.put("KLAVIYO_LIMITS_BULK_IMPORT_PER_MINUTE", "6000");
        env.put("KLAVIYO_LIMITS_BULK_JOB_READ_PER_SECOND", "200");
        env.put("KLAVIYO_LIMITS_BULK_JOB_READ_PER_MINUTE", "12000");
        env.put("MANAGEMENT_ENABLED", "false");
        env.put("SHUTDOWN_GRACE_SECONDS", "10");
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        return pb.start();
    }

    /** The first run of {@code sync} that started after {@code after}, once it has ended. */
    private static Run awaitRun(Instant deadline, TestWarehouse warehouse, String sync, Instant after)
            throws Exception {
        while (true) {
            List<Run> ended = endedRuns(warehouse, sync, after);
            if (!ended.isEmpty()) {
                return ended.get(0);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for a run of " + sync + " started after " + after);
            }
            Thread.sleep(50);
        }
    }

    /** Runs of {@code sync} that started after {@code after}, oldest first, up to the first still running. */
    private static List<Run> endedRuns(TestWarehouse warehouse, String sync, Instant after) throws SQLException {
        try (Connection c = warehouse.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("select run_id, sync_id, started_at, ended_at, status, read,"
                        + " sent, unchanged, deferred from klaviyo_sync.runs where sync_id = ? and started_at > ?"
                        + " order by started_at")) {
            ps.setString(1, sync);
            ps.setTimestamp(2, java.sql.Timestamp.from(after));
            List<Run> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getTimestamp(4) == null) {
                        break;
                    }
                    out.add(new Run(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getLong(6), rs.getLong(7),
                            rs.getLong(8), rs.getLong(9)));
                }
            }
            return out;
        }
    }

    private static void awaitTrue(Instant deadline, String what, java.util.concurrent.Callable<Boolean> condition)
            throws Exception {
        while (!condition.call()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
