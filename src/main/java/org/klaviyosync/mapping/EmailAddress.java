package org.klaviyosync.mapping;

/**
 * A pragmatic check that a text has the shape of an email address Klaviyo accepts, done before
 * sending because one malformed address makes Klaviyo refuse a whole bulk import request.
 *
 * <p>The text must already be trimmed; its case is left alone. Accepted: one {@code @}; a local
 * part of 1 to 64 characters made of ASCII letters, digits, dots (not first, last or doubled) and
 * {@code !#$%&'*+-/=?^_`{|}~}; a domain of at least two dot-separated labels, each 1 to 63 ASCII
 * letters, digits or hyphens, not starting or ending with a hyphen, the last not all digits; 254
 * characters in all. Quoted local parts, IP-literal domains and non-ASCII addresses are refused
 * (write internationalised domains in their {@code xn--} form).
 */
public final class EmailAddress {

    static final int MAX_LENGTH = 254;
    static final int MAX_LOCAL_LENGTH = 64;
    private static final String LOCAL_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    private EmailAddress() {
    }

    /** Trims {@code raw}; null stays null. */
    public static String normalize(String raw) {
        return raw == null ? null : raw.trim();
    }

    public static boolean isValid(String email) {
        if (email == null || email.isEmpty() || email.length() > MAX_LENGTH) {
            return false;
        }
        int at = email.indexOf('@');
        if (at <= 0 || at > MAX_LOCAL_LENGTH || email.indexOf('@', at + 1) >= 0) {
            return false;
        }
        return validLocal(email, at) && validDomain(email, at + 1);
    }

    private static boolean validLocal(String s, int end) {
        if (s.charAt(0) == '.' || s.charAt(end - 1) == '.') {
            return false;
        }
        char previous = 0;
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (previous == '.') {
                    return false;
                }
            } else if (!isAsciiLetterOrDigit(c) && LOCAL_SPECIALS.indexOf(c) < 0) {
                return false;
            }
            previous = c;
        }
        return true;
    }

    private static boolean validDomain(String s, int start) {
        int length = s.length();
        if (start >= length) {
            return false;
        }
        int labels = 0;
        int labelStart = start;
        boolean lastAllDigits = true;
        for (int i = start; i <= length; i++) {
            if (i == length || s.charAt(i) == '.') {
                int labelLength = i - labelStart;
                if (labelLength == 0 || labelLength > 63
                        || s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
                    return false;
                }
                labels++;
                labelStart = i + 1;
                if (i < length) {
                    lastAllDigits = true;
                }
                continue;
            }
            char c = s.charAt(i);
            if (c != '-' && !isAsciiLetterOrDigit(c)) {
                return false;
            }
            if (c < '0' || c > '9') {
                lastAllDigits = false;
            }
        }
        return labels >= 2 && !lastAllDigits;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
