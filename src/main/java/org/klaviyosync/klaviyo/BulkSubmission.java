package org.klaviyosync.klaviyo;

import java.util.List;

/** The result of {@link BulkImportSubmissions#submit}: the jobs created and the profiles refused up front. */
public record BulkSubmission(List<SubmittedJob> jobs, List<RejectedProfile> rejected) {

    public BulkSubmission {
        jobs = List.copyOf(jobs);
        rejected = List.copyOf(rejected);
    }

    public int submittedProfiles() {
        return jobs.stream().mapToInt(j -> j.profiles().size()).sum();
    }
}
