package org.klaviyosync.mapping;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One model row turned into what is sent to Klaviyo, or the reason it cannot be sent.
 *
 * @param identifierValue the identifier as sent (trimmed text; an email lower-cased, a phone
 *                        number in E.164), the row's key; null when the row has none
 * @param profile         the JSON:API profile resource {@code {"type":"profile","attributes":{...}}},
 *                        as used in a bulk import's {@code profiles.data} and in profile-import's
 *                        {@code data}; null when the row is invalid
 * @param lists           the list names or ids the profile is added to: the sync's static lists,
 *                        then the list column's, each once; empty when the row is invalid
 * @param fingerprint     a stable hash of the profile's attributes and the sorted list references;
 *                        equal for equal content whatever the column order, different when any
 *                        value or list differs; 0 when the row is invalid
 * @param payloadBytes    the size of {@code profile} as UTF-8 JSON; also set when the row is
 *                        invalid for being too large, else 0 for invalid rows
 * @param problem         why the row cannot be sent; null when it is valid
 * @param nullsToClear    with the sync's {@code nulls=clear}, the profile-import resource
 *                        ({@code POST /api/profile-import}'s {@code data}) that clears the row's
 *                        null values in Klaviyo, since bulk import ignores nulls; null when there
 *                        is nothing to clear or the row is invalid
 * @param rowFingerprint  the warehouse's fingerprint of the model row, stored with the content once
 *                        Klaviyo acknowledges it; null when the warehouse computed none
 * @param acknowledgedInWarehouse the content fingerprint acknowledged for the row's identifier, as the
 *                        warehouse read it with the row when it compares rows itself; null otherwise
 * @param consent         the marketing consent to change after the import (a sync with consent columns);
 *                        null when the row changes none
 */
public record MappedRow(
        String identifierValue,
        ObjectNode profile,
        List<String> lists,
        long fingerprint,
        int payloadBytes,
        RowProblem problem,
        ObjectNode nullsToClear,
        byte[] profileJson,
        Long rowFingerprint,
        Long acknowledgedInWarehouse,
        ConsentValues consent) {

    public MappedRow {
        lists = lists == null ? List.of() : List.copyOf(lists);
    }

    /** A row that changes no consent. */
    public MappedRow(String identifierValue, ObjectNode profile, List<String> lists, long fingerprint,
            int payloadBytes, RowProblem problem, ObjectNode nullsToClear, byte[] profileJson, Long rowFingerprint,
            Long acknowledgedInWarehouse) {
        this(identifierValue, profile, lists, fingerprint, payloadBytes, problem, nullsToClear, profileJson,
                rowFingerprint, acknowledgedInWarehouse, null);
    }

    /** A row without what the warehouse knows of it. */
    public MappedRow(String identifierValue, ObjectNode profile, List<String> lists, long fingerprint,
            int payloadBytes, RowProblem problem, ObjectNode nullsToClear, byte[] profileJson) {
        this(identifierValue, profile, lists, fingerprint, payloadBytes, problem, nullsToClear, profileJson, null, null);
    }

    /** This row with the warehouse's row fingerprint and the fingerprint acknowledged for it there. */
    public MappedRow withWarehouseState(Long rowFingerprint, Long acknowledgedInWarehouse) {
        return new MappedRow(identifierValue, profile, lists, fingerprint, payloadBytes, problem, nullsToClear,
                profileJson, rowFingerprint, acknowledgedInWarehouse, consent);
    }

    /** A row whose serialized profile is not kept. */
    public MappedRow(String identifierValue, ObjectNode profile, List<String> lists, long fingerprint,
            int payloadBytes, RowProblem problem, ObjectNode nullsToClear) {
        this(identifierValue, profile, lists, fingerprint, payloadBytes, problem, nullsToClear, null);
    }

    /** A row without nulls to clear. */
    public MappedRow(String identifierValue, ObjectNode profile, List<String> lists, long fingerprint,
            int payloadBytes, RowProblem problem) {
        this(identifierValue, profile, lists, fingerprint, payloadBytes, problem, null);
    }

    static MappedRow invalid(String identifierValue, RowProblem problem, int payloadBytes) {
        return new MappedRow(identifierValue, null, List.of(), 0L, payloadBytes, problem);
    }

    public boolean valid() {
        return problem == null;
    }

    /**
     * The row's problem in full, e.g.
     * {@code sync 'vip' row 'crm-42' field 'email': 'bob@' is not a valid email address};
     * for a valid row, {@code sync 'vip' row 'crm-42' is valid}.
     */
    public String describe(String syncId) {
        if (problem != null) {
            return problem.describe(syncId, identifierValue);
        }
        return "sync '" + syncId + "' row '" + identifierValue + "' is valid";
    }
}
