package org.klaviyosync.run;

import java.util.List;
import org.klaviyosync.klaviyo.BulkProfile;

/**
 * Profiles bound for one bulk import job: all join the same list (Klaviyo documents one list per
 * job), at most 10,000 of them and under 5 MB together.
 *
 * @param list     the list id, or in a dry run the list reference as written; null for profiles
 *                 upserted without joining a list
 * @param profiles the profiles, each keyed by its row's identifier value
 * @param bytes    the profiles' JSON size
 */
public record ProfileBatch(String list, List<BulkProfile> profiles, long bytes) {

    public ProfileBatch {
        profiles = List.copyOf(profiles);
    }

    public int size() {
        return profiles.size();
    }

    public List<String> rowKeys() {
        return BulkProfile.rowKeys(profiles);
    }
}
