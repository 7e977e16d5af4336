package org.klaviyosync.standin;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * How long the stand-in took to answer, per method and path shape ({@code POST /api/lists/{id}/...}):
 * count, total and longest time from the request's arrival to its answer, and when the last 2xx answer
 * of the kind was sent. A benchmark reads them to tell whether the stand-in was what held a client back.
 */
public final class ServiceTimes {

    /** Everything after {@code /api/<resource>/} up to the next slash is an id. */
    private static final Pattern ID_SEGMENT = Pattern.compile("^(/api/[^/]+)/[^/]+");

    /** One kind of request. */
    public record Kind(long count, long totalNanos, long maxNanos, long lastSuccessEpochMillis) {

        public double meanMillis() {
            return count == 0 ? 0 : totalNanos / 1e6 / count;
        }

        public double maxMillis() {
            return maxNanos / 1e6;
        }
    }

    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

    void record(String method, String path, int status, long nanos) {
        String key = method + " " + ID_SEGMENT.matcher(path).replaceFirst("$1/{id}");
        long okAt = status >= 200 && status < 300 ? System.currentTimeMillis() : 0;
        kinds.merge(key, new Kind(1, nanos, nanos, okAt), (a, b) -> new Kind(a.count + b.count,
                a.totalNanos + b.totalNanos, Math.max(a.maxNanos, b.maxNanos),
                Math.max(a.lastSuccessEpochMillis, b.lastSuccessEpochMillis)));
    }

    /** Kinds by {@code METHOD /path/{id}}, sorted. */
    public Map<String, Kind> snapshot() {
        return new TreeMap<>(kinds);
    }

    void clear() {
        kinds.clear();
    }
}
