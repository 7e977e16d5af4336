package org.klaviyosync.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.apache.camel.health.HealthCheck;
import org.junit.jupiter.api.Test;
import org.klaviyosync.run.RunSummary;

class SyncHealthCheckTest {

    private static RunSummary run(long id, String status) {
        return new RunSummary("s", id, status, false, 1, 1, 0, 0, 0, 0, 5,
                RunSummary.FAILED.equals(status) ? "boom" : null, null);
    }

    @Test
    void goesDownOnlyAfterTheThresholdOfFailedRunsInARowAndUpAgainAfterASuccess() {
        SyncHealthCheck check = new SyncHealthCheck("s", 3);
        assertEquals(HealthCheck.State.UP, check.call(Map.of()).getState(), "no run yet");
        check.runEnded(run(1, RunSummary.FAILED));
        check.runEnded(run(2, RunSummary.FAILED));
        assertEquals(HealthCheck.State.UP, check.call(Map.of()).getState());
        check.runEnded(run(3, RunSummary.FAILED));
        HealthCheck.Result down = check.call(Map.of());
        assertEquals(HealthCheck.State.DOWN, down.getState());
        assertEquals("last run 3 failed, 3 failed in a row (down at 3)", down.getMessage().orElseThrow());
        check.runEnded(run(4, RunSummary.COMPLETED));
        assertEquals(HealthCheck.State.UP, check.call(Map.of()).getState());
    }
}
