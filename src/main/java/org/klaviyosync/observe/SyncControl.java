package org.klaviyosync.observe;

import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import javax.management.NotCompliantMBeanException;
import javax.management.ObjectName;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.klaviyosync.run.RunCounts;
import org.klaviyosync.run.RunRegistry;
import org.klaviyosync.run.RunSummary;
import org.klaviyosync.run.SyncRun;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JMX face of one sync. Pause and resume act on the Quartz trigger of the sync's schedule
 * route (a sync without a schedule has none, and nothing to pause), so a paused sync stays paused until resumed (or the service restarts). {@code runNow} runs in the
 * caller's thread and answers with the run's counts once it has ended; {@code startRun} runs on a
 * thread of its own and answers with the run id as soon as the run is open.
 */
public final class SyncControl extends DescribedMBean implements SyncControlMBean {

    /** How long startRun waits for the run to open (it loads the sync's fingerprints first). */
    private static final long START_PATIENCE_MS = 60_000;

    public static final String DOMAIN = "org.klaviyosync";

    private static final Logger LOG = LoggerFactory.getLogger(SyncControl.class);

    /** Runs one sync synchronously (SyncApplication.runNow). */
    public interface Runner {
        RunSummary run(String syncId) throws Exception;
    }

    private final String syncId;
    private final String scheduleRouteId;
    private final RunRegistry runs;
    private final Runner runner;
    private final Supplier<CamelContext> camel;
    private volatile RunSummary last;
    private volatile Instant lastEndedAt;

    public SyncControl(String syncId, String scheduleRouteId, RunRegistry runs, Runner runner,
            Supplier<CamelContext> camel) throws NotCompliantMBeanException {
        super(SyncControlMBean.class);
        this.syncId = syncId;
        this.scheduleRouteId = scheduleRouteId;
        this.runs = runs;
        this.runner = runner;
        this.camel = camel;
    }

    public static ObjectName objectName(String syncId) throws Exception {
        return new ObjectName(DOMAIN + ":type=sync,name=" + ObjectName.quote(syncId));
    }

    /** Called when a run of this sync ends. */
    public void runEnded(RunSummary summary) {
        last = summary;
        lastEndedAt = Instant.now();
    }

    @Override
    public String getSyncId() {
        return syncId;
    }

    @Override
    public long getLastRunId() {
        RunSummary s = last;
        return s == null ? 0 : s.runId();
    }

    @Override
    public String getLastRunStatus() {
        RunSummary s = last;
        return s == null ? "none" : s.status();
    }

    @Override
    public long getLastRunRead() {
        RunSummary s = last;
        return s == null ? 0 : s.read();
    }

    @Override
    public long getLastRunSent() {
        RunSummary s = last;
        return s == null ? 0 : s.sent();
    }

    @Override
    public long getLastRunWouldSend() {
        RunSummary s = last;
        return s == null ? 0 : s.wouldSend();
    }

    @Override
    public long getLastRunUnchanged() {
        RunSummary s = last;
        return s == null ? 0 : s.unchanged();
    }

    @Override
    public long getLastRunInvalid() {
        RunSummary s = last;
        return s == null ? 0 : s.invalid();
    }

    @Override
    public long getLastRunRejected() {
        RunSummary s = last;
        return s == null ? 0 : s.rejected();
    }

    @Override
    public long getLastRunDeferred() {
        RunSummary s = last;
        return s == null ? 0 : s.deferred();
    }

    @Override
    public long getLastRunDurationMs() {
        RunSummary s = last;
        return s == null ? 0 : s.durationMs();
    }

    @Override
    public String getLastRunEndedAt() {
        Instant t = lastEndedAt;
        return t == null ? "" : t.toString();
    }

    @Override
    public String getLastRunError() {
        RunSummary s = last;
        return s == null || s.error() == null ? "" : s.error();
    }

    @Override
    public String getNextFireTime() {
        try {
            QuartzEndpoint endpoint = endpoint();
            if (endpoint == null || isPaused()) {
                return "";
            }
            Trigger trigger = scheduler(endpoint).getTrigger(endpoint.getTriggerKey());
            Date next = trigger == null ? null : trigger.getNextFireTime();
            return next == null ? "" : next.toInstant().toString();
        } catch (Exception e) {
            return "";
        }
    }

    @Override
    public boolean isPaused() {
        try {
            QuartzEndpoint endpoint = endpoint();
            return endpoint != null
                    && scheduler(endpoint).getTriggerState(endpoint.getTriggerKey()) == Trigger.TriggerState.PAUSED;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public boolean isRunning() {
        return runs.active(syncId).isPresent();
    }

    @Override
    public long getCurrentRunId() {
        return runs.active(syncId).map(SyncRun::runId).orElse(0L);
    }

    @Override
    public String getCurrentRunStartedAt() {
        return runs.active(syncId).map(r -> r.startedAt().toString()).orElse("");
    }

    @Override
    public long getCurrentRunRead() {
        return current(RunCounts::read);
    }

    @Override
    public long getCurrentRunSent() {
        return current(RunCounts::sent);
    }

    @Override
    public long getCurrentRunWouldSend() {
        return current(RunCounts::wouldSend);
    }

    @Override
    public long getCurrentRunInFlight() {
        return runs.active(syncId).map(r -> (long) r.inFlightRows()).orElse(0L);
    }

    @Override
    public long getCurrentRunJobsPending() {
        return runs.active(syncId).map(r -> (long) r.pendingJobCount()).orElse(0L);
    }

    private long current(ToLongFunction<RunCounts> count) {
        return runs.active(syncId).map(r -> count.applyAsLong(r.counts())).orElse(0L);
    }

    @Override
    public long startRun() {
        Optional<SyncRun> busy = runs.active(syncId);
        if (busy.isPresent()) {
            throw new IllegalStateException("sync '" + syncId + "' is already running (run " + busy.get().runId() + ")");
        }
        LOG.info("Sync '{}': run started through JMX", syncId);
        CompletableFuture<RunSummary> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                done.complete(runner.run(syncId));
            } catch (Throwable e) {
                LOG.warn("Sync '{}': the run started through JMX did not run: {}", syncId, e.getMessage());
                done.completeExceptionally(e);
            }
        }, "sync-" + syncId + "-started");
        thread.setDaemon(true);
        thread.start();
        long deadline = System.currentTimeMillis() + START_PATIENCE_MS;
        while (System.currentTimeMillis() < deadline) {
            Optional<SyncRun> open = runs.active(syncId);
            if (open.isPresent()) {
                return open.get().runId();
            }
            if (done.isDone()) {
                // a small model may end before this looks: the run is over, answer with its id
                RunSummary s = done.getNow(null);
                if (s != null && s.runId() > 0) {
                    return s.runId();
                }
                throw new IllegalStateException("sync '" + syncId + "' did not start: "
                        + (s != null ? s.error() : done.handle((x, e) -> e.getMessage()).join()));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("sync '" + syncId + "': the run has not opened within "
                + START_PATIENCE_MS / 1000 + " s; it may still start, watch CurrentRunId");
    }

    @Override
    public String runNow() {
        LOG.info("Sync '{}': run requested through JMX", syncId);
        try {
            RunSummary s = runner.run(syncId);
            return "run " + s.runId() + " " + s.status() + " in " + s.durationMs() + " ms: read=" + s.read()
                    + " sent=" + s.sent() + " unchanged=" + s.unchanged() + " invalid=" + s.invalid()
                    + " rejected=" + s.rejected() + " deferred=" + s.deferred()
                    + (s.dryRun() ? " wouldSend=" + s.wouldSend() : "")
                    + (s.error() == null ? "" : " error: " + s.error());
        } catch (Exception e) {
            // JMX clients may not have our classes: answer with text, not the exception
            return "not run: " + e.getMessage();
        }
    }

    @Override
    public void pause() {
        try {
            QuartzEndpoint endpoint = requireEndpoint();
            scheduler(endpoint).pauseTrigger(endpoint.getTriggerKey());
            LOG.info("Sync '{}': schedule paused through JMX", syncId);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not pause sync '" + syncId + "': " + e.getMessage());
        }
    }

    @Override
    public void resume() {
        try {
            QuartzEndpoint endpoint = requireEndpoint();
            scheduler(endpoint).resumeTrigger(endpoint.getTriggerKey());
            LOG.info("Sync '{}': schedule resumed through JMX", syncId);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("could not resume sync '" + syncId + "': " + e.getMessage());
        }
    }

    private QuartzEndpoint requireEndpoint() {
        QuartzEndpoint endpoint = endpoint();
        if (endpoint == null) {
            throw new IllegalStateException("sync '" + syncId + "' has no schedule; it runs only on demand");
        }
        return endpoint;
    }

    private QuartzEndpoint endpoint() {
        CamelContext context = camel.get();
        Route route = context == null ? null : context.getRoute(scheduleRouteId);
        return route != null && route.getEndpoint() instanceof QuartzEndpoint q ? q : null;
    }

    private static Scheduler scheduler(QuartzEndpoint endpoint) {
        return endpoint.getComponent().getScheduler();
    }
}
