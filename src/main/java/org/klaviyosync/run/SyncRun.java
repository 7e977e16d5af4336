package org.klaviyosync.run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.klaviyosync.config.SyncDefinition;
import org.klaviyosync.klaviyo.BulkProfile;
import org.klaviyosync.state.FingerprintChange;
import org.klaviyosync.state.RowOutcome;
import org.klaviyosync.state.RowResult;

/**
 * One run of one sync: its counts, the rows still on their way to Klaviyo, the bulk jobs not yet
 * settled and the row results not yet stored. A row sent to several lists travels in several
 * jobs; it ends when the last of them settles: rejected if any part was rejected, else deferred
 * if any part was deferred, else sent. When it ends, the fingerprint of its content is queued for
 * the store: as acknowledged when sent, as rejected when Klaviyo refused it, and dropped when its
 * outcome is unknown; nothing is queued before Klaviyo has answered, and nothing in a dry run.
 */
public final class SyncRun {

    private final SyncDefinition sync;
    private final long runId;
    private final Instant startedAt;
    private final boolean dryRun;
    private final RunCounts counts = new RunCounts();
    private final ProfileBatcher batcher;
    private final ListTargets lists;
    private final Map<String, InFlightRow> inFlight = new ConcurrentHashMap<>();
    private final Deque<PendingJob> pendingJobs = new ArrayDeque<>();
    private final List<RowResult> unstoredResults = new ArrayList<>();
    private final List<FingerprintChange> uncommittedFingerprints = new ArrayList<>();
    private final ChangeDetector changes;
    private final RunOptions options;
    private volatile String failure;
    private volatile boolean stopping;
    private RunSummary summary;
    private final NullClears nullClears = new NullClears();
    private final ConsentChanges consentChanges = new ConsentChanges();
    private final Object deliveries = new Object();
    private int batchesOutstanding;
    private volatile long failedAtNanos;
    private volatile MembershipLedger memberships;
    private final IdentifiersRead identifiersRead = new IdentifiersRead();

    /** A bulk job Klaviyo accepted whose outcome is not known yet. */
    public record PendingJob(String jobId, String list, List<String> rowKeys) {
    }

    private static final class InFlightRow {
        int remainingParts;
        long fingerprint;
        Long rowFingerprint;
        boolean tracksContent;
        RowOutcome worst = RowOutcome.SENT;
        String code;
        String reason;
    }

    SyncRun(SyncDefinition sync, long runId, Instant startedAt, boolean dryRun, ProfileBatcher batcher,
            ListTargets lists) {
        this(sync, runId, startedAt, dryRun, batcher, lists, ChangeDetector.sendEverything(), RunOptions.INCREMENTAL);
    }

    SyncRun(SyncDefinition sync, long runId, Instant startedAt, boolean dryRun, ProfileBatcher batcher,
            ListTargets lists, ChangeDetector changes, RunOptions options) {
        this.changes = changes;
        this.options = options;
        this.sync = sync;
        this.runId = runId;
        this.startedAt = startedAt;
        this.dryRun = dryRun;
        this.batcher = batcher;
        this.lists = lists;
    }

    public SyncDefinition sync() {
        return sync;
    }

    public String syncId() {
        return sync.syncId();
    }

    public long runId() {
        return runId;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public boolean dryRun() {
        return dryRun;
    }

    public RunCounts counts() {
        return counts;
    }

    public ProfileBatcher batcher() {
        return batcher;
    }

    public ListTargets lists() {
        return lists;
    }

    public ChangeDetector changes() {
        return changes;
    }

    public RunOptions options() {
        return options;
    }

    /** The memberships a {@code listMode=mirror} sync manages; null when it only adds to lists. */
    public MembershipLedger memberships() {
        return memberships;
    }

    void manage(MembershipLedger ledger) {
        this.memberships = ledger;
    }

    /** Klaviyo acknowledged the removal of this many list memberships. */
    public void membershipsRemoved(int count) {
        counts.countRemoved(count);
    }

    /** A row of this identifier was read; kept when rows pass through the service ({@link ModelDepartures}). */
    public void identifierRead(String key) {
        // a dry run of a mirror sync shows the removals it would make, which need them
        if (key != null && (!dryRun || memberships != null) && !changes.comparesInWarehouse()) {
            identifiersRead.add(key);
        }
    }

    public IdentifiersRead identifiersRead() {
        return identifiersRead;
    }

    public void rowsRead(int rows) {
        counts.countRead(rows);
    }

    /**
     * Ends rows the warehouse compared with the stored fingerprints and found unchanged: they were
     * read (and counted read) but never left the warehouse.
     */
    public void unchangedInWarehouse(int rows) {
        counts.countUnchanged(rows);
    }

    /**
     * A row judged unchanged by its content whose model row has a new row fingerprint: recorded
     * with the fingerprints, so that the warehouse tells it unchanged next time (nothing in a dry run).
     */
    public void rowFingerprintChanged(String key, long fingerprint, long rowFingerprint) {
        if (dryRun) {
            return;
        }
        synchronized (uncommittedFingerprints) {
            uncommittedFingerprints.add(FingerprintChange.rowFingerprint(key, fingerprint, rowFingerprint));
        }
    }

    /** Ends a row that never went in flight (invalid, unchanged, rejected before sending). */
    public void settle(String identifierValue, RowOutcome outcome, String field, String code, String reason) {
        settle(identifierValue, outcome, field, code, reason, null);
    }

    /** As above, with Klaviyo's own error detail for a rejection. */
    public void settle(String identifierValue, RowOutcome outcome, String field, String code, String reason,
            String detail) {
        counts.count(outcome);
        MembershipLedger ledger = memberships;
        if (ledger != null) {
            ledger.ended(identifierValue, outcome);
        }
        if (outcome != RowOutcome.SENT && outcome != RowOutcome.UNCHANGED && outcome != RowOutcome.WOULD_SEND) {
            synchronized (unstoredResults) {
                unstoredResults.add(new RowResult(identifierValue, outcome, field, code, reason, detail));
            }
        }
    }

    /** Puts a row in flight in {@code parts} jobs; false when a row with the same key already is. */
    public boolean track(String key, int parts) {
        InFlightRow row = new InFlightRow();
        row.remainingParts = parts;
        return inFlight.putIfAbsent(key, row) == null;
    }

    /**
     * Puts a row in flight with the fingerprint of its content, which is committed once Klaviyo
     * acknowledged every part; false when a row with the same key already is in flight.
     */
    public boolean track(String key, int parts, long fingerprint) {
        return track(key, parts, fingerprint, null);
    }

    /** As above, with the warehouse's fingerprint of the model row (null: none), stored with the content's. */
    public boolean track(String key, int parts, long fingerprint, Long rowFingerprint) {
        InFlightRow row = new InFlightRow();
        row.remainingParts = parts;
        row.fingerprint = fingerprint;
        row.rowFingerprint = rowFingerprint;
        row.tracksContent = true;
        return inFlight.putIfAbsent(key, row) == null;
    }

    public void partAcknowledged(String key) {
        part(key, RowOutcome.SENT, null, null);
    }

    public void partRejected(String key, String code, String reason) {
        part(key, RowOutcome.REJECTED, code, reason);
    }

    public void partDeferred(String key, String reason) {
        part(key, RowOutcome.DEFERRED, null, reason);
    }

    /** Dry run: one part of each of these rows was written to the dry-run file instead of being sent. */
    public void partsWouldSend(List<String> keys) {
        for (String key : keys) {
            part(key, RowOutcome.WOULD_SEND, null, null);
        }
    }

    /** Defers one part of each of these rows (a batch or a job that will not be settled). */
    public void partsDeferred(List<String> keys, String reason) {
        for (String key : keys) {
            partDeferred(key, reason);
        }
    }

    private void part(String key, RowOutcome outcome, String code, String reason) {
        InFlightRow row = inFlight.get(key);
        if (row == null) {
            return;
        }
        boolean done;
        synchronized (row) {
            if (rank(outcome) > rank(row.worst)) {
                row.worst = outcome;
                row.code = code;
                row.reason = reason;
            }
            row.remainingParts--;
            done = row.remainingParts <= 0;
        }
        if (done && inFlight.remove(key, row)) {
            end(key, row, row.worst, row.reason);
        }
    }

    private void end(String key, InFlightRow row, RowOutcome outcome, String reason) {
        if (outcome == RowOutcome.REJECTED && row.code != null) {
            settle(key, outcome, null, row.code, "sync '" + syncId() + "' row '" + key + "': Klaviyo rejected the " + sync.kind().noun() + " ("
                    + row.code + "): " + row.reason, row.reason);
        } else {
            settle(key, outcome, null, row.code, reason);
        }
        if (dryRun || !row.tracksContent) {
            return;
        }
        FingerprintChange change = switch (outcome) {
            case SENT -> FingerprintChange.acknowledged(key, row.fingerprint, row.rowFingerprint);
            case REJECTED -> FingerprintChange.rejected(key, row.fingerprint, row.code, row.reason);
            default -> FingerprintChange.forget(key);
        };
        synchronized (uncommittedFingerprints) {
            uncommittedFingerprints.add(change);
        }
    }

    /** The fingerprint changes of rows that ended since the last call, for the store. */
    public List<FingerprintChange> drainFingerprints() {
        synchronized (uncommittedFingerprints) {
            List<FingerprintChange> out = List.copyOf(uncommittedFingerprints);
            uncommittedFingerprints.clear();
            return out;
        }
    }

    public int uncommittedFingerprintCount() {
        synchronized (uncommittedFingerprints) {
            return uncommittedFingerprints.size();
        }
    }

    private static int rank(RowOutcome o) {
        return switch (o) {
            case REJECTED -> 3;
            case DEFERRED -> 2;
            case WOULD_SEND -> 1;
            default -> 0;
        };
    }

    /** Defers every row still in flight (end of a failed or interrupted run). */
    public void deferInFlight(String reason) {
        for (String key : List.copyOf(inFlight.keySet())) {
            InFlightRow row = inFlight.remove(key);
            if (row != null) {
                RowOutcome outcome = row.worst == RowOutcome.REJECTED ? RowOutcome.REJECTED : RowOutcome.DEFERRED;
                end(key, row, outcome, outcome == RowOutcome.REJECTED ? row.reason : reason);
            }
        }
    }

    public int inFlightRows() {
        return inFlight.size();
    }

    public synchronized void addPendingJob(PendingJob job) {
        pendingJobs.addLast(job);
    }

    public synchronized PendingJob nextPendingJob() {
        return pendingJobs.pollFirst();
    }

    /** Takes, oldest first, the pending jobs {@code taken} picks (it must not block). */
    public synchronized List<PendingJob> takePendingJobs(java.util.function.Predicate<PendingJob> taken) {
        List<PendingJob> out = new ArrayList<>();
        pendingJobs.removeIf(job -> taken.test(job) && out.add(job));
        return out;
    }

    public synchronized int pendingJobCount() {
        return pendingJobs.size();
    }

    public List<RowResult> drainResults() {
        synchronized (unstoredResults) {
            List<RowResult> out = List.copyOf(unstoredResults);
            unstoredResults.clear();
            return out;
        }
    }

    public int unstoredResultCount() {
        synchronized (unstoredResults) {
            return unstoredResults.size();
        }
    }

    /**
     * Asks the run to stop (the service is stopping, or the run lost its lock): it fails with
     * {@code reason}, and whatever waits on Klaviyo for it (pending jobs) stops waiting.
     */
    public void stop(String reason) {
        stopping = true;
        fail(reason);
    }

    /** Whether the run was asked to stop: nothing should wait on Klaviyo for it any more. */
    public boolean stopping() {
        return stopping;
    }

    /** The run's summary once it was closed (stored in the history), else null. */
    public synchronized RunSummary summary() {
        return summary;
    }

    synchronized void closedAs(RunSummary summary) {
        this.summary = summary;
    }

    public void fail(String reason) {
        if (failure == null) {
            failedAtNanos = System.nanoTime();
            failure = reason;
        }
        synchronized (deliveries) {
            deliveries.notifyAll();
        }
    }

    /** A batch was handed to the bulk import submitters; {@link #batchDelivered()} follows when they are done with it. */
    public void batchHandedOver() {
        synchronized (deliveries) {
            batchesOutstanding++;
        }
    }

    /** The submitters are done with a batch: submitted, deferred or dead-lettered. */
    public void batchDelivered() {
        synchronized (deliveries) {
            batchesOutstanding--;
            deliveries.notifyAll();
        }
    }

    /**
     * Waits until the submitters are done with every batch handed over. Once the run has failed it
     * waits at most {@code patience} after the failure (the submitters defer a failed run's
     * batches at once, so that only runs out when they were stopped); returns whether every batch
     * was done.
     */
    public boolean awaitDeliveries(Duration patience) throws InterruptedException {
        synchronized (deliveries) {
            while (batchesOutstanding > 0) {
                if (failed() && System.nanoTime() - failedAtNanos > patience.toNanos()) {
                    return false;
                }
                deliveries.wait(200);
            }
            return true;
        }
    }

    public int batchesOutstanding() {
        synchronized (deliveries) {
            return batchesOutstanding;
        }
    }

    /** The rows' null values still to clear ({@code nulls=clear}). */
    public NullClears nullClears() {
        return nullClears;
    }

    /** The consent changes of the run's rows in flight. */
    public ConsentChanges consentChanges() {
        return consentChanges;
    }

    public boolean failed() {
        return failure != null;
    }

    public String failure() {
        return failure;
    }
}
