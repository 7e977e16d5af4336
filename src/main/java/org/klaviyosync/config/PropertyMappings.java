package org.klaviyosync.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code properties} parameter of a sync: {@code *} (Sync All Properties) or comma-separated
 * {@code klaviyoField=column} pairs (Specific Properties).
 */
public final class PropertyMappings {

    private final boolean syncAll;
    private final Map<String, String> fieldToColumn;

    private PropertyMappings(boolean syncAll, Map<String, String> fieldToColumn) {
        this.syncAll = syncAll;
        this.fieldToColumn = fieldToColumn;
    }

    public static PropertyMappings all() {
        return new PropertyMappings(true, Map.of());
    }

    public static PropertyMappings specific(Map<String, String> fieldToColumn) {
        return new PropertyMappings(false, Map.copyOf(new LinkedHashMap<>(fieldToColumn)));
    }

    /**
     * Parses the parameter text. Problems (a pair without {@code =}, an empty side, a field mapped
     * twice) are added to {@code problems}; the pairs that parse are kept.
     */
    public static PropertyMappings parse(String text, List<String> problems) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.equals("*")) {
            return all();
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        if (trimmed.isEmpty()) {
            return new PropertyMappings(false, pairs);
        }
        for (String pair : trimmed.split(",")) {
            String p = pair.trim();
            int eq = p.indexOf('=');
            if (eq >= 0 && p.substring(0, eq).isBlank() && !p.substring(eq + 1).isBlank()) {
                problems.add("'" + p + "' maps column '" + p.substring(eq + 1).trim()
                        + "' to an empty property name; Klaviyo refuses empty names, so name the property");
                continue;
            }
            if (eq <= 0 || eq == p.length() - 1) {
                problems.add("'" + p + "' is not a klaviyoField=column pair");
                continue;
            }
            String field = p.substring(0, eq).trim();
            String column = p.substring(eq + 1).trim();
            if (field.isEmpty() || column.isEmpty()) {
                problems.add("'" + p + "' is not a klaviyoField=column pair");
            } else if (pairs.putIfAbsent(field, column) != null) {
                problems.add("field '" + field + "' is mapped twice");
            }
        }
        return new PropertyMappings(false, new LinkedHashMap<>(pairs));
    }

    public boolean syncAll() {
        return syncAll;
    }

    /** Klaviyo field (standard attribute such as {@code location.city}, or custom property) to column; empty when sync-all. */
    public Map<String, String> fieldToColumn() {
        return fieldToColumn;
    }

    public List<String> columns() {
        return new ArrayList<>(fieldToColumn.values());
    }

    @Override
    public String toString() {
        if (syncAll) {
            return "*";
        }
        StringBuilder sb = new StringBuilder();
        fieldToColumn.forEach((f, c) -> {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(f).append('=').append(c);
        });
        return sb.toString();
    }
}
