package org.klaviyosync.observe;

import java.time.Instant;
import java.util.Date;
import java.util.function.Supplier;
import javax.management.ObjectName;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.klaviyosync.run.RunRegistry;
import org.klaviyosync.run.RunSummary;
import org.quartz.Scheduler;
import org.quartz.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JMX face of one sync. Pause and resume act on the Quartz trigger of the sync's route, so a
 * paused sync stays paused until resumed (or the service restarts). {@code runNow} runs in the
 * caller's thread and answers with the run's counts once it has ended.
 */
public final class SyncControl implements SyncControlMBean {

    public static final String DOMAIN = "org.klaviyosync";

    private static final Logger LOG = LoggerFactory.getLogger(SyncControl.class);

    /** Runs one sync synchronously (SyncApplication.runNow). */
    public interface Runner {
        RunSummary run(String syncId) throws Exception;
    }

    private final String syncId;
    private final RunRegistry runs;
    private final Runner runner;
    private final Supplier<CamelContext> camel;
    private volatile RunSummary last;
    private volatile Instant lastEndedAt;

    public SyncControl(String syncId, RunRegistry runs, Runner runner, Supplier<CamelContext> camel) {
        this.syncId = syncId;
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
    public String runNow() {
        LOG.info("Sync '{}': run requested through JMX", syncId);
        try {
            RunSummary s = runner.run(syncId);
            return "run " + s.runId() + " " + s.status() + " in " + s.durationMs() + " ms: read=" + s.read()
                    + " sent=" + s.sent() + " unchanged=" + s.unchanged() + " invalid=" + s.invalid()
                    + " rejected=" + s.rejected() + " deferred=" + s.deferred()
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
            throw new IllegalStateException("sync '" + syncId + "' has no Quartz schedule");
        }
        return endpoint;
    }

    private QuartzEndpoint endpoint() {
        CamelContext context = camel.get();
        Route route = context == null ? null : context.getRoute(syncId);
        return route != null && route.getEndpoint() instanceof QuartzEndpoint q ? q : null;
    }

    private static Scheduler scheduler(QuartzEndpoint endpoint) {
        return endpoint.getComponent().getScheduler();
    }
}
