package org.klaviyosync.run;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a row's list references (names or ids) to the lists its profile joins, once per
 * reference per run.
 */
public final class ListTargets {

    /** Where a reference leads: a list id, or the reason its rows are rejected. */
    public record Target(String listId, String rejection) {

        public boolean rejected() {
            return rejection != null;
        }
    }

    /** Resolves one reference, talking to Klaviyo when needed. */
    @FunctionalInterface
    public interface Resolver {
        Target resolve(String reference) throws Exception;
    }

    private final Resolver resolver;
    private final Map<String, Target> cache = new ConcurrentHashMap<>();

    public ListTargets(Resolver resolver) {
        this.resolver = resolver;
    }

    /** A dry run sends nothing, so references stay as written. */
    public static ListTargets unresolved() {
        return new ListTargets(ref -> new Target(ref, null));
    }

    public Target resolve(String reference) throws Exception {
        Target cached = cache.get(reference);
        if (cached != null) {
            return cached;
        }
        Target t = resolver.resolve(reference);
        cache.put(reference, t);
        return t;
    }
}
