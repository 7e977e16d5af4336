package org.klaviyosync.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.apache.camel.main.Main;
import org.klaviyosync.klaviyo.BulkImportSubmissions;
import org.klaviyosync.klaviyo.BulkJobReader;
import org.klaviyosync.klaviyo.BulkJobWatch;
import org.klaviyosync.klaviyo.KlaviyoApi;
import org.klaviyosync.klaviyo.ProfileImports;
import org.klaviyosync.pipeline.BatchFlusher;
import org.klaviyosync.pipeline.BulkImportSubmitter;
import org.klaviyosync.pipeline.BulkJobSettler;
import org.klaviyosync.pipeline.FingerprintCommits;
import org.klaviyosync.pipeline.MappingWorkers;
import org.klaviyosync.pipeline.NullClearer;
import org.klaviyosync.pipeline.ProfilePayloadProcessor;
import org.klaviyosync.pipeline.ProfileRowSorter;
import org.klaviyosync.run.RunRegistry;
import org.klaviyosync.settings.KlaviyoSettings;
import org.klaviyosync.settings.PipelineSettings;
import org.klaviyosync.settings.Settings;
import org.klaviyosync.settings.StateSettings;

/**
 * The profile sync's beans (routes/klaviyo-profile-sync.yaml, routes/klaviyo-bulk-import.yaml):
 * mapping rows to profiles on worker threads, sorting them by outcome, and submitting and settling
 * bulk import jobs. Without a Klaviyo client (dry run) nothing is submitted.
 */
final class ProfileSyncBeans implements SyncKindBeans {

    private final Settings settings;
    private final RunRegistry runs;
    private final ObjectMapper json;
    private final KlaviyoApi klaviyo;
    private MappingWorkers mappingWorkers;
    private BulkJobSettler settler;

    ProfileSyncBeans(Settings settings, RunRegistry runs, ObjectMapper json, KlaviyoApi klaviyo) {
        this.settings = settings;
        this.runs = runs;
        this.json = json;
        this.klaviyo = klaviyo;
    }

    @Override
    public void bind(Main main) {
        mappingWorkers = new MappingWorkers(settings.get(PipelineSettings.MAPPING_THREADS));
        main.bind("profilePayloadProcessor", new ProfilePayloadProcessor(json, mappingWorkers));
        main.bind("profileRowSorter", new ProfileRowSorter(runs));
        main.bind("batchFlusher", new BatchFlusher());
        FingerprintCommits commits = new FingerprintCommits(runs, settings.get(StateSettings.FINGERPRINT_BATCH_SIZE));
        Duration jobTimeout = Duration.ofMillis(settings.get(KlaviyoSettings.JOB_TIMEOUT_MS));
        BulkJobReader jobReader = klaviyo == null ? null : new BulkJobReader(klaviyo, json);
        BulkJobWatch jobWatch = klaviyo == null ? null : new BulkJobWatch(jobReader,
                Duration.ofMillis(settings.get(KlaviyoSettings.JOB_POLL_INTERVAL_MS)),
                Duration.ofMillis(settings.get(KlaviyoSettings.JOB_POLL_MAX_INTERVAL_MS)),
                settings.get(KlaviyoSettings.JOB_READS_PER_MINUTE), jobTimeout.multipliedBy(2));
        settler = new BulkJobSettler(jobWatch, jobReader, jobTimeout,
                klaviyo == null ? null : new NullClearer(new ProfileImports(klaviyo, json)), commits,
                settings.get(KlaviyoSettings.SUBMIT_THREADS));
        main.bind("bulkJobSettler", settler);
        main.bind("bulkImportSubmitter",
                new BulkImportSubmitter(klaviyo == null ? null : new BulkImportSubmissions(klaviyo, json), settler,
                        settings.get(KlaviyoSettings.MAX_PENDING_JOBS)));
    }

    @Override
    public void close() {
        if (mappingWorkers != null) {
            mappingWorkers.close();
        }
        if (settler != null) {
            settler.close();
        }
    }
}
