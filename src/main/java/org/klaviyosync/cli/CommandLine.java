package org.klaviyosync.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The parsed command line: a command, its positional arguments and its flags. */
public record CommandLine(String command, List<String> arguments, boolean json, Optional<Integer> limit,
        boolean help, boolean full, Optional<Long> runId, boolean allowRemovals) {

    public CommandLine(String command, List<String> arguments, boolean json, Optional<Integer> limit, boolean help,
            boolean full, Optional<Long> runId) {
        this(command, arguments, json, limit, help, full, runId, false);
    }

    public CommandLine(String command, List<String> arguments, boolean json, Optional<Integer> limit, boolean help) {
        this(command, arguments, json, limit, help, false, Optional.empty());
    }

    public static final String USAGE = """
            Usage: java -jar target/klaviyo-sync.jar [COMMAND]

              (no command)                 run the service: every sync on its Quartz schedule until stopped
              run [SYNC_ID...] [--full] [--allow-removals] [--json]
                                           run those syncs (default: all) once now, then exit; only new
                                           and changed rows are sent, --full sends every row;
                                           --allow-removals lets a listMode=mirror sync remove more than
                                           its maxRemovalPercent this once
              preview SYNC_ID [--limit N] [--json]
                                           show the model's first N rows (default 10), the Klaviyo payload
                                           each becomes and its validation verdict; sends nothing
              check                        recap every sync, validate the configuration, connect to the
                                           warehouse and to Klaviyo
              history SYNC_ID [--limit N] [--json]
                                           the sync's recent runs (default 20) with their counts
              rejections SYNC_ID [--run ID] [--json]
                                           the rows a run (default: the latest with any) found invalid or
                                           Klaviyo rejected, and why
              replay SYNC_ID [--run ID] [--json]
                                           run the sync now, sending again the rows Klaviyo rejected in
                                           that run (default: the latest run with rejections)

            Exit codes: 0 success, 1 a run or a check failed, 2 configuration or usage error.
            Configuration: application.properties, overridden by environment variables (see docs/configuration.md).
            """;

    /** Parses {@code args}; throws {@link UsageException} for anything it does not understand. */
    public static CommandLine parse(String[] args) {
        String command = null;
        List<String> positional = new ArrayList<>();
        boolean json = false;
        boolean help = false;
        Integer limit = null;
        boolean full = false;
        boolean allowRemovals = false;
        Long runId = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--json" -> json = true;
                case "--full" -> full = true;
                case "--allow-removals" -> allowRemovals = true;
                case "--run" -> {
                    if (i + 1 >= args.length) {
                        throw new UsageException("--run needs a run id, e.g. --run 42 (see history SYNC_ID)");
                    }
                    runId = parseRunId(args[++i]);
                }
                case "--help", "-h", "help" -> help = true;
                case "--limit" -> {
                    if (i + 1 >= args.length) {
                        throw new UsageException("--limit needs a number, e.g. --limit 20");
                    }
                    limit = parsePositive(args[++i]);
                }
                default -> {
                    if (a.startsWith("--limit=")) {
                        limit = parsePositive(a.substring("--limit=".length()));
                    } else if (a.startsWith("--run=")) {
                        runId = parseRunId(a.substring("--run=".length()));
                    } else if (a.startsWith("-")) {
                        throw new UsageException("unknown option '" + a + "'");
                    } else if (command == null) {
                        command = a;
                    } else {
                        positional.add(a);
                    }
                }
            }
        }
        String cmd = command == null ? "service" : command;
        switch (cmd) {
            case "service", "run", "check" -> {
                if (limit != null) {
                    throw new UsageException("--limit goes with preview and history only");
                }
            }
            case "preview", "history" -> {
                if (positional.size() != 1) {
                    throw new UsageException(cmd + " takes one SYNC_ID, e.g. " + cmd + " customers-by-external-id");
                }
            }
            case "rejections", "replay" -> {
                if (positional.size() != 1) {
                    throw new UsageException(cmd + " takes one SYNC_ID, e.g. " + cmd + " customers-by-external-id");
                }
                if (limit != null) {
                    throw new UsageException("--limit goes with preview and history only");
                }
            }
            default -> {
                if (!help) {
                    throw new UsageException("unknown command '" + cmd + "'");
                }
            }
        }
        if (cmd.equals("check") && !positional.isEmpty()) {
            throw new UsageException("check takes no arguments");
        }
        if (full && !cmd.equals("run")) {
            throw new UsageException("--full goes with run only");
        }
        if (allowRemovals && !cmd.equals("run")) {
            throw new UsageException("--allow-removals goes with run only");
        }
        if (runId != null && !cmd.equals("rejections") && !cmd.equals("replay")) {
            throw new UsageException("--run goes with rejections and replay only");
        }
        return new CommandLine(cmd, List.copyOf(positional), json, Optional.ofNullable(limit), help, full,
                Optional.ofNullable(runId), allowRemovals);
    }

    private static long parseRunId(String s) {
        try {
            long n = Long.parseLong(s);
            if (n <= 0) {
                throw new UsageException("--run must be a run id (a positive number), not " + s);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--run must be a run id (a positive number), not '" + s + "'");
        }
    }

    private static int parsePositive(String s) {
        try {
            int n = Integer.parseInt(s);
            if (n <= 0) {
                throw new UsageException("--limit must be a positive number, not " + s);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--limit must be a positive number, not '" + s + "'");
        }
    }

    /** A command line that cannot be understood. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
