package org.klaviyosync.cli;

/** The process exit codes, a public contract for scripts. */
public final class ExitCodes {

    /** Every run completed (rejected rows do not make a run fail); every check passed. */
    public static final int OK = 0;
    /** A run failed, or a check of the warehouse or Klaviyo failed. */
    public static final int RUN_FAILED = 1;
    /** A configuration or usage error. */
    public static final int CONFIGURATION = 2;

    private ExitCodes() {
    }
}
