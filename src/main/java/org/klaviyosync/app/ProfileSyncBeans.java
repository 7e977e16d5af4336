package org.klaviyosync.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import org.apache.camel.main.Main;
import org.klaviyosync.klaviyo.BulkImportSubmissions;
import org.klaviyosync.klaviyo.BulkJobReader;
import org.klaviyosync.klaviyo.BulkJobWatch;
import org.klaviyosync.klaviyo.EarlierJobs;
import org.klaviyosync.klaviyo.KlaviyoApi;
import org.klaviyosync.klaviyo.ListMembershipRemovals;
import org.klaviyosync.klaviyo.ProfileIdLookup;
import org.klaviyosync.klaviyo.ProfileSubscriptions;
import org.klaviyosync.klaviyo.Sleeper;
import org.klaviyosync.klaviyo.ProfileImports;
import org.klaviyosync.pipeline.BatchFlusher;
import org.klaviyosync.pipeline.BulkImportSubmitter;
import org.klaviyosync.pipeline.BulkJobSettler;
import org.klaviyosync.pipeline.ConsentSender;
import org.klaviyosync.pipeline.DryRunRecorder;
import org.klaviyosync.pipeline.EarlierJobsBarrier;
import org.klaviyosync.pipeline.FingerprintCommits;
import org.klaviyosync.pipeline.MappingWorkers;
import org.klaviyosync.pipeline.MembershipRemover;
import org.klaviyosync.pipeline.NullClearer;
import org.klaviyosync.pipeline.PendingJobCap;
import org.klaviyosync.pipeline.PresentModelIdentifiers;
import org.klaviyosync.pipeline.ProfilePayloadProcessor;
import org.klaviyosync.pipeline.ProfileRowSorter;
import org.klaviyosync.run.ListMirror;
import org.klaviyosync.run.ModelDepartures;
import org.klaviyosync.run.RunRegistry;
import org.klaviyosync.settings.KlaviyoSettings;
import org.klaviyosync.settings.PipelineSettings;
import org.klaviyosync.settings.Settings;
import org.klaviyosync.settings.StateSettings;
import org.klaviyosync.state.ConsentStates;
import org.klaviyosync.state.DepartedIdentifiers;
import org.klaviyosync.state.ListMembershipStore;
import org.klaviyosync.warehouse.DuplicateIdentifierQuery;
import org.klaviyosync.warehouse.WarehouseConnections;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The profile sync's beans (routes/klaviyo-profile-sync.yaml, routes/klaviyo-bulk-import.yaml):
 * mapping rows to profiles on worker threads, sorting them by outcome, and submitting and settling
 * bulk import jobs, removing the memberships a {@code listMode=mirror} sync no longer names, and
 * forgetting the state of identifiers that left the model.
 * Without a Klaviyo client (dry run) nothing is submitted.
 */
final class ProfileSyncBeans implements SyncKindBeans {

    private static final Logger LOG = LoggerFactory.getLogger(ProfileSyncBeans.class);

    private final Settings settings;
    private final RunRegistry runs;
    private final ObjectMapper json;
    private final KlaviyoApi klaviyo;
    private final WarehouseConnections connections;
    private final DryRunRecorder dryRunRecorder;
    private MappingWorkers mappingWorkers;
    private BulkJobSettler settler;

    ProfileSyncBeans(Settings settings, RunRegistry runs, ObjectMapper json, KlaviyoApi klaviyo,
            WarehouseConnections connections, DryRunRecorder dryRunRecorder) {
        this.settings = settings;
        this.runs = runs;
        this.json = json;
        this.klaviyo = klaviyo;
        this.connections = connections;
        this.dryRunRecorder = dryRunRecorder;
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
                klaviyo == null ? null : new NullClearer(new ProfileImports(klaviyo, json)),
                klaviyo == null ? null : new ConsentSender(new ProfileSubscriptions(klaviyo, json)), commits,
                settings.get(KlaviyoSettings.SUBMIT_THREADS));
        main.bind("bulkJobSettler", settler);
        main.bind("earlierJobsBarrier", new EarlierJobsBarrier(
                jobReader == null ? null : new EarlierJobs(jobReader, Sleeper.SYSTEM), jobTimeout));
        // listMode=mirror: the memberships a sync manages, and their removal at the end of a run
        ListMembershipStore memberships = new ListMembershipStore(connections.state());
        runs.manageMemberships(memberships);
        runs.rememberConsent(new ConsentStates(connections.state()));
        main.bind("membershipRemover", new MembershipRemover(runs, new ListMirror(memberships,
                klaviyo == null ? null : new ProfileIdLookup(klaviyo, json),
                klaviyo == null ? null : new ListMembershipRemovals(klaviyo, json), dryRunRecorder::recordRemovals),
                new ModelDepartures(new DepartedIdentifiers(connections.state()),
                        Duration.ofDays(settings.get(StateSettings.RETENTION_DAYS)),
                        new PresentModelIdentifiers(new DuplicateIdentifierQuery(connections.models())))));
        main.bind("bulkImportSubmitter",
                new BulkImportSubmitter(klaviyo == null ? null : new BulkImportSubmissions(klaviyo, json), settler,
                        pendingJobCap()));
    }

    /** klaviyo.max-pending-jobs, lowered (and said so) when the pending rows would not fit in this heap. */
    private int pendingJobCap() {
        int configured = settings.get(KlaviyoSettings.MAX_PENDING_JOBS);
        int rowsPerJob = settings.get(KlaviyoSettings.BATCH_MAX_PROFILES);
        long heap = Runtime.getRuntime().maxMemory();
        int cap = PendingJobCap.forHeap(configured, heap, rowsPerJob);
        if (cap < configured) {
            LOG.info("klaviyo.max-pending-jobs {} lowered to {}: the rows of {} pending jobs of {} would not fit in"
                    + " half of this {} MB heap. Give the JVM more heap (-Xmx) to keep more jobs in flight when"
                    + " Klaviyo's jobs are slow.", configured, cap, configured, rowsPerJob, heap / (1024 * 1024));
        }
        return cap;
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
