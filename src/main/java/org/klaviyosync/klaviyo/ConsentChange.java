package org.klaviyosync.klaviyo;

import java.util.Objects;

/**
 * One row's marketing consent to send after its profile's import was acknowledged: per channel,
 * {@code TRUE} subscribes, {@code FALSE} unsubscribes, null leaves it alone. Klaviyo finds the
 * profile by the channel's own address, so a channel that changes needs it.
 *
 * @param rowKey      the row's key, to settle it
 * @param email       the profile's email (needed when {@code emailConsent} is set); may be null
 * @param phoneNumber the profile's phone number in E.164 (needed when {@code smsConsent} is set); may be null
 * @param emailConsent email marketing: subscribe, unsubscribe or null
 * @param smsConsent  SMS marketing: subscribe, unsubscribe or null
 * @param consentedAt historical consent: when it was given (ISO 8601 with offset); null for a consent given now
 */
public record ConsentChange(String rowKey, String email, String phoneNumber, Boolean emailConsent,
        Boolean smsConsent, String consentedAt) {

    public ConsentChange {
        Objects.requireNonNull(rowKey, "rowKey");
        if (emailConsent != null) {
            Objects.requireNonNull(email, "email consent needs the profile's email");
        }
        if (smsConsent != null) {
            Objects.requireNonNull(phoneNumber, "SMS consent needs the profile's phone number");
        }
    }

    /** Whether any channel is subscribed. */
    public boolean subscribes() {
        return Boolean.TRUE.equals(emailConsent) || Boolean.TRUE.equals(smsConsent);
    }

    /** Whether any channel is unsubscribed. */
    public boolean unsubscribes() {
        return Boolean.FALSE.equals(emailConsent) || Boolean.FALSE.equals(smsConsent);
    }

    /** Whether the row changes any consent at all. */
    public boolean any() {
        return emailConsent != null || smsConsent != null;
    }
}
