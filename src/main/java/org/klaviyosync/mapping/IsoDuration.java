package org.klaviyosync.mapping;

import java.math.BigDecimal;
import org.postgresql.util.PGInterval;

/**
 * PostgreSQL {@code interval} values as ISO 8601 durations: {@code 1 day 02:00:00} becomes
 * {@code P1DT2H}, {@code 1 year 2 mons} {@code P1Y2M}, zero {@code PT0S}. Each part keeps its own
 * sign, as PostgreSQL allows ({@code -1 days +02:00:00} becomes {@code P-1DT2H}); fractions of a
 * second are kept ({@code PT0.5S}).
 */
final class IsoDuration {

    private IsoDuration() {
    }

    /** The ISO 8601 form of the driver's interval text; the text itself when it cannot be read. */
    static String ofPostgresInterval(String text) {
        PGInterval interval;
        try {
            interval = new PGInterval(text);
        } catch (java.sql.SQLException | RuntimeException e) {
            return text;
        }
        StringBuilder date = new StringBuilder("P");
        part(date, interval.getYears(), 'Y');
        part(date, interval.getMonths(), 'M');
        part(date, interval.getDays(), 'D');
        StringBuilder time = new StringBuilder();
        part(time, interval.getHours(), 'H');
        part(time, interval.getMinutes(), 'M');
        int whole = interval.getWholeSeconds();
        int micros = interval.getMicroSeconds();
        if (whole != 0 || micros != 0) {
            BigDecimal seconds = BigDecimal.valueOf(whole).add(BigDecimal.valueOf(micros, 6)).stripTrailingZeros();
            time.append(seconds.toPlainString()).append('S');
        }
        if (time.length() > 0) {
            date.append('T').append(time);
        }
        return date.length() == 1 ? "PT0S" : date.toString();
    }

    private static void part(StringBuilder sb, int value, char unit) {
        if (value != 0) {
            sb.append(value).append(unit);
        }
    }
}
