package org.klaviyosync.config;

/**
 * What an event sync reads from each row besides the profile identifier and the properties.
 *
 * @param metric        the Klaviyo metric name of every event; null when {@code metricColumn} gives it
 * @param metricColumn  the column holding each event's metric name; null when {@code metric} is set
 * @param eventIdColumn the column holding each event's unique id (Klaviyo's {@code unique_id})
 * @param timeColumn    the column holding when the event happened; null: when Klaviyo receives it
 * @param valueColumn   the column holding the event's numeric value; null: none
 * @param cursorColumn  the column whose last value a run reached bounds the next run's model; null: none
 */
public record EventFields(String metric, String metricColumn, String eventIdColumn, String timeColumn,
        String valueColumn, String cursorColumn) {
}
