package org.klaviyosync.state;

import java.time.Instant;

/**
 * One run of one sync as stored in the history; {@code wouldSend} counts a dry run's rows it would
 * have sent, {@code removed} the list memberships a mirror sync removed.
 */
public record RunRecord(long runId, String syncId, Instant startedAt, Instant endedAt, String status, boolean dryRun,
        long read, long sent, long unchanged, long invalid, long rejected, long deferred, String error, long wouldSend,
        long removed) {

    public RunRecord(long runId, String syncId, Instant startedAt, Instant endedAt, String status, boolean dryRun,
            long read, long sent, long unchanged, long invalid, long rejected, long deferred, String error,
            long wouldSend) {
        this(runId, syncId, startedAt, endedAt, status, dryRun, read, sent, unchanged, invalid, rejected, deferred,
                error, wouldSend, 0);
    }

    public RunRecord(long runId, String syncId, Instant startedAt, Instant endedAt, String status, boolean dryRun,
            long read, long sent, long unchanged, long invalid, long rejected, long deferred, String error) {
        this(runId, syncId, startedAt, endedAt, status, dryRun, read, sent, unchanged, invalid, rejected, deferred, error,
                0);
    }
}
