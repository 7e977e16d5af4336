package org.klaviyosync.state;

import java.time.Instant;

/** One run of one sync as stored in the history. */
public record RunRecord(long runId, String syncId, Instant startedAt, Instant endedAt, String status, boolean dryRun,
        long read, long sent, long unchanged, long invalid, long rejected, long deferred, String error) {
}
