package org.klaviyosync.mapping;

/**
 * The E.164 check Klaviyo applies to phone numbers: {@code +}, a non-zero digit, then 1 to 14 more
 * digits ({@code ^\+[1-9]\d{1,14}$}). The text must already be trimmed; nothing else is normalised.
 */
public final class PhoneNumber {

    private PhoneNumber() {
    }

    /** Trims {@code raw}; null stays null. */
    public static String normalize(String raw) {
        return raw == null ? null : raw.trim();
    }

    public static boolean isE164(String phone) {
        if (phone == null) {
            return false;
        }
        int length = phone.length();
        if (length < 3 || length > 16 || phone.charAt(0) != '+' || phone.charAt(1) < '1' || phone.charAt(1) > '9') {
            return false;
        }
        for (int i = 2; i < length; i++) {
            char c = phone.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
