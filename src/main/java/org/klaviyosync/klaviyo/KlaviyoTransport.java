package org.klaviyosync.klaviyo;

import java.io.IOException;

/**
 * Sends one request to Klaviyo and returns its answer, whatever the status. Adds the auth,
 * {@code revision}, content type and accept headers and applies the rate-limit bucket's pacing.
 * Throws {@link IOException} when no answer came (timeout, refused or dropped connection).
 */
public interface KlaviyoTransport {

    KlaviyoResponse exchange(KlaviyoRequest request) throws IOException;
}
