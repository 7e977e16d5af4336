package org.klaviyosync.run;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.state.FingerprintStore;
import org.klaviyosync.state.RunRecord;
import org.klaviyosync.state.StateStore;
import org.klaviyosync.state.SyncLocks;
import org.klaviyosync.warehouse.ModelColumns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens and closes runs: one active run per sync at a time, each stored in the history with its
 * counts, which must reconcile.
 */
public final class RunRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(RunRegistry.class);

    private final Map<String, SyncDefinition> syncs;
    private final StateStore store;
    private final boolean dryRun;
    private final Function<SyncDefinition, ListTargets> listTargets;
    private final int batchProfiles;
    private final long batchBytes;
    private final Function<SyncRun, String> dryRunFile;
    private final Map<String, SyncRun> active = new ConcurrentHashMap<>();
    private final Map<String, SyncLocks.Held> held = new ConcurrentHashMap<>();
    private volatile SyncLocks locks;
    private volatile String instanceId;
    private final List<Consumer<RunSummary>> listeners = new CopyOnWriteArrayList<>();
    private final FingerprintStore fingerprints;

    public RunRegistry(Map<String, SyncDefinition> syncs, StateStore store, boolean dryRun,
            Function<SyncDefinition, ListTargets> listTargets, int batchProfiles, long batchBytes,
            Function<SyncRun, String> dryRunFile) {
        this(syncs, store, null, dryRun, listTargets, batchProfiles, batchBytes, dryRunFile);
    }

    /**
     * With {@code fingerprints}, runs are incremental: only new and changed rows are sent. Without,
     * every run sends every valid row.
     */
    public RunRegistry(Map<String, SyncDefinition> syncs, StateStore store, FingerprintStore fingerprints,
            boolean dryRun, Function<SyncDefinition, ListTargets> listTargets, int batchProfiles, long batchBytes,
            Function<SyncRun, String> dryRunFile) {
        this.fingerprints = fingerprints;
        this.syncs = Map.copyOf(syncs);
        this.store = store;
        this.dryRun = dryRun;
        this.listTargets = listTargets;
        this.batchProfiles = batchProfiles;
        this.batchBytes = batchBytes;
        this.dryRunFile = dryRunFile;
    }

    public Optional<SyncDefinition> sync(String syncId) {
        return Optional.ofNullable(syncs.get(syncId));
    }

    public Map<String, SyncDefinition> syncs() {
        return syncs;
    }

    public boolean dryRun() {
        return dryRun;
    }

    /**
     * Guards every run with a lock shared by all processes on the bookkeeping database, so a sync
     * never runs twice at once even across instances; {@code instanceId} is stored with each run.
     */
    public void useLocks(SyncLocks locks, String instanceId) {
        this.locks = locks;
        this.instanceId = instanceId;
    }

    /**
     * Marks runs left {@code running} by a process that is gone as failed, for every sync whose
     * lock is free (a sync running elsewhere is left alone).
     */
    public void failInterruptedRuns() throws SQLException {
        if (locks == null) {
            return;
        }
        for (String syncId : syncs.keySet()) {
            Optional<SyncLocks.Held> lock = locks.tryLock(syncId);
            if (lock.isPresent()) {
                try (SyncLocks.Held l = lock.get()) {
                    int n = store.failInterruptedRuns(syncId);
                    if (n > 0) {
                        LOG.warn("Sync '{}': {} run(s) of a stopped instance were still marked running; marked failed"
                                + " (their unsent rows go with a later run)", syncId, n);
                    }
                }
            }
        }
    }

    public void onRunEnded(Consumer<RunSummary> listener) {
        listeners.add(listener);
    }

    public Optional<SyncRun> active(String syncId) {
        return Optional.ofNullable(active.get(syncId));
    }

    public SyncRun open(String syncId) throws SQLException {
        return open(syncId, RunOptions.INCREMENTAL);
    }

    public SyncRun open(String syncId, RunOptions options) throws SQLException {
        return open(syncId, options, null);
    }

    /**
     * Opens a run of the sync; {@code scheduledFireTime} is the Quartz fire time of a scheduled
     * run (null on demand). Throws {@link SyncBusyException} when the sync is already running
     * here or in another instance.
     */
    public SyncRun open(String syncId, RunOptions options, Instant scheduledFireTime) throws SQLException {
        SyncDefinition sync = syncs.get(syncId);
        if (sync == null) {
            throw new IllegalArgumentException("no sync named '" + syncId + "'");
        }
        synchronized (active) {
            if (active.containsKey(syncId)) {
                throw new SyncBusyException("sync '" + syncId + "' is already running (run "
                        + active.get(syncId).runId() + ")");
            }
            SyncLocks.Held lock = null;
            if (locks != null) {
                lock = locks.tryLock(syncId).orElseThrow(() -> new SyncBusyException("sync '" + syncId
                        + "' is already running on another instance"));
            }
            try {
                if (lock != null) {
                    int interrupted = store.failInterruptedRuns(syncId);
                    if (interrupted > 0) {
                        LOG.warn("Sync '{}': {} earlier run(s) were interrupted when their instance stopped;"
                                + " marked failed, their unsent rows go with a later run", syncId, interrupted);
                    }
                }
                Instant started = Instant.now();
                long runId = store.openRun(syncId, started, dryRun, instanceId, scheduledFireTime);
                ChangeDetector changes;
                try {
                    changes = changeDetector(sync, options);
                } catch (SQLException | RuntimeException e) {
                    store.closeRun(new RunRecord(runId, syncId, started, Instant.now(), RunSummary.FAILED, dryRun, 0, 0,
                            0, 0, 0, 0, "the stored fingerprints could not be read: " + e.getMessage()));
                    throw e;
                }
                SyncRun run = new SyncRun(sync, runId, started, dryRun, new ProfileBatcher(batchProfiles, batchBytes),
                        dryRun ? ListTargets.unresolved() : listTargets.apply(sync), changes, options);
                active.put(syncId, run);
                if (lock != null) {
                    held.put(syncId, lock);
                }
                LOG.info("Sync '{}' run {} started{}{}{}", syncId, runId,
                        instanceId == null ? "" : " on instance " + instanceId,
                        dryRun ? " (dry run: nothing will be sent)" : "",
                        changes.sendsEverything() ? ", sending every row"
                                : ", sending new and changed rows (" + changes.acknowledgedCount()
                                        + " acknowledged before"
                                        + (options.replay().isEmpty() ? "" : ", " + options.replay().size() + " replayed")
                                        + ")");
                return run;
            } catch (SQLException | RuntimeException e) {
                if (lock != null) {
                    lock.close();
                }
                throw e;
            }
        }
    }

    private ChangeDetector changeDetector(SyncDefinition sync, RunOptions options) throws SQLException {
        if (fingerprints == null) {
            return ChangeDetector.sendEverything();
        }
        long mapping = MappingHash.of(sync);
        boolean mappingChanged;
        if (dryRun) {
            mappingChanged = fingerprints.mappingHash(sync.syncId()).map(h -> h != mapping).orElse(true);
        } else {
            mappingChanged = fingerprints.adoptMapping(sync.syncId(), mapping);
        }
        if (mappingChanged) {
            LOG.info("Sync '{}': its mapping (identifier, properties or lists) is new or changed: every row is sent",
                    sync.syncId());
            return ChangeDetector.sendEverything();
        }
        if (options.full()) {
            return ChangeDetector.sendEverything();
        }
        long loading = System.nanoTime();
        ChangeDetector detector = ChangeDetector.incremental(fingerprints.acknowledged(sync.syncId()),
                fingerprints.rejections(sync.syncId()), options.replay());
        LOG.info("Sync '{}': {} acknowledged fingerprints loaded in {} ms", sync.syncId(),
                detector.acknowledgedCount(), (System.nanoTime() - loading) / 1_000_000);
        return detector;
    }

    /** Writes the fingerprints of the rows Klaviyo has answered for since the last call. */
    public void commitFingerprints(SyncRun run) throws SQLException {
        if (fingerprints != null) {
            fingerprints.apply(run.syncId(), run.runId(), run.drainFingerprints());
        }
    }

    /**
     * Asks every active run to stop (the rows read so far are settled, the rest left for a later
     * run) and waits up to {@code grace} for them to end.
     */
    public void stopAll(String reason, Duration grace) {
        if (active.isEmpty()) {
            return;
        }
        active.values().forEach(run -> run.fail(reason));
        LOG.info("Waiting up to {} s for {} active run(s) to stop", grace.toSeconds(), active.size());
        long deadline = System.nanoTime() + grace.toNanos();
        while (!active.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!active.isEmpty()) {
            LOG.warn("{} run(s) did not stop within {} s: {}", active.size(), grace.toSeconds(), active.keySet());
        }
    }

    /** The SQL the run executes: the model without a trailing semicolon. */
    public String modelSql(SyncDefinition sync) {
        return ModelColumns.stripTrailingSemicolon(sync.modelSql());
    }

    /** Stores the run's pending row results (called as they pile up, and at the end). */
    public void storeResults(SyncRun run) throws SQLException {
        store.recordRows(run.runId(), run.syncId(), run.drainResults());
    }

    public RunSummary close(SyncRun run) throws SQLException {
        try {
            RunCounts c = run.counts();
            String error = run.failure();
            if (!c.reconciles()) {
                String mismatch = "accounting mismatch: read " + c.read() + " rows but " + c.settled()
                        + " ended (" + c + "); this is a bug, please report it";
                LOG.error("Sync '{}' run {}: {}", run.syncId(), run.runId(), mismatch);
                error = error == null ? mismatch : error + "; " + mismatch;
            }
            try {
                commitFingerprints(run);
            } catch (SQLException e) {
                String lost = "the fingerprints of acknowledged rows could not be stored (those rows are sent again"
                        + " next run): " + e.getMessage();
                LOG.error("Sync '{}' run {}: {}", run.syncId(), run.runId(), lost);
                error = error == null ? lost : error + "; " + lost;
            }
            String status = error != null ? RunSummary.FAILED : run.dryRun() ? RunSummary.DRY_RUN : RunSummary.COMPLETED;
            Instant ended = Instant.now();
            storeResults(run);
            store.closeRun(new RunRecord(run.runId(), run.syncId(), run.startedAt(), ended, status, run.dryRun(),
                    c.read(), c.sent(), c.unchanged(), c.invalid(), c.rejected(), c.deferred(), error, c.wouldSend()));
            long ms = Duration.between(run.startedAt(), ended).toMillis();
            RunSummary summary = new RunSummary(run.syncId(), run.runId(), status, run.dryRun(), c.read(), c.sent(),
                    c.unchanged(), c.invalid(), c.rejected(), c.deferred(), ms, error,
                    run.dryRun() ? dryRunFile.apply(run) : null, c.wouldSend());
            LOG.info("Sync '{}' run {} {} in {} ms: {}{}", run.syncId(), run.runId(), status, ms, c,
                    error == null ? "" : " error: " + error);
            for (Consumer<RunSummary> l : listeners) {
                l.accept(summary);
            }
            return summary;
        } finally {
            synchronized (active) {
                if (active.remove(run.syncId(), run)) {
                    SyncLocks.Held lock = held.remove(run.syncId());
                    if (lock != null) {
                        lock.close();
                    }
                }
            }
        }
    }
}
