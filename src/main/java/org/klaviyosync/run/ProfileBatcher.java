package org.klaviyosync.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.klaviyosync.klaviyo.BulkProfile;

/**
 * Groups profiles into bulk-job-sized batches per list. A batch is released when one more profile
 * would take it past the profile count or byte limit, or when the run flushes.
 */
public final class ProfileBatcher {

    /** JSON:API envelope and separators of a bulk job body, kept free under the byte limit. */
    private static final int ENVELOPE_BYTES = 4 * 1024;

    private final int maxProfiles;
    private final long maxBytes;
    private final Map<String, Open> open = new LinkedHashMap<>();

    private static final class Open {
        final List<BulkProfile> profiles = new ArrayList<>();
        long bytes;
    }

    public ProfileBatcher(int maxProfiles, long maxBytes) {
        this.maxProfiles = maxProfiles;
        this.maxBytes = maxBytes - ENVELOPE_BYTES;
    }

    /**
     * Adds a profile to the batch of {@code list} (null: the batch of profiles joining no list);
     * returns the batch it completed, if any.
     */
    public synchronized List<ProfileBatch> add(String list, String rowKey, byte[] profileJson) {
        int profileBytes = profileJson.length;
        Open batch = open.computeIfAbsent(list, l -> new Open());
        List<ProfileBatch> full = new ArrayList<>(1);
        long withSeparator = profileBytes + 1L;
        if (!batch.profiles.isEmpty()
                && (batch.profiles.size() >= maxProfiles || batch.bytes + withSeparator > maxBytes)) {
            full.add(new ProfileBatch(list, batch.profiles, batch.bytes));
            batch.profiles.clear();
            batch.bytes = 0;
        }
        batch.profiles.add(new BulkProfile(rowKey, profileJson));
        batch.bytes += withSeparator;
        return full;
    }

    /** Releases every open batch (end of the model, or shutdown). */
    public synchronized List<ProfileBatch> flush() {
        List<ProfileBatch> out = new ArrayList<>();
        open.forEach((list, batch) -> {
            if (!batch.profiles.isEmpty()) {
                out.add(new ProfileBatch(list, batch.profiles, batch.bytes));
            }
        });
        open.clear();
        return out;
    }

    public synchronized int buffered() {
        return open.values().stream().mapToInt(b -> b.profiles.size()).sum();
    }
}
