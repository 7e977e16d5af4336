package org.klaviyosync.run;

/**
 * How a run ended, as printed by {@code run --json} and stored in the history.
 *
 * @param status {@code completed}, {@code failed} or {@code dry_run}
 * @param wouldSend dry run only: rows written to the dry-run file, which a real run would have sent
 * @param removed   list memberships removed ({@code listMode=mirror}), counted apart from the rows
 */
public record RunSummary(String sync, long runId, String status, boolean dryRun, long read, long sent, long unchanged,
        long invalid, long rejected, long deferred, long durationMs, String error, String dryRunFile, long wouldSend,
        long removed) {

    public RunSummary(String sync, long runId, String status, boolean dryRun, long read, long sent, long unchanged,
            long invalid, long rejected, long deferred, long durationMs, String error, String dryRunFile,
            long wouldSend) {
        this(sync, runId, status, dryRun, read, sent, unchanged, invalid, rejected, deferred, durationMs, error,
                dryRunFile, wouldSend, 0);
    }

    public RunSummary(String sync, long runId, String status, boolean dryRun, long read, long sent, long unchanged,
            long invalid, long rejected, long deferred, long durationMs, String error, String dryRunFile) {
        this(sync, runId, status, dryRun, read, sent, unchanged, invalid, rejected, deferred, durationMs, error,
                dryRunFile, 0);
    }

    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String DRY_RUN = "dry_run";

    public boolean failed() {
        return FAILED.equals(status);
    }
}
