package org.klaviyosync.pipeline;

import java.sql.SQLException;
import org.klaviyosync.run.RunRegistry;
import org.klaviyosync.run.SyncRun;

/**
 * Stores the fingerprints of rows Klaviyo has answered for once enough of them are waiting, on
 * whichever thread settled them (the run's end stores the rest).
 */
public final class FingerprintCommits {

    private final RunRegistry runs;
    private final int batchSize;

    /** {@code batchSize}: fingerprints are stored once this many are waiting. */
    public FingerprintCommits(RunRegistry runs, int batchSize) {
        this.runs = runs;
        this.batchSize = Math.max(1, batchSize);
    }

    public void whenDue(SyncRun run) throws SQLException {
        if (run.uncommittedFingerprintCount() >= batchSize) {
            runs.commitFingerprints(run);
        }
    }
}
