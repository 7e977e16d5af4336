package org.klaviyosync.klaviyo;

import java.util.List;

/** A bulk import job Klaviyo accepted (202), with the profiles it carries. */
public record SubmittedJob(String jobId, List<BulkProfile> profiles) {

    public SubmittedJob {
        profiles = List.copyOf(profiles);
    }
}
