package org.klaviyosync.mapping;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

/**
 * Phone numbers as Klaviyo takes them: E.164, that is {@code +}, a non-zero digit, then 1 to 14 more
 * digits ({@code ^\+[1-9]\d{1,14}$}).
 *
 * <p>Without a region only E.164 is accepted, as written, and only a number libphonenumber finds
 * valid for its country ({@code +331555010001} has the shape but is no French number; Klaviyo
 * refuses it). With a region (the sync parameter
 * {@code phoneRegion}, e.g. {@code US}), text that is not already E.164 is read with Google's
 * libphonenumber as a number of that region ({@code (415) 555-2671}, {@code 0612345678} for
 * {@code FR}, or an international form such as {@code +44 20 7946 0958}) and, when it is a valid
 * number, written in E.164. Thread-safe.
 */
public final class PhoneNumber {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /** Longer text is not parsed: no phone number is written with more characters than this. */
    private static final int MAX_PARSE_LENGTH = 64;

    /**
     * The outcome of {@link #normalize(String, String)}.
     *
     * @param e164    the number in E.164; null on a problem
     * @param problem why the text is not a phone number Klaviyo accepts, without the text itself;
     *                null when it is
     */
    public record Normalized(String e164, String problem) {

        public boolean ok() {
            return problem == null;
        }
    }

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

    /**
     * The trimmed {@code text} in E.164. E.164 text is accepted as it is; with {@code region}
     * (ISO 3166 code, upper case) other text is parsed as a number of that region and must be
     * a valid number there; without it, anything else is a problem.
     */
    public static Normalized normalize(String text, String region) {
        String s = text == null ? "" : text.trim();
        if (isE164(s)) {
            // Klaviyo checks E.164 numbers with libphonenumber too: the shape alone is not enough
            return valid(s) ? new Normalized(s, null) : new Normalized(null, invalidReason(s));
        }
        if (region == null) {
            return new Normalized(null, "is not a phone number in E.164 format (+ and country code, e.g. +15005550006);"
                    + " set the sync's phoneRegion to accept national formats");
        }
        if (s.isEmpty() || s.length() > MAX_PARSE_LENGTH) {
            return new Normalized(null, "is not a phone number (" + (s.isEmpty() ? "empty" : "too long") + ")");
        }
        Phonenumber.PhoneNumber parsed;
        try {
            parsed = UTIL.parse(s, region);
        } catch (NumberParseException e) {
            return new Normalized(null, "is not a phone number of region " + region + " nor in E.164 format ("
                    + describe(e.getErrorType()) + ")");
        }
        if (!UTIL.isValidNumber(parsed)) {
            String where = UTIL.getRegionCodeForNumber(parsed);
            return new Normalized(null, "is not a valid phone number" + (where == null
                    ? " (no numbering plan matches it; region " + region + ")"
                    : " for region " + where + " (wrong length or prefix)"));
        }
        String e164 = UTIL.format(parsed, PhoneNumberUtil.PhoneNumberFormat.E164);
        return isE164(e164) ? new Normalized(e164, null)
                : new Normalized(null, "is not a phone number that can be written in E.164");
    }

    private static boolean valid(String e164) {
        try {
            return UTIL.isValidNumber(UTIL.parse(e164, null));
        } catch (NumberParseException e) {
            return false;
        }
    }

    private static String invalidReason(String e164) {
        String where;
        try {
            where = UTIL.getRegionCodeForNumber(UTIL.parse(e164, null));
        } catch (NumberParseException e) {
            where = null;
        }
        return "is in E.164 format but not a valid phone number" + (where == null
                ? " (no country's numbering plan matches it)" : " for region " + where + " (wrong length or prefix)");
    }

    /** The country calling code of {@code region} ({@code 1} for US), as digits; null for an unknown region. */
    public static String countryCode(String region) {
        int code = UTIL.getCountryCodeForRegion(region);
        return code == 0 ? null : Integer.toString(code);
    }

    /** The national (trunk) prefix of {@code region} ({@code 1} for US, {@code 0} for FR), digits only; null if none. */
    public static String nationalPrefix(String region) {
        String prefix = UTIL.getNddPrefixForRegion(region, true);
        return prefix == null || prefix.isEmpty() || !prefix.chars().allMatch(c -> c >= '0' && c <= '9') ? null : prefix;
    }

    private static String describe(NumberParseException.ErrorType type) {
        return switch (type) {
            case INVALID_COUNTRY_CODE -> "unknown country code";
            case NOT_A_NUMBER -> "not a number";
            case TOO_SHORT_AFTER_IDD, TOO_SHORT_NSN -> "too short";
            case TOO_LONG -> "too long";
        };
    }
}
