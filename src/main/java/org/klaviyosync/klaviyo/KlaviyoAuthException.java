package org.klaviyosync.klaviyo;

import java.util.List;

/**
 * Klaviyo refused the API key (401) or the key lacks a scope (403). Messages never contain the key.
 */
public class KlaviyoAuthException extends RuntimeException {

    private final int status;
    private final String endpoint;
    private final String missingScope;
    private final List<ApiError> errors;

    public KlaviyoAuthException(String message, int status, String endpoint, String missingScope,
                                List<ApiError> errors) {
        super(message);
        this.status = status;
        this.endpoint = endpoint;
        this.missingScope = missingScope;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** 401 or 403. */
    public int status() {
        return status;
    }

    /** Method and path of the refused call, e.g. {@code POST /api/lists}. */
    public String endpoint() {
        return endpoint;
    }

    /** The scope Klaviyo named as missing, or null when it named none (always null for 401). */
    public String missingScope() {
        return missingScope;
    }

    public List<ApiError> errors() {
        return errors;
    }

    /** Klaviyo's error code of the first error, or null. */
    public String code() {
        return errors.isEmpty() ? null : errors.get(0).code();
    }
}
