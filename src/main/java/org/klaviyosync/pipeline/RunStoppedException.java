package org.klaviyosync.pipeline;

/** Stops reading the model once a run has failed or is asked to stop; the rows read so far are settled. */
public final class RunStoppedException extends RuntimeException {

    public RunStoppedException(String reason) {
        super(reason);
    }
}
