package org.klaviyosync.standin;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many requests of each method and path the stand-in was handling at the same time, from their
 * arrival to their answer: the current number and the most seen. A test reads the most to check that a
 * client never had more requests in flight than it was configured for.
 */
public final class ConcurrentRequests {

    private static final class Gauge {
        int now;
        int most;
    }

    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();

    void arrived(String method, String path) {
        Gauge g = gauges.computeIfAbsent(method + " " + path, k -> new Gauge());
        synchronized (g) {
            g.now++;
            g.most = Math.max(g.most, g.now);
        }
    }

    void answered(String method, String path) {
        Gauge g = gauges.get(method + " " + path);
        synchronized (g) {
            g.now--;
        }
    }

    /** The most requests of {@code method} on {@code path} handled at once since the last clear. */
    public int most(String method, String path) {
        Gauge g = gauges.get(method + " " + path);
        if (g == null) {
            return 0;
        }
        synchronized (g) {
            return g.most;
        }
    }

    void clear() {
        gauges.values().forEach(g -> {
            synchronized (g) {
                g.most = g.now;
            }
        });
    }
}
