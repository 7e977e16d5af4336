package org.klaviyosync.state;

/**
 * A row whose content Klaviyo rejected, as stored: the fingerprint of that content, Klaviyo's
 * code and detail, and the run that sent it.
 */
public record StoredRejection(long fingerprint, String code, String detail, long runId) {
}
