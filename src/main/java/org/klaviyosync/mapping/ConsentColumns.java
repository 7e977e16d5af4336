package org.klaviyosync.mapping;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import org.klaviyosync.config.ConsentFields;

/**
 * Reads a row's consent columns ({@code emailConsent}, {@code smsConsent}, {@code consentedAtColumn}).
 * A consent column holds true, false or NULL (a boolean, or the text true/false); anything else makes
 * the row invalid, and so does a channel set for a row without that channel's address (Klaviyo
 * subscribes an email address or a phone number, not a profile id). With {@code consentedAtColumn},
 * a subscribed row needs a past date and time there: Klaviyo refuses a historical consent without one.
 */
final class ConsentColumns {

    /** The row's consent, or why it cannot be sent. */
    record Reading(ConsentValues values, RowProblem problem) {
    }

    private final ConsentFields fields;
    private final ColumnValueConverter converter;

    ConsentColumns(ConsentFields fields, ColumnValueConverter converter) {
        this.fields = fields;
        this.converter = converter;
    }

    /** The consent of {@code row}, whose profile has the email and phone number given (null when it has none). */
    Reading read(Map<String, Object> row, String email, String phoneNumber) {
        Boolean emailConsent = null;
        Boolean smsConsent = null;
        if (fields.emailColumn() != null) {
            Object value = ProfilePayloadMapper.lookup(row, fields.emailColumn());
            RowProblem problem = flagProblem(fields.emailColumn(), "emailConsent", value);
            if (problem != null) {
                return new Reading(null, problem);
            }
            emailConsent = flag(value);
            if (emailConsent != null && email == null) {
                return new Reading(null, new RowProblem(fields.emailColumn(), "column '" + fields.emailColumn()
                        + "' (emailConsent) is " + emailConsent + ", but the row has no email to "
                        + (emailConsent ? "subscribe" : "unsubscribe")));
            }
        }
        if (fields.smsColumn() != null) {
            Object value = ProfilePayloadMapper.lookup(row, fields.smsColumn());
            RowProblem problem = flagProblem(fields.smsColumn(), "smsConsent", value);
            if (problem != null) {
                return new Reading(null, problem);
            }
            smsConsent = flag(value);
            if (smsConsent != null && phoneNumber == null) {
                return new Reading(null, new RowProblem(fields.smsColumn(), "column '" + fields.smsColumn()
                        + "' (smsConsent) is " + smsConsent + ", but the row has no phone number to "
                        + (smsConsent ? "subscribe" : "unsubscribe")));
            }
        }
        String consentedAt = null;
        if (fields.consentedAtColumn() != null
                && (Boolean.TRUE.equals(emailConsent) || Boolean.TRUE.equals(smsConsent))) {
            String column = fields.consentedAtColumn();
            Object value = ProfilePayloadMapper.lookup(row, column);
            if (value == ProfilePayloadMapper.MISSING) {
                return new Reading(null, new RowProblem(column, "column '" + column
                        + "' (consentedAtColumn) is not in the row"));
            }
            ConvertedValue text = converter.toText(column, value);
            if (!text.ok()) {
                return new Reading(null, text.problem());
            }
            if (text.isNull()) {
                return new Reading(null, new RowProblem(column, "column '" + column + "' (consentedAtColumn) is"
                        + " NULL, but Klaviyo needs the time a historical consent was given"));
            }
            Instant at = instant(text.value().textValue().trim());
            if (at == null) {
                return new Reading(null, new RowProblem(column, "column '" + column + "' (consentedAtColumn)"
                        + " holds '" + text.value().textValue() + "', which is not a date and time"));
            }
            if (at.isAfter(Instant.now())) {
                return new Reading(null, new RowProblem(column, "column '" + column + "' (consentedAtColumn)"
                        + " holds " + at + ", in the future; Klaviyo takes a historical consent given in the past"));
            }
            consentedAt = at.toString();
        }
        return new Reading(new ConsentValues(emailConsent == null ? null : email,
                smsConsent == null ? null : phoneNumber, emailConsent, smsConsent, consentedAt), null);
    }

    private static RowProblem flagProblem(String column, String parameter, Object value) {
        if (value == ProfilePayloadMapper.MISSING) {
            return new RowProblem(column, "column '" + column + "' (" + parameter + ") is not in the row");
        }
        if (value == null || value instanceof Boolean || flag(value) != null) {
            return null;
        }
        String shown = String.valueOf(value);
        return new RowProblem(column, "column '" + column + "' (" + parameter + ") holds '"
                + (shown.length() > 40 ? shown.substring(0, 40) + "..." : shown)
                + "'; consent is true (subscribe), false (unsubscribe) or NULL (leave alone)");
    }

    /** TRUE, FALSE, or null for NULL and for a value that is neither. */
    private static Boolean flag(Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "true" -> {
                    return Boolean.TRUE;
                }
                case "false" -> {
                    return Boolean.FALSE;
                }
                default -> {
                    return null;
                }
            }
        }
        return null;
    }

    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
