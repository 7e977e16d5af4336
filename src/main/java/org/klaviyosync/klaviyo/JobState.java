package org.klaviyosync.klaviyo;

import java.time.Instant;

/**
 * A bulk import job as Klaviyo reports it.
 *
 * @param status      {@code queued}, {@code processing}, {@code complete} or {@code cancelled}
 * @param createdAt   null if Klaviyo sent none
 * @param completedAt null until the job completes
 */
public record JobState(String jobId, String status, int totalCount, int completedCount, int failedCount,
                       Instant createdAt, Instant completedAt) {

    public static final String COMPLETE = "complete";
    public static final String CANCELLED = "cancelled";

    /** Complete or cancelled: the job will not change any more. */
    public boolean isFinished() {
        return COMPLETE.equals(status) || CANCELLED.equals(status);
    }
}
