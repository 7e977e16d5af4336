package org.klaviyosync.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MappingWorkersTest {

    @Test
    void mapsEveryItemInOrderOnSeveralThreads() throws Exception {
        List<Integer> items = IntStream.range(0, 10_000).boxed().toList();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        try (MappingWorkers workers = new MappingWorkers(3)) {
            List<String> out = workers.map(items, i -> {
                threads.add(Thread.currentThread().getName());
                return "row-" + i;
            });
            assertEquals(items.size(), out.size());
            for (int i = 0; i < items.size(); i++) {
                assertEquals("row-" + i, out.get(i));
            }
        }
        assertTrue(threads.size() > 1, "mapped on " + threads);
        assertTrue(threads.contains(Thread.currentThread().getName()), "the caller maps a slice too: " + threads);
    }

    @Test
    void smallChunksAndOneThreadStayOnTheCaller() throws Exception {
        String caller = Thread.currentThread().getName();
        try (MappingWorkers parallel = new MappingWorkers(4); MappingWorkers single = new MappingWorkers(1)) {
            assertEquals(List.of(caller, caller), parallel.map(List.of(1, 2), i -> Thread.currentThread().getName()));
            List<Integer> many = IntStream.range(0, 1000).boxed().toList();
            assertEquals(Set.of(caller), Set.copyOf(single.map(many, i -> Thread.currentThread().getName())));
            assertEquals(List.of(), parallel.map(List.of(), i -> i));
        }
    }

    @Test
    void aFailureOnAWorkerReachesTheCaller() {
        List<Integer> items = IntStream.range(0, 1000).boxed().toList();
        try (MappingWorkers workers = new MappingWorkers(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> workers.map(items, i -> {
                if (i == 999) {
                    throw new IllegalStateException("row 999 broke");
                }
                return i;
            }));
            assertEquals("row 999 broke", e.getMessage());
        }
    }

    @Test
    void refusesNoThreads() {
        assertThrows(IllegalArgumentException.class, () -> new MappingWorkers(0));
    }
}
