package org.klaviyosync.klaviyo;

import java.util.List;

/**
 * Klaviyo answered a call that should have succeeded with a 4xx that is not about a single
 * profile or list reference (e.g. a vanished bulk job), or with a body that could not be read.
 */
public class KlaviyoRequestException extends RuntimeException {

    private final int status;
    private final List<ApiError> errors;

    public KlaviyoRequestException(String message, int status, List<ApiError> errors) {
        super(message);
        this.status = status;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public int status() {
        return status;
    }

    public List<ApiError> errors() {
        return errors;
    }
}
