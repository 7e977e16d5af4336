package org.klaviyosync.klaviyo;

import java.util.List;

/**
 * The result of {@link ListMemberships#add}.
 *
 * @param added            profiles in chunks Klaviyo accepted (204)
 * @param failedProfileIds profiles in chunks Klaviyo refused
 * @param errors           one summary per refused chunk
 */
public record ListMembershipResult(int added, List<String> failedProfileIds, List<String> errors) {

    public ListMembershipResult {
        failedProfileIds = List.copyOf(failedProfileIds);
        errors = List.copyOf(errors);
    }

    public boolean isComplete() {
        return failedProfileIds.isEmpty();
    }
}
