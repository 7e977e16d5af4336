package org.klaviyosync.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.klaviyosync.klaviyo.BulkProfile;

/**
 * Groups profiles into bulk-job-sized batches per list. A batch is released when one more profile
 * would take it past the profile count or byte limit, or when the run flushes.
 *
 * <p>With a limit of {@value #SPREAD_FROM} profiles or more, consecutive full batches of a list
 * hold up to {@value #SIZE_SPREAD} - 1 fewer profiles than the limit, in turn (10,000, 9,999, ...,
 * 9,993, 10,000, ...): batches submitted at the same time then differ in size, which is how a
 * bulk job whose answer was lost is told apart from the others ({@code klaviyo.BulkImportJobs}).
 */
public final class ProfileBatcher {

    /** JSON:API envelope and separators of a bulk job body, kept free under the byte limit. */
    private static final int ENVELOPE_BYTES = 4 * 1024;
    static final int SPREAD_FROM = 1000;
    static final int SIZE_SPREAD = 8;

    private final int maxProfiles;
    private final long maxBytes;
    private final Map<String, Open> open = new LinkedHashMap<>();

    private static final class Open {
        final List<BulkProfile> profiles = new ArrayList<>();
        long bytes;
        int released;
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
                && (batch.profiles.size() >= limit(batch) || batch.bytes + withSeparator > maxBytes)) {
            full.add(new ProfileBatch(list, batch.profiles, batch.bytes));
            batch.profiles.clear();
            batch.bytes = 0;
            batch.released++;
        }
        batch.profiles.add(new BulkProfile(rowKey, profileJson));
        batch.bytes += withSeparator;
        return full;
    }

    private int limit(Open batch) {
        return maxProfiles >= SPREAD_FROM ? maxProfiles - batch.released % SIZE_SPREAD : maxProfiles;
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
