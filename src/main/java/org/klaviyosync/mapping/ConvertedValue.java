package org.klaviyosync.mapping;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The outcome of converting one column value: a JSON value, SQL NULL, or a problem.
 *
 * @param value   the JSON value; null when the column was SQL NULL or on a problem
 * @param problem why the value cannot be sent; null when it can
 */
public record ConvertedValue(JsonNode value, RowProblem problem) {

    private static final ConvertedValue NULL = new ConvertedValue(null, null);

    public static ConvertedValue of(JsonNode value) {
        return value == null || value.isNull() ? NULL : new ConvertedValue(value, null);
    }

    public static ConvertedValue sqlNull() {
        return NULL;
    }

    public static ConvertedValue problem(String field, String reason) {
        return new ConvertedValue(null, new RowProblem(field, reason));
    }

    public boolean ok() {
        return problem == null;
    }

    /** Whether the column held SQL NULL (or JSON null), which is left out of the payload. */
    public boolean isNull() {
        return problem == null && value == null;
    }
}
