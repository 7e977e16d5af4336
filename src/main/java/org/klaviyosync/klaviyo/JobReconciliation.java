package org.klaviyosync.klaviyo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a complete bulk import job says about each row it carried. Every import error is matched
 * to one of the job's rows: by its {@code source.pointer} when that names a profile
 * ({@code /data/attributes/profiles/data/<i>}, the index into the job as submitted), otherwise by
 * the identifier in its {@code original_payload}, compared with the row's key as the mapper sent
 * it (exactly, and for email addresses also ignoring case). The job accounts for its rows only
 * when its {@code total_count} is the number of rows it carried, {@code completed_count +
 * failed_count} equals it, every error matched a row and {@code failed_count} is the number of
 * rows with an error. Otherwise {@link #mismatch()} says what does not add up, and no row
 * without an error of its own can be taken as imported.
 */
public final class JobReconciliation {

    private final Map<String, ImportError> failedRows;
    private final String mismatch;

    private JobReconciliation(Map<String, ImportError> failedRows, String mismatch) {
        this.failedRows = failedRows;
        this.mismatch = mismatch;
    }

    /**
     * @param rowKeys             the keys of the rows the job carried, in the order they were submitted
     * @param identifierAttribute the profile attribute the keys are values of ({@code email},
     *                            {@code phone_number}, {@code external_id} or {@code id})
     */
    public static JobReconciliation of(List<String> rowKeys, String identifierAttribute, JobState state,
            List<ImportError> errors) {
        Set<String> keys = new HashSet<>(rowKeys);
        boolean email = "email".equals(identifierAttribute);
        Map<String, String> byLowerCase = new HashMap<>();
        Set<String> ambiguous = new HashSet<>();
        if (email) {
            for (String key : rowKeys) {
                String lower = key.toLowerCase(Locale.ROOT);
                if (byLowerCase.putIfAbsent(lower, key) != null && !byLowerCase.get(lower).equals(key)) {
                    ambiguous.add(lower);
                }
            }
        }
        Map<String, ImportError> failed = new LinkedHashMap<>();
        int unmatched = 0;
        for (ImportError error : errors) {
            String key = null;
            int index = ProfilePointers.profileIndex(error.pointer());
            if (index >= 0) {
                key = index < rowKeys.size() ? rowKeys.get(index) : null;
            } else {
                String value = ProfilePointers.identifierOf(error.originalPayload(), identifierAttribute);
                if (value != null) {
                    String trimmed = value.trim();
                    if (keys.contains(trimmed)) {
                        key = trimmed;
                    } else if (email && !ambiguous.contains(trimmed.toLowerCase(Locale.ROOT))) {
                        key = byLowerCase.get(trimmed.toLowerCase(Locale.ROOT));
                    }
                }
            }
            if (key == null) {
                unmatched++;
            } else {
                failed.putIfAbsent(key, error);
            }
        }
        List<String> problems = new ArrayList<>();
        if (state.totalCount() != rowKeys.size()) {
            problems.add("total_count " + state.totalCount() + " but it carried " + rowKeys.size() + " rows");
        }
        if (state.completedCount() + state.failedCount() != state.totalCount()) {
            problems.add("completed_count " + state.completedCount() + " + failed_count " + state.failedCount()
                    + " is not total_count " + state.totalCount());
        }
        if (unmatched > 0) {
            problems.add(unmatched + (unmatched == 1 ? " import error matches" : " import errors match")
                    + " none of its rows");
        }
        if (unmatched == 0 && failed.size() != state.failedCount()) {
            problems.add("failed_count " + state.failedCount() + " but " + failed.size()
                    + (failed.size() == 1 ? " row has" : " rows have") + " an import error");
        }
        return new JobReconciliation(failed, problems.isEmpty() ? null : String.join("; ", problems));
    }

    /** The import error matched to this row, if any. */
    public Optional<ImportError> errorOf(String rowKey) {
        return Optional.ofNullable(failedRows.get(rowKey));
    }

    /** Whether the job accounts for every row it carried. */
    public boolean accountsForEveryRow() {
        return mismatch == null;
    }

    /** What does not add up, or null when the job accounts for every row. */
    public String mismatch() {
        return mismatch;
    }
}
