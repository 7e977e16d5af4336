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
 * process's CPU time as {@code CPU_TIME_NANOS=...}.
 */
public final class PeakHeapMain {

    private PeakHeapMain() {
    }

    public static void main(String[] args) {
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
        System.exit(code);
    }
}
