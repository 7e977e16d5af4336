package org.klaviyosync.klaviyo;

import java.util.List;

/**
 * A bulk import job Klaviyo accepted (202), with the profiles it carries.
 *
 * @param accepted the job as the 202 answer described it (its {@code created_at} bounds the listings
 *                 that look for it)
 */
public record SubmittedJob(String jobId, List<BulkProfile> profiles, JobState accepted) {

    public SubmittedJob {
        profiles = List.copyOf(profiles);
    }
}
