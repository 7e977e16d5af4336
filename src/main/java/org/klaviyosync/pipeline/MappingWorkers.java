package org.klaviyosync.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Maps the rows of a chunk on several threads: the chunk is cut into slices, the calling thread
 * maps the first, worker threads the others, and the call returns once every slice is done, with
 * the results in the rows' order. Nothing outlives the call, so the pipeline after it stays
 * sequential.
 */
public final class MappingWorkers implements AutoCloseable {

    /** Below this many rows per slice, handing work to another thread costs more than it saves. */
    static final int MIN_SLICE_ROWS = 64;

    private final int threads;
    private final ExecutorService workers;

    /** {@code threads}: how many threads map at once, the caller's included; 1 maps on the caller only. */
    public MappingWorkers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, was " + threads);
        }
        this.threads = threads;
        AtomicInteger n = new AtomicInteger();
        this.workers = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "klaviyo-sync-mapping-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    /** {@code f} applied to every item, in order. {@code f} must be thread-safe. */
    public <T, R> List<R> map(List<T> items, Function<? super T, ? extends R> f) throws InterruptedException {
        int slices = workers == null ? 1 : Math.min(threads, items.size() / MIN_SLICE_ROWS);
        if (slices <= 1) {
            List<R> out = new ArrayList<>(items.size());
            for (T item : items) {
                out.add(f.apply(item));
            }
            return out;
        }
        Object[] results = new Object[items.size()];
        int size = items.size();
        List<Future<?>> others = new ArrayList<>(slices - 1);
        for (int s = 1; s < slices; s++) {
            int from = (int) ((long) size * s / slices);
            int to = (int) ((long) size * (s + 1) / slices);
            others.add(workers.submit(() -> fill(items, f, results, from, to)));
        }
        fill(items, f, results, 0, (int) ((long) size / slices));
        for (Future<?> other : others) {
            try {
                other.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            } catch (InterruptedException e) {
                others.forEach(o -> o.cancel(true));
                throw e;
            }
        }
        @SuppressWarnings("unchecked")
        List<R> out = (List<R>) Arrays.asList(results);
        return out;
    }

    private static <T, R> void fill(List<T> items, Function<? super T, ? extends R> f, Object[] results, int from,
            int to) {
        for (int i = from; i < to; i++) {
            results[i] = f.apply(items.get(i));
        }
    }

    @Override
    public void close() {
        if (workers != null) {
            workers.shutdownNow();
        }
    }
}
