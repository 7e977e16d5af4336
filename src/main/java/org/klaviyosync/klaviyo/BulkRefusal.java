package org.klaviyosync.klaviyo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * What a bulk request (a bulk import job, a bulk create events job) Klaviyo refused with a 4xx
 * (other than 413) means for its entries. Klaviyo validates such a request all-or-nothing: a 400
 * whose errors all point at entries (e.g. {@code /data/attributes/profiles/data/<i>/...}) rejects
 * those entries, with Klaviyo's reason, and the rest may be sent again; any other refusal rejects
 * the whole batch with Klaviyo's reason.
 *
 * @param rejected the entries refused, each with its reason
 * @param resend   the entries of the batch that nothing was said against, to send again
 */
record BulkRefusal(List<RejectedProfile> rejected, List<BulkProfile> resend) {

    /** A bulk import job's refusal: its errors point at profiles. */
    static BulkRefusal ofBulkImport(KlaviyoResponse answer, List<BulkProfile> batch, ObjectMapper json) {
        return of(answer, batch, json, ProfilePointers::profileIndex, ProfilePointers::fieldOf,
                "Klaviyo refused the bulk import: ");
    }

    /**
     * @param entryIndex the entry of the batch an error's pointer names, or -1
     * @param fieldOf    the field within its entry an error's pointer names, dotted, or ""
     * @param refused    what a refusal of the whole batch says before Klaviyo's reason
     */
    static BulkRefusal of(KlaviyoResponse answer, List<BulkProfile> batch, ObjectMapper json,
            ToIntFunction<String> entryIndex, UnaryOperator<String> fieldOf, String refused) {
        int status = answer.status();
        List<ApiError> errors = ApiErrors.parse(answer.body(), json);
        Map<Integer, List<ApiError>> byProfile = status == 400 ? errorsByEntry(errors, batch.size(), entryIndex)
                : null;
        List<RejectedProfile> rejected = new ArrayList<>();
        List<BulkProfile> rest = new ArrayList<>();
        if (byProfile != null) {
            for (int i = 0; i < batch.size(); i++) {
                List<ApiError> own = byProfile.get(i);
                if (own == null) {
                    rest.add(batch.get(i));
                } else {
                    rejected.add(rejection(batch.get(i).rowKey(), own, fieldOf));
                }
            }
        } else {
            String code = errors.isEmpty() || errors.get(0).code() == null ? "http_" + status : errors.get(0).code();
            String detail = refused + ApiErrors.summarize(status, errors);
            for (BulkProfile p : batch) {
                rejected.add(new RejectedProfile(p.rowKey(), code, detail));
            }
        }
        return new BulkRefusal(rejected, rest);
    }

    /** Errors grouped by entry, or null when any error does not point at an entry of the batch. */
    private static Map<Integer, List<ApiError>> errorsByEntry(List<ApiError> errors, int batchSize,
            ToIntFunction<String> entryIndex) {
        if (errors.isEmpty()) {
            return null;
        }
        Map<Integer, List<ApiError>> byIndex = new LinkedHashMap<>();
        for (ApiError e : errors) {
            int index = entryIndex.applyAsInt(e.pointer());
            if (index < 0 || index >= batchSize) {
                return null;
            }
            byIndex.computeIfAbsent(index, k -> new ArrayList<>()).add(e);
        }
        return byIndex;
    }

    private static RejectedProfile rejection(String rowKey, List<ApiError> errors, UnaryOperator<String> fieldOf) {
        String code = errors.get(0).code() == null ? "invalid" : errors.get(0).code();
        String detail = errors.stream().map(e -> {
            String field = fieldOf.apply(e.pointer());
            return ApiErrors.scrub(field.isEmpty() ? e.message() : field + ": " + e.message());
        }).distinct().collect(Collectors.joining("; "));
        return new RejectedProfile(rowKey, code, detail);
    }
}
