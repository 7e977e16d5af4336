package org.klaviyosync.standin;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * How long the stand-in takes to answer bulk import jobs of 10,000 profiles (about 1.5 MB each), the
 * shape the service sends in the speed benchmark. Tagged {@code benchmark}, so the default run skips
 * it; run it with
 * {@code mvn -o test -Dtest=StandInBulkImportBenchmark -DexcludedTestGroups= -Dstandin.bench.jobs=30}.
 */
@Tag("benchmark")
class StandInBulkImportBenchmark {

    private static final String REVISION = "2026-07-15";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int JOBS = Integer.getInteger("standin.bench.jobs", 30);
    private static final int PROFILES = Integer.getInteger("standin.bench.profiles", 10_000);
    private static final int CONCURRENT = Integer.getInteger("standin.bench.concurrent", 4);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void bulkImportPostsAndPolls() throws Exception {
        try (KlaviyoStandIn standIn = KlaviyoStandIn.start()) {
            standIn.setRateLimitsEnabled(false);
            standIn.setJobPollsUntilComplete(1);
            HttpResponse<String> list = send(standIn, "POST", "/api/lists",
                    "{\"data\":{\"type\":\"list\",\"attributes\":{\"name\":\"Bench\"}}}".getBytes(StandardCharsets.UTF_8));
            assertEquals(201, list.statusCode(), list.body());
            String listId = JSON.readTree(list.body()).at("/data/id").asText();
            int rounds = Math.max(1, JOBS / CONCURRENT / 2);
            List<byte[]> bodies = new ArrayList<>();
            for (int j = 0; j < JOBS + rounds * CONCURRENT; j++) {
                bodies.add(body(j, listId));
            }

            // sequential: POST, then the poll that completes the job
            long[] posts = new long[JOBS];
            long[] polls = new long[JOBS];
            long[] postCpu = new long[JOBS];
            long[] pollCpu = new long[JOBS];
            Usage sequential = Usage.start();
            for (int j = 0; j < JOBS; j++) {
                long c0 = standInCpuNanos();
                long t0 = System.nanoTime();
                HttpResponse<String> created = send(standIn, "POST", "/api/profile-bulk-import-jobs", bodies.get(j));
                posts[j] = System.nanoTime() - t0;
                postCpu[j] = standInCpuNanos() - c0;
                assertEquals(202, created.statusCode(), created.body());
                String id = JSON.readTree(created.body()).at("/data/id").asText();
                long c1 = standInCpuNanos();
                long t1 = System.nanoTime();
                HttpResponse<String> polled = send(standIn, "GET", "/api/profile-bulk-import-jobs/" + id, null);
                polls[j] = System.nanoTime() - t1;
                pollCpu[j] = standInCpuNanos() - c1;
                assertEquals("complete", JSON.readTree(polled.body()).at("/data/attributes/status").asText(),
                        polled.body());
            }
            String usage = sequential.stop(JOBS);
            System.out.printf("stand-in bulk import: %d jobs x %,d profiles (%,d bytes each), %d cores%n", JOBS,
                    PROFILES, bodies.get(0).length, Runtime.getRuntime().availableProcessors());
            System.out.println("  POST ms:            " + summary(posts));
            System.out.println("  completing poll ms: " + summary(polls));
            System.out.println("  POST, CPU ms of the stand-in's threads (GC not included):            " + summary(postCpu));
            System.out.println("  completing poll, CPU ms of the stand-in's threads (GC not included): " + summary(pollCpu));
            System.out.println("  per job (POST + poll): " + usage);

            // concurrent: CONCURRENT POSTs at once, then one listing of the jobs
            long[] concurrent = new long[rounds * CONCURRENT];
            long[] listings = new long[rounds];
            Usage parallel = Usage.start();
            for (int r = 0; r < rounds; r++) {
                List<CompletableFuture<Long>> futures = new ArrayList<>();
                for (int c = 0; c < CONCURRENT; c++) {
                    long start = System.nanoTime();
                    futures.add(client.sendAsync(request(standIn, "POST", "/api/profile-bulk-import-jobs",
                                    bodies.get(JOBS + r * CONCURRENT + c)), HttpResponse.BodyHandlers.ofString())
                            .thenApply(resp -> {
                                assertEquals(202, resp.statusCode(), resp.body());
                                return System.nanoTime() - start;
                            }));
                }
                for (int c = 0; c < CONCURRENT; c++) {
                    concurrent[r * CONCURRENT + c] = futures.get(c).get();
                }
                long t0 = System.nanoTime();
                HttpResponse<String> listing = send(standIn, "GET",
                        "/api/profile-bulk-import-jobs?page%5Bsize%5D=100&sort=-created_at", null);
                listings[r] = System.nanoTime() - t0;
                assertEquals(200, listing.statusCode(), listing.body());
            }
            System.out.printf("  %d concurrent POSTs, ms each: %s%n", CONCURRENT, summary(concurrent));
            System.out.println("  listing after them, ms: " + summary(listings));
            System.out.println("  per job (concurrent POST + listing): " + parallel.stop(rounds * CONCURRENT));
            bodies.clear();
            System.gc();
            Runtime rt = Runtime.getRuntime();
            System.out.printf("  heap in use after a full GC: %,d MB, holding %,d profiles%n",
                    (rt.totalMemory() - rt.freeMemory()) >> 20, standIn.profiles().size());
        }
    }

    /** CPU time used so far by the stand-in's request threads. */
    private static long standInCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("klaviyo-standin-")) {
                total += Math.max(0, threads.getThreadCpuTime(t.getId()));
            }
        }
        return total;
    }

    /** CPU time of this JVM (all threads, the client's too) and time spent in garbage collection. */
    private record Usage(long wallStart, long cpuStart, long gcStart) {

        static Usage start() {
            return new Usage(System.nanoTime(), cpuNanos(), gcMillis());
        }

        String stop(int jobs) {
            return String.format("wall %.1f ms, JVM CPU %.1f ms, GC %.1f ms", (System.nanoTime() - wallStart) / 1e6 / jobs,
                    (cpuNanos() - cpuStart) / 1e6 / jobs, (gcMillis() - gcStart) / (double) jobs);
        }

        private static long cpuNanos() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }

        private static long gcMillis() {
            long total = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                total += Math.max(0, gc.getCollectionTime());
            }
            return total;
        }
    }

    private static String summary(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0) / 1e6;
        return String.format("mean %.1f, median %.1f, min %.1f, max %.1f", mean, sorted[sorted.length / 2] / 1e6,
                sorted[0] / 1e6, sorted[sorted.length - 1] / 1e6);
    }

    private static byte[] body(int job, String listId) {
        StringBuilder sb = new StringBuilder(PROFILES * 160);
        sb.append("{\"data\":{\"type\":\"profile-bulk-import-job\",\"attributes\":{\"profiles\":{\"data\":[");
        for (int i = 0; i < PROFILES; i++) {
            int n = job * PROFILES + i + 1;
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"type\":\"profile\",\"attributes\":{\"external_id\":\"p-").append(n)
                    .append("\",\"email\":\"person").append(n).append("@example.com\",\"first_name\":\"Name")
                    .append(n % 1000).append("\",\"properties\":{\"plan\":\"basic\",\"score\":").append(n).append("}}}");
        }
        sb.append("]}},\"relationships\":{\"lists\":{\"data\":[{\"type\":\"list\",\"id\":\"").append(listId)
                .append("\"}]}}}}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private HttpResponse<String> send(KlaviyoStandIn standIn, String method, String path, byte[] body) throws Exception {
        return client.send(request(standIn, method, path, body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(KlaviyoStandIn standIn, String method, String path, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(standIn.baseUrl() + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Klaviyo-API-Key " + standIn.apiKey())
                .header("revision", REVISION)
                .header("Accept", "application/vnd.api+json");
        if (body != null) {
            b.header("Content-Type", "application/vnd.api+json").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return b.build();
    }
}
