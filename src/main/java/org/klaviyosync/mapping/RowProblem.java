package org.klaviyosync.mapping;

/**
 * Why one model row cannot be sent to Klaviyo.
 *
 * @param field  the model column or Klaviyo field concerned
 * @param reason a human sentence, without the sync or row it belongs to
 */
public record RowProblem(String field, String reason) {

    /** The problem with its sync, e.g. {@code sync 'vip' field 'email': 'bob@' is not a valid email address}. */
    public String describe(String syncId) {
        return "sync '" + syncId + "' field '" + field + "': " + reason;
    }

    /**
     * The problem with its sync and row, e.g.
     * {@code sync 'vip' row 'crm-42' field 'email': 'bob@' is not a valid email address}.
     *
     * @param rowIdentifier the row's identifier value; null when the row has none
     */
    public String describe(String syncId, String rowIdentifier) {
        String row = rowIdentifier == null ? "row without identifier" : "row '" + rowIdentifier + "'";
        return "sync '" + syncId + "' " + row + " field '" + field + "': " + reason;
    }
}
