package org.klaviyosync.klaviyo;

import java.util.List;

/**
 * How a bulk import job ended, as far as {@link org.klaviyosync.pipeline.BulkJobSettler} waited.
 *
 * @param state    the last state read
 * @param errors   per-profile import errors (fetched for complete jobs with failures)
 * @param timedOut true when the job had not finished before the timeout
 */
public record JobOutcome(JobState state, List<ImportError> errors, boolean timedOut) {

    public JobOutcome {
        errors = List.copyOf(errors);
    }
}
