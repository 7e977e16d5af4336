package org.klaviyosync.state;

/** Where a row of a run ended. Every row read ends in exactly one. */
public enum RowOutcome {
    /** Acknowledged by Klaviyo. */
    SENT,
    /** Same as what Klaviyo last acknowledged; no call made. */
    UNCHANGED,
    /** Caught before sending (bad value, missing identifier, ...). */
    INVALID,
    /** Refused by Klaviyo, with Klaviyo's reason. */
    REJECTED,
    /** Not settled in this run (outage, retries exhausted, shutdown); retried by the next run. */
    DEFERRED,
    /** Dry run: written to the dry-run file, would have been sent. */
    WOULD_SEND;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
