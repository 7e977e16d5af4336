package org.klaviyosync.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.klaviyosync.cli.Cli;
import org.klaviyosync.standin.KlaviyoStandIn;

/**
 * Runs the command line in-process, from the project root, with an environment of the test's
 * choosing and its own folder of sync files; captures stdout and stderr.
 */
public final class CliHarness {

    public record Result(int exitCode, String out, String err) {
    }

    private final Map<String, String> env = new HashMap<>();
    private final Path syncsDir;

    public CliHarness(Path workDir) throws IOException {
        this.syncsDir = Files.createDirectories(workDir.resolve("syncs"));
        env.put("SYNCS_DIR", syncsDir.toString());
        env.put("DRY_RUN_DIR", workDir.resolve("dry-run").toString());
        env.put("KLAVIYO_JOB_POLL_INTERVAL_MS", "20");
    }

    /** A harness whose runs read {@code warehouse} and send to {@code klaviyo} with its key. */
    public static CliHarness connectedTo(Path workDir, TestWarehouse warehouse, KlaviyoStandIn klaviyo)
            throws IOException {
        return new CliHarness(workDir)
                .env("WAREHOUSE_JDBC_URL", warehouse.jdbcUrl())
                .env("KLAVIYO_API_KEY", klaviyo.apiKey())
                .env("KLAVIYO_BASE_URL", klaviyo.baseUrl());
    }

    public CliHarness env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    public Map<String, String> env() {
        return env;
    }

    public Path syncsDir() {
        return syncsDir;
    }

    /** Writes a sync file instantiating the template with these parameters (name, value, ...). */
    public Path sync(String syncId, String... nameValues) throws IOException {
        return templated("klaviyo-profile-sync", syncId, nameValues);
    }

    /** Writes an event sync file ({@code klaviyo-event-sync}) with these parameters (name, value, ...). */
    public Path eventSync(String syncId, String... nameValues) throws IOException {
        return templated("klaviyo-event-sync", syncId, nameValues);
    }

    private Path templated(String template, String syncId, String... nameValues) throws IOException {
        StringBuilder y = new StringBuilder();
        y.append("- templatedRoute:\n    routeTemplateRef: ").append(template).append("\n    routeId: ").append(syncId)
                .append("\n    parameters:\n      - name: syncId\n        value: ").append(quote(syncId)).append('\n');
        for (int i = 0; i < nameValues.length; i += 2) {
            y.append("      - name: ").append(nameValues[i]).append("\n        value: ").append(quote(nameValues[i + 1]))
                    .append('\n');
        }
        return write(syncId + ".yaml", y.toString());
    }

    public Path write(String fileName, String content) throws IOException {
        return Files.writeString(syncsDir.resolve(fileName), content, StandardCharsets.UTF_8);
    }

    public Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = new Cli(Path.of("").toAbsolutePath(), env, o, e).execute(args);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
