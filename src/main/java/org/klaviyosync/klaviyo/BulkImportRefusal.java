package org.klaviyosync.klaviyo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a bulk import job request Klaviyo refused with a 4xx (other than 413) means for its profiles.
 * Klaviyo validates a job all-or-nothing: a 400 whose errors all point at profiles
 * ({@code /data/attributes/profiles/data/<i>/...}) rejects those profiles, with Klaviyo's reason,
 * and the rest may be sent again; any other refusal rejects the whole batch with Klaviyo's reason.
 *
 * @param rejected the profiles refused, each with its reason
 * @param resend   the profiles of the batch that nothing was said against, to send again
 */
record BulkImportRefusal(List<RejectedProfile> rejected, List<BulkProfile> resend) {

    static BulkImportRefusal of(KlaviyoResponse answer, List<BulkProfile> batch, ObjectMapper json) {
        int status = answer.status();
        List<ApiError> errors = ApiErrors.parse(answer.body(), json);
        Map<Integer, List<ApiError>> byProfile = status == 400 ? errorsByProfile(errors, batch.size()) : null;
        List<RejectedProfile> rejected = new ArrayList<>();
        List<BulkProfile> rest = new ArrayList<>();
        if (byProfile != null) {
            for (int i = 0; i < batch.size(); i++) {
                List<ApiError> own = byProfile.get(i);
                if (own == null) {
                    rest.add(batch.get(i));
                } else {
                    rejected.add(rejection(batch.get(i).rowKey(), own));
                }
            }
        } else {
            String code = errors.isEmpty() || errors.get(0).code() == null ? "http_" + status : errors.get(0).code();
            String detail = "Klaviyo refused the bulk import: " + ApiErrors.summarize(status, errors);
            for (BulkProfile p : batch) {
                rejected.add(new RejectedProfile(p.rowKey(), code, detail));
            }
        }
        return new BulkImportRefusal(rejected, rest);
    }

    /** Errors grouped by profile index, or null when any error does not point at a profile of the batch. */
    private static Map<Integer, List<ApiError>> errorsByProfile(List<ApiError> errors, int batchSize) {
        if (errors.isEmpty()) {
            return null;
        }
        Map<Integer, List<ApiError>> byIndex = new LinkedHashMap<>();
        for (ApiError e : errors) {
            int index = ProfilePointers.profileIndex(e.pointer());
            if (index < 0 || index >= batchSize) {
                return null;
            }
            byIndex.computeIfAbsent(index, k -> new ArrayList<>()).add(e);
        }
        return byIndex;
    }

    private static RejectedProfile rejection(String rowKey, List<ApiError> errors) {
        String code = errors.get(0).code() == null ? "invalid" : errors.get(0).code();
        String detail = errors.stream().map(e -> {
            String field = ProfilePointers.fieldOf(e.pointer());
            return ApiErrors.scrub(field.isEmpty() ? e.message() : field + ": " + e.message());
        }).distinct().collect(Collectors.joining("; "));
        return new RejectedProfile(rowKey, code, detail);
    }
}
