package org.klaviyosync.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.klaviyosync.app.SyncApplication;
import org.klaviyosync.settings.ConfigurationException;
import org.klaviyosync.settings.Settings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dispatches a command line to the service or a one-shot command and returns the exit code. */
public final class Cli {

    private static final Logger LOG = LoggerFactory.getLogger(Cli.class);

    private final Path root;
    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    public Cli(Path root, Map<String, String> env, PrintStream out, PrintStream err) {
        this.root = root;
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public int execute(String[] args) {
        CommandLine cl;
        try {
            cl = CommandLine.parse(args);
        } catch (CommandLine.UsageException e) {
            err.println("error: " + e.getMessage());
            err.println();
            err.print(CommandLine.USAGE);
            return ExitCodes.CONFIGURATION;
        }
        if (cl.help()) {
            out.print(CommandLine.USAGE);
            return ExitCodes.OK;
        }
        Settings settings;
        try {
            settings = Settings.load(root.resolve("application.properties"), env);
        } catch (RuntimeException e) {
            err.println("configuration error: " + e.getMessage());
            return ExitCodes.CONFIGURATION;
        }
        SyncApplication.Mode mode = cl.command().equals("service") ? SyncApplication.Mode.SERVICE
                : SyncApplication.Mode.ONE_SHOT;
        SyncApplication app = null;
        try {
            app = SyncApplication.prepare(settings, root, mode);
            ObjectMapper json = app.json();
            switch (cl.command()) {
                case "history" -> {
                    return new HistoryCommand(app, json).execute(cl.arguments().get(0), cl.limit().orElse(20),
                            cl.json(), out, err);
                }
                case "rejections" -> {
                    return new RejectionsCommand(app, json).execute(cl.arguments().get(0), cl.runId(), cl.json(),
                            out, err);
                }
                default -> app.start();
            }
            SyncApplication started = app;
            return switch (cl.command()) {
                case "run" -> whileStoppable(app, () -> new RunCommand(started, json).execute(cl.arguments(),
                        RunCommand.options(cl.full(), cl.allowRemovals()), cl.json(), out, err));
                case "replay" -> whileStoppable(app, () -> new ReplayCommand(started, json).execute(cl.arguments().get(0),
                        cl.runId(), cl.json(), out, err));
                case "preview" -> new PreviewCommand(app, json).execute(cl.arguments().get(0), cl.limit().orElse(10),
                        cl.json(), out, err);
                case "check" -> new CheckCommand(app).execute(out);
                default -> serve(app);
            };
        } catch (ConfigurationException e) {
            err.println("klaviyo-sync cannot start; fix the following and start again:");
            for (String p : e.problems()) {
                err.println("  - " + p);
            }
            return ExitCodes.CONFIGURATION;
        } catch (Exception e) {
            LOG.debug("command failed", e);
            err.println("error: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return ExitCodes.RUN_FAILED;
        } finally {
            if (app != null && mode == SyncApplication.Mode.ONE_SHOT) {
                app.close();
            }
        }
    }

    /**
     * Runs a command that runs syncs; SIGTERM or Ctrl-C meanwhile stop its run as in the service (the
     * run is closed, its unsettled rows deferred) before the process exits.
     */
    private static int whileStoppable(SyncApplication app, Callable<Integer> command) throws Exception {
        Thread stop = new Thread(() -> app.stopRuns("the process was stopped"), "klaviyo-sync-stop-runs");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            return command.call();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException exiting) {
                // the process is already stopping: the hook runs
            }
        }
    }

    /** Service mode: the schedules fire until SIGTERM or Ctrl-C, which stops Camel gracefully. */
    private int serve(SyncApplication app) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Stopping: in-flight runs finish or defer their rows");
            app.closeWithinGrace();
            stopped.countDown();
        }, "klaviyo-sync-shutdown"));
        app.syncs().values().forEach(s -> LOG.info("Sync '{}': {}", s.syncId(),
                s.schedule().map(c -> "scheduled " + c).orElse("on demand only")));
        stopped.await();
        return ExitCodes.OK;
    }
}
