package org.klaviyosync.warehouse;

/**
 * How the warehouse computes a row's identifier key: the value Klaviyo matches profiles on, as the
 * mapper sends it, so that rows Klaviyo would take for one profile share a key.
 *
 * <ul>
 *   <li>{@link Kind#EXACT} (external id): the text, trimmed, compared byte for byte.</li>
 *   <li>{@link Kind#EMAIL}: the text, trimmed and lower-cased.</li>
 *   <li>{@link Kind#PHONE}: the digits of the number in E.164, without the {@code +}: text whose
 *       first digit-or-plus is {@code +} gives its digits; other text (a national format) gives
 *       {@code phoneCountryCode} then its digits, less {@code phoneNationalPrefix} when they start
 *       with it.</li>
 * </ul>
 *
 * @param kind                how the identifier is normalised
 * @param phoneCountryCode    for phones with a region, its country calling code ({@code 1} for US);
 *                            null without a region (only E.164 is accepted then)
 * @param phoneNationalPrefix for phones with a region, its national (trunk) prefix ({@code 1} for
 *                            US, {@code 0} for FR); null when it has none
 */
public record IdentifierKey(Kind kind, String phoneCountryCode, String phoneNationalPrefix) {

    public enum Kind {
        EXACT, EMAIL, PHONE
    }

    public IdentifierKey {
        requireDigits(phoneCountryCode);
        requireDigits(phoneNationalPrefix);
    }

    public static IdentifierKey exact() {
        return new IdentifierKey(Kind.EXACT, null, null);
    }

    public static IdentifierKey email() {
        return new IdentifierKey(Kind.EMAIL, null, null);
    }

    public static IdentifierKey phone(String countryCode, String nationalPrefix) {
        return new IdentifierKey(Kind.PHONE, countryCode, nationalPrefix == null || nationalPrefix.isEmpty()
                ? null : nationalPrefix);
    }

    /** These go into SQL text: digits only. */
    private static void requireDigits(String value) {
        if (value != null && !value.matches("[0-9]+")) {
            throw new IllegalArgumentException("not digits: " + value);
        }
    }
}
