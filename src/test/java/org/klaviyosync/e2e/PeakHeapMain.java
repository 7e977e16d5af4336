package org.klaviyosync.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicLong;
import org.klaviyosync.cli.Cli;

/**
 * The command line, as {@code KlaviyoSync.main} runs it, reporting the heap it needed: the highest
 * heap use sampled every 10 ms and the sum of the heap pools' peaks (an upper bound), printed as
 * {@code PEAK_HEAP_SAMPLED=...} and {@code PEAK_HEAP_POOLS=...} bytes on the last lines, and the
 * process's CPU time as {@code CPU_TIME_NANOS=...}. With {@link #FIRST_ROW_MARKER} in the environment,
 * also when the first row of the query containing it was read ({@link FirstRowProbe}), as
 * {@code FIRST_ROW_EPOCH_MS=...}.
 */
public final class PeakHeapMain {

    /** Environment variable: text of the model query whose first row is timed. */
    static final String FIRST_ROW_MARKER = "BENCH_FIRST_ROW_MARKER";

    private PeakHeapMain() {
    }

    public static void main(String[] args) throws java.sql.SQLException {
        String marker = System.getenv(FIRST_ROW_MARKER);
        if (marker != null) {
            FirstRowProbe.install(marker);
        }
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        AtomicLong sampled = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (true) {
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                sampled.accumulateAndGet(used, Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "peak-heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        int code = new Cli(Path.of("").toAbsolutePath(), System.getenv(), System.out, System.err).execute(args);
        long pools = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pools += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("PEAK_HEAP_SAMPLED=" + sampled.get());
        System.out.println("PEAK_HEAP_POOLS=" + pools);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            System.out.println("CPU_TIME_NANOS=" + os.getProcessCpuTime());
        }
        if (marker != null) {
            System.out.println("FIRST_ROW_EPOCH_MS=" + FirstRowProbe.firstRowEpochMillis());
        }
        System.exit(code);
    }
}
