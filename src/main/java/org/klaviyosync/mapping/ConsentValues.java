package org.klaviyosync.mapping;

/**
 * A row's marketing consent as its consent columns say it: per channel {@code TRUE} (subscribe),
 * {@code FALSE} (unsubscribe) or null (leave alone), with the addresses Klaviyo finds the profile by.
 *
 * @param email        the profile's email as sent; set when {@code emailConsent} is
 * @param phoneNumber  the profile's phone number in E.164; set when {@code smsConsent} is
 * @param emailConsent email marketing, or null
 * @param smsConsent   SMS marketing, or null
 * @param consentedAt  historical consent: when it was given, ISO 8601 in UTC; null otherwise
 */
public record ConsentValues(String email, String phoneNumber, Boolean emailConsent, Boolean smsConsent,
        String consentedAt) {

    /** What the fingerprint holds of it: the consent itself (the addresses are in the profile). */
    public String fingerprintText() {
        return "email=" + emailConsent + ";sms=" + smsConsent + ";at=" + consentedAt;
    }

    /** Whether any channel changes. */
    public boolean any() {
        return emailConsent != null || smsConsent != null;
    }
}
