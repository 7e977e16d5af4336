package org.klaviyosync.run;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.klaviyosync.config.ListMode;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.state.ConsentStates;
import org.klaviyosync.state.FingerprintChange;
import org.klaviyosync.state.FingerprintStore;
import org.klaviyosync.state.ListMembershipStore;
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
    private volatile boolean stopped;
    private volatile ScheduledExecutorService lockWatch;
    private final List<Consumer<RunSummary>> listeners = new CopyOnWriteArrayList<>();
    private final FingerprintStore fingerprints;
    private volatile ListMembershipStore memberships;
    private volatile ConsentStates consentStates;
    private volatile boolean compareInWarehouse;

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

    /** Lets {@code listMode=mirror} syncs record the memberships they manage in {@code store}. */
    public void manageMemberships(ListMembershipStore store) {
        this.memberships = store;
    }

    /** Lets syncs with consent send a channel's consent only when it differs from what Klaviyo acknowledged. */
    public void rememberConsent(ConsentStates store) {
        this.consentStates = store;
    }

    /**
     * The fingerprints live in the warehouse's own PostgreSQL database: incremental runs (without
     * replayed rows) compare rows there, and unchanged rows never leave it.
     */
    public void compareInWarehouse(boolean compare) {
        this.compareInWarehouse = compare;
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
        useLocks(locks, instanceId, Duration.ofSeconds(1));
    }

    /**
     * As above; every {@code checkInterval} each held lock is checked, and a run whose lock was
     * lost (its connection is gone, so another instance may start the same sync) is stopped at
     * once: what Klaviyo acknowledged is settled, the rest deferred.
     */
    public void useLocks(SyncLocks locks, String instanceId, Duration checkInterval) {
        this.locks = locks;
        this.instanceId = instanceId;
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "klaviyo-sync-lock-watch");
            t.setDaemon(true);
            return t;
        });
        watch.scheduleWithFixedDelay(this::stopRunsThatLostTheirLock, checkInterval.toMillis(),
                checkInterval.toMillis(), TimeUnit.MILLISECONDS);
        lockWatch = watch;
    }

    private void stopRunsThatLostTheirLock() {
        held.forEach((syncId, lock) -> {
            SyncRun run = active.get(syncId);
            if (run == null || run.stopping()) {
                return;
            }
            String lost = lock.lost();
            synchronized (active) {
                if (held.get(syncId) != lock || active.get(syncId) != run) {
                    return; // the run ended and released its lock meanwhile
                }
            }
            if (lost != null) {
                String reason = "the run lost its lock (" + lost + "), so another instance could start the same"
                        + " sync: stopped, unsettled rows deferred";
                LOG.error("Sync '{}' run {}: {}", syncId, run.runId(), reason);
                run.stop(reason);
            }
        });
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
            if (stopped) {
                throw new SyncBusyException("the service is stopping");
            }
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
                    // events are append-only: an event sync looks its sent event ids up per chunk instead
                    changes = sync.event() != null ? ChangeDetector.sendEverything() : changeDetector(sync, options);
                } catch (SQLException | RuntimeException e) {
                    store.closeRun(new RunRecord(runId, syncId, started, Instant.now(), RunSummary.FAILED, dryRun, 0, 0,
                            0, 0, 0, 0, "the stored fingerprints could not be read: " + e.getMessage()));
                    throw e;
                }
                SyncRun run = new SyncRun(sync, runId, started, dryRun, new ProfileBatcher(Math.min(batchProfiles, sync.kind().rowsPerRequest()), batchBytes),
                        dryRun ? ListTargets.unresolved() : listTargets.apply(sync), changes, options);
                if (memberships != null && sync.listMode() == ListMode.MIRROR) {
                    try {
                        run.manage(new MembershipLedger(memberships.managedPerList(syncId)));
                    } catch (SQLException | RuntimeException e) {
                        store.closeRun(new RunRecord(runId, syncId, started, Instant.now(), RunSummary.FAILED, dryRun,
                                0, 0, 0, 0, 0, 0, "the list memberships it manages could not be read: " + e.getMessage()));
                        throw e;
                    }
                }
                if (consentStates != null && sync.consent() != null) {
                    try {
                        run.consentChanges().acknowledgedBefore(consentStates.acknowledged(syncId));
                    } catch (SQLException | RuntimeException e) {
                        store.closeRun(new RunRecord(runId, syncId, started, Instant.now(), RunSummary.FAILED, dryRun,
                                0, 0, 0, 0, 0, 0, "the acknowledged consent could not be read: " + e.getMessage()));
                        throw e;
                    }
                }
                active.put(syncId, run);
                if (lock != null) {
                    held.put(syncId, lock);
                }
                LOG.info("Sync '{}' run {} started{}{}{}", syncId, runId,
                        instanceId == null ? "" : " on instance " + instanceId,
                        dryRun ? " (dry run: nothing will be sent)" : "",
                        sync.event() != null ? ", sending events not sent before"
                                : changes.sendsEverything() ? ", sending every row"
                                : changes.comparesInWarehouse()
                                        ? ", sending new and changed rows (compared in the warehouse)"
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
        // listMode=mirror learns each run which rows still name their lists, so its rows pass through
        // the service; an event sync looks its event ids up instead
        if (compareInWarehouse && options.replay().isEmpty() && sync.event() == null
                && sync.listMode() != ListMode.MIRROR) {
            return ChangeDetector.inWarehouse(fingerprints.rejections(sync.syncId()));
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
        // memberships first: a row whose fingerprint is stored is not sent again to prove them
        if (memberships != null && run.memberships() != null) {
            memberships.record(run.syncId(), run.runId(), run.memberships().drainAcknowledged());
        }
        // consent before fingerprints, so that a stored fingerprint never lacks its row's acknowledged consent:
        // a row's consent is collected before its fingerprint, so draining the fingerprints first catches both
        List<FingerprintChange> acknowledged = fingerprints != null ? run.drainFingerprints() : List.of();
        if (consentStates != null) {
            consentStates.record(run.syncId(), run.runId(), run.consentChanges().drainAcknowledged());
        }
        if (fingerprints != null) {
            fingerprints.apply(run.syncId(), run.runId(), acknowledged);
        }
    }

    /**
     * Starts no more runs and asks every active run to stop: the rows Klaviyo acknowledged are
     * settled, the rest deferred (a later run sends them), without waiting for unfinished jobs.
     * A run that has not ended within {@code grace} (a call to Klaviyo that hangs) is closed from
     * here, its rows still in flight deferred, so no run is left {@code running}.
     */
    public void stopAll(String reason, Duration grace) {
        stopped = true;
        if (lockWatch != null) {
            lockWatch.shutdownNow();
        }
        if (active.isEmpty()) {
            return;
        }
        active.values().forEach(run -> run.stop(reason));
        LOG.info("Waiting up to {} s for {} active run(s) to stop", grace.toSeconds(), active.size());
        long deadline = System.nanoTime() + grace.toNanos();
        while (!active.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (SyncRun run : List.copyOf(active.values())) {
            LOG.warn("Sync '{}' run {} did not stop within {} s; closing it with its unsettled rows deferred",
                    run.syncId(), run.runId(), grace.toSeconds());
            run.deferInFlight("not sent: the run was stopped before Klaviyo answered: " + reason);
            try {
                close(run);
            } catch (SQLException | RuntimeException e) {
                LOG.error("Sync '{}' run {} could not be closed: {}", run.syncId(), run.runId(), e.getMessage());
            }
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

    /** Stores the run's end in the history, once: a run closed already gives its summary again. */
    public RunSummary close(SyncRun run) throws SQLException {
        synchronized (run) {
            if (run.summary() == null) {
                run.closedAs(store(run));
            }
            return run.summary();
        }
    }

    private RunSummary store(SyncRun run) throws SQLException {
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
                    c.read(), c.sent(), c.unchanged(), c.invalid(), c.rejected(), c.deferred(), error, c.wouldSend(),
                    c.removed()));
            long ms = Duration.between(run.startedAt(), ended).toMillis();
            RunSummary summary = new RunSummary(run.syncId(), run.runId(), status, run.dryRun(), c.read(), c.sent(),
                    c.unchanged(), c.invalid(), c.rejected(), c.deferred(), ms, error,
                    run.dryRun() ? dryRunFile.apply(run) : null, c.wouldSend(), c.removed());
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
