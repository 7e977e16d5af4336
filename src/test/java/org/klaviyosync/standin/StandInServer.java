package org.klaviyosync.standin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The stand-in as a process of its own, so that clients in other processes (the service, the
 * benchmark's Node peer) talk to one server. Prints {@code KLAVIYO_STANDIN_URL=http://127.0.0.1:PORT}
 * once it listens and serves until it is terminated; then writes its statistics as JSON to the
 * {@code --stats} file: requests, 429 answers, answer times per kind of request, and its own CPU and
 * garbage-collection time over its wall time, which tell whether it was the bottleneck.
 *
 * <p>Switches: {@code --job-completion-ms N} (jobs complete on their own N ms after acceptance;
 * by default after two looks), {@code --rate-limits on|off} (Klaviyo's documented limits, on by
 * default), {@code --api-key KEY} (a key with every scope, besides the default one),
 * {@code --stats FILE}.
 */
public final class StandInServer {

    /** The line prefix announcing the address. */
    public static final String URL_LINE = "KLAVIYO_STANDIN_URL=";

    private StandInServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = options(args);
        KlaviyoStandIn standIn = KlaviyoStandIn.start();
        standIn.setRecordRequestBodies(false);
        if (options.containsKey("--job-completion-ms")) {
            standIn.setJobCompletionDelayMillis(Long.parseLong(options.get("--job-completion-ms")));
        }
        standIn.setRateLimitsEnabled(!"off".equals(options.getOrDefault("--rate-limits", "on")));
        if (options.containsKey("--api-key")) {
            standIn.addKey(options.get("--api-key"), KlaviyoStandIn.ALL_SCOPES);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                String stats = options.get("--stats");
                if (stats != null) {
                    Files.writeString(Path.of(stats), statistics(standIn)
                            .toPrettyString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                standIn.close();
                stopped.countDown();
            }
        }, "stand-in-stop"));
        System.out.println(URL_LINE + standIn.baseUrl());
        System.out.flush();
        stopped.await();
    }

    private static Map<String, String> options(String[] args) {
        Set<String> known = Set.of("--job-completion-ms", "--rate-limits", "--api-key", "--stats");
        Map<String, String> out = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!known.contains(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + args[i]
                        + "; options are " + known + ", each with a value");
            }
            out.put(args[i], args[i + 1]);
        }
        return out;
    }

    /** Times are over the JVM's life, start included, as the CPU time is. */
    static ObjectNode statistics(KlaviyoStandIn standIn) {
        ObjectNode root = StandInJson.object();
        root.put("requests", standIn.requests().size());
        root.put("status429", standIn.count429());
        root.put("wallSeconds", ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            root.put("cpuSeconds", os.getProcessCpuTime() / 1e9);
        }
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        root.put("gcSeconds", gcMillis / 1e3);
        root.put("cores", Runtime.getRuntime().availableProcessors());
        ObjectNode kinds = root.putObject("answers");
        standIn.serviceTimes().snapshot().forEach((kind, t) -> kinds.putObject(kind)
                .put("count", t.count())
                .put("meanMs", t.meanMillis())
                .put("maxMs", t.maxMillis())
                .put("lastSuccessEpochMs", t.lastSuccessEpochMillis()));
        return root;
    }
}
