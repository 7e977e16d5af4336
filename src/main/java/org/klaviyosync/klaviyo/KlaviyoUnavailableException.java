package org.klaviyosync.klaviyo;

/**
 * Klaviyo gave no usable answer: retries of 429, 5xx or I/O failures were exhausted, a 5xx that is
 * not worth retrying came back, or the wait before a retry was interrupted.
 */
public class KlaviyoUnavailableException extends RuntimeException {

    private final String endpoint;
    private final int lastStatus;
    private final int attempts;
    private final boolean outcomeUnknown;

    /**
     * @param lastStatus     last HTTP status, or {@link KlaviyoCallEvent#NO_ANSWER} after an I/O error
     * @param outcomeUnknown true when the last request may have reached Klaviyo and been processed
     *                       (I/O error or 5xx), false when it surely was not (429)
     */
    public KlaviyoUnavailableException(String message, String endpoint, int lastStatus, int attempts,
                                       boolean outcomeUnknown, Throwable cause) {
        super(message, cause);
        this.endpoint = endpoint;
        this.lastStatus = lastStatus;
        this.attempts = attempts;
        this.outcomeUnknown = outcomeUnknown;
    }

    /** Method and path of the call, e.g. {@code POST /api/lists}. */
    public String endpoint() {
        return endpoint;
    }

    /** Last HTTP status, or {@link KlaviyoCallEvent#NO_ANSWER} when the last attempt got no answer. */
    public int lastStatus() {
        return lastStatus;
    }

    public int attempts() {
        return attempts;
    }

    /** Whether the last request may still have been carried out by Klaviyo. */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
