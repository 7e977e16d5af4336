package org.klaviyosync.klaviyo;

/**
 * A profile Klaviyo refused before importing.
 *
 * @param code   Klaviyo's error code (e.g. {@code invalid}), or a local code such as {@code too_large}
 * @param detail Klaviyo's reason, prefixed with the offending field when its pointer names one
 *               (e.g. {@code attributes.email: Invalid email address})
 */
public record RejectedProfile(String rowKey, String code, String detail) {
}
