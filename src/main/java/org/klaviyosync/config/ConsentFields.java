package org.klaviyosync.config;

/**
 * A profile sync's marketing consent: the columns that say it per channel ({@code true} subscribes,
 * {@code false} unsubscribes, NULL leaves it alone), the list the consent goes through, and the
 * column holding when a historical consent was given.
 *
 * @param emailColumn       {@code emailConsent}: the column of email marketing consent; null when not synced
 * @param smsColumn         {@code smsConsent}: the column of SMS marketing consent; null when not synced
 * @param list              {@code consentList}, or the sync's one static list: a list name or id
 * @param consentedAtColumn {@code consentedAtColumn}: when set, consent is imported as historical; may be null
 */
public record ConsentFields(String emailColumn, String smsColumn, String list, String consentedAtColumn) {

    /** Whether the column is one of the consent columns (they are not profile properties). */
    public boolean ownsColumn(String column) {
        return column.equalsIgnoreCase(emailColumn == null ? "" : emailColumn)
                || column.equalsIgnoreCase(smsColumn == null ? "" : smsColumn)
                || column.equalsIgnoreCase(consentedAtColumn == null ? "" : consentedAtColumn);
    }
}
