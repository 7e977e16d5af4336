package org.klaviyosync.config;

import static org.klaviyosync.config.SyncValidator.problem;
import static org.klaviyosync.config.SyncValidator.trimmed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The event sync ({@code routes/klaviyo-event-sync.yaml}): each row is one event of a profile,
 * created through Klaviyo's bulk create events jobs. Events are append-only: an event id Klaviyo
 * acknowledged is never sent again.
 */
final class EventSyncKind implements SyncKind {

    /** Klaviyo: a metric name "must be less than 128 characters". */
    static final int MAX_METRIC_NAME = 127;
    /** Klaviyo: an event's properties "must not exceed 400 properties". */
    static final int MAX_PROPERTIES = 400;

    @Override
    public String templateId() {
        return "klaviyo-event-sync";
    }

    @Override
    public List<EventSyncParameter> parameters() {
        return Arrays.asList(EventSyncParameter.values());
    }

    @Override
    public String noun() {
        return "event";
    }

    @Override
    public String klaviyoRequest() {
        return "POST /api/event-bulk-create-jobs";
    }

    @Override
    public int rowsPerRequest() {
        return 1_000;
    }

    @Override
    public List<String> scopes() {
        return List.of("events:write");
    }

    @Override
    public SyncDefinition define(SyncValidator.Common common, SyncFileReader.SyncFile file, List<String> problems) {
        Map<String, String> p = file.parameters();
        Identifier identifier = SyncValidator.identifier(file, EventSyncParameter.IDENTIFIER, problems);
        String identifierColumn = trimmed(p.get(EventSyncParameter.IDENTIFIER_COLUMN.key()));
        String eventIdColumn = trimmed(p.get(EventSyncParameter.EVENT_ID_COLUMN.key()));

        String metric = optional(file, EventSyncParameter.METRIC, problems,
                "give the Klaviyo metric name, e.g. 'Placed Order', or remove it and set metricColumn");
        String metricColumn = optional(file, EventSyncParameter.METRIC_COLUMN, problems,
                "name the column holding each event's metric name, or remove it and set metric");
        if (metric == null && metricColumn == null && !p.containsKey(EventSyncParameter.METRIC.key())
                && !p.containsKey(EventSyncParameter.METRIC_COLUMN.key())) {
            problems.add(file.file() + ": neither 'metric' nor 'metricColumn' is set; every event needs a Klaviyo"
                    + " metric, so set metric (e.g. 'Placed Order') or metricColumn (a column holding the name)");
        } else if (metric != null && metricColumn != null) {
            problems.add(file.file() + ": both 'metric' and 'metricColumn' are set; keep metric for one metric name"
                    + " for every event, or metricColumn for a name per row");
        }
        if (metric != null && metric.length() > MAX_METRIC_NAME) {
            problems.add(problem(file, EventSyncParameter.METRIC, "is " + metric.length() + " characters long;"
                    + " Klaviyo takes metric names under 128 characters, so shorten it"));
        }
        String timeColumn = optional(file, EventSyncParameter.TIME_COLUMN, problems,
                "name the column holding when each event happened, or remove it to use the time Klaviyo receives it");
        String valueColumn = optional(file, EventSyncParameter.VALUE_COLUMN, problems,
                "name the column holding each event's numeric value, or remove it");
        String cursorColumn = optional(file, EventSyncParameter.CURSOR_COLUMN, problems,
                "name a column whose values grow with every new row (a load time or a sequence), or remove it to read"
                        + " the whole model every run");

        PropertyMappings properties = null;
        String propertiesText = trimmed(p.get(EventSyncParameter.PROPERTIES.key()));
        if (propertiesText != null) {
            List<String> mappingProblems = new ArrayList<>();
            properties = PropertyMappings.parse(propertiesText, mappingProblems);
            for (String mp : mappingProblems) {
                problems.add(problem(file, EventSyncParameter.PROPERTIES, mp
                        + "; write '*' or comma-separated name=column pairs such as 'order_total=total,sku=sku'"));
            }
            if (properties.fieldToColumn().size() > MAX_PROPERTIES) {
                problems.add(problem(file, EventSyncParameter.PROPERTIES, "maps " + properties.fieldToColumn().size()
                        + " properties; Klaviyo takes at most " + MAX_PROPERTIES + " per event"));
            }
            for (String name : properties.fieldToColumn().keySet()) {
                if (name.isBlank() || name.startsWith("$")) {
                    problems.add(problem(file, EventSyncParameter.PROPERTIES, "property name '" + name + "' is empty"
                            + " or starts with '$', which Klaviyo reserves; rename it"));
                }
            }
        }
        if (!problems.isEmpty()) {
            return null;
        }
        return new SyncDefinition(common.syncId(), file.file(), common.model(), common.modelSql(), common.schedule(),
                identifier, identifierColumn, properties, null, List.of(), false, NullHandling.SKIP, null, ListMode.ADD,
                SyncDefinition.DEFAULT_MAX_REMOVAL_PERCENT, this,
                new EventFields(metric, metricColumn, eventIdColumn, timeColumn, valueColumn, cursorColumn));
    }

    /** An optional parameter's value; null when absent, a problem when given but empty. */
    private static String optional(SyncFileReader.SyncFile file, EventSyncParameter parameter, List<String> problems,
            String fix) {
        if (!file.parameters().containsKey(parameter.key())) {
            return null;
        }
        String value = trimmed(file.parameters().get(parameter.key()));
        if (value == null) {
            problems.add(problem(file, parameter, "is empty; " + fix));
        }
        return value;
    }
}
