package org.klaviyosync.observe;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.klaviyosync.run.RunSummary;

/**
 * One sync's last run: down once {@code threshold} runs in a row have failed, so one bad run
 * (a warehouse restart, a Klaviyo outage) does not page anyone.
 */
public final class SyncHealthCheck extends AbstractHealthCheck {

    private final String syncId;
    private final int threshold;
    private volatile RunSummary last;
    private volatile int failuresInARow;

    public SyncHealthCheck(String syncId, int threshold) {
        super("klaviyo-sync", "sync-" + syncId);
        this.syncId = syncId;
        this.threshold = threshold;
    }

    public String syncId() {
        return syncId;
    }

    /** Called when a run of this sync ends. */
    public synchronized void runEnded(RunSummary summary) {
        last = summary;
        failuresInARow = summary.failed() ? failuresInARow + 1 : 0;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        RunSummary s = last;
        if (s == null) {
            builder.up().message("no run since start");
            return;
        }
        builder.detail("last.run.id", s.runId()).detail("last.run.status", s.status())
                .detail("failed.runs.in.a.row", failuresInARow);
        String message = "last run " + s.runId() + " " + s.status() + ", " + failuresInARow + " failed in a row"
                + " (down at " + threshold + ")";
        if (failuresInARow >= threshold) {
            builder.down().message(message);
        } else {
            builder.up().message(message);
        }
    }
}
