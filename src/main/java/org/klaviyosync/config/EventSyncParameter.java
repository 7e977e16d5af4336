package org.klaviyosync.config;

import java.util.Optional;

/**
 * The parameters of the {@code klaviyo-event-sync} route template: the public contract of an
 * event sync file. The template in {@code routes/klaviyo-event-sync.yaml} declares the same names,
 * defaults and required-ness (SyncTemplateParametersTest holds them equal).
 */
public enum EventSyncParameter implements ParameterDeclaration {
    SYNC_ID("syncId", true, "name the sync, e.g. 'orders-placed'"),
    MODEL("model", true, "give the model's SQL, or file:models/<name>.sql"),
    SCHEDULE("schedule", false, null),
    METRIC("metric", false, null),
    METRIC_COLUMN("metricColumn", false, null),
    IDENTIFIER("identifier", true, "use external_id (recommended), email or phone_number"),
    IDENTIFIER_COLUMN("identifierColumn", true, "name the model column that holds the profile's identifier"),
    EVENT_ID_COLUMN("eventIdColumn", true, "name the model column holding each event's unique id"
            + " (Klaviyo keeps one event per id)"),
    TIME_COLUMN("timeColumn", false, null),
    VALUE_COLUMN("valueColumn", false, null),
    PROPERTIES("properties", true, "write '*' to send every other column as an event property, or"
            + " name=column pairs"),
    CURSOR_COLUMN("cursorColumn", false, null);

    private final String key;
    private final boolean required;
    private final String hint;

    EventSyncParameter(String key, boolean required, String hint) {
        this.key = key;
        this.required = required;
        this.hint = hint;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public boolean required() {
        return required;
    }

    @Override
    public Optional<String> defaultValue() {
        return Optional.empty();
    }

    @Override
    public String requiredHint() {
        return hint == null ? "set it" : hint;
    }
}
