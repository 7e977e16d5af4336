package org.klaviyosync.run;

/**
 * A run could not start because the sync is already running, in this process or in another
 * instance sharing the bookkeeping database. Nothing was recorded: it is not a failed run.
 */
public final class SyncBusyException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public SyncBusyException(String message) {
        super(message);
    }
}
