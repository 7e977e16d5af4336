package org.klaviyosync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the command line prints and returns for help and usage errors, before any configuration is read. */
class CliUsageTest {

    @TempDir
    Path root;

    private record Result(int exitCode, String out, String err) {
    }

    private Result execute(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = new Cli(root, Map.of(), o, e).execute(args);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--bogus", "frobnicate", "preview", "history", "rejections", "replay"})
    void aUsageErrorExitsWith2AndPrintsTheErrorAndUsageOnStderr(String arg) {
        Result r = execute(arg);
        assertEquals(ExitCodes.CONFIGURATION, r.exitCode());
        assertEquals(2, r.exitCode(), "the documented exit code of a usage error");
        assertTrue(r.err().startsWith("error: "), r.err());
        assertTrue(r.err().endsWith(CommandLine.USAGE), r.err());
        assertEquals("", r.out(), "stdout carries command output only");
    }

    @Test
    void aUsageErrorNamesTheProblem() {
        assertTrue(execute("run", "--limit", "3").err().startsWith("error: --limit goes with preview and history only\n"));
        assertTrue(execute("preview").err().startsWith("error: preview takes one SYNC_ID"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"help", "--help", "-h"})
    void helpPrintsUsageOnStdoutAndExits0WithoutReadingTheConfiguration(String flag) {
        // root is an empty folder: no application.properties, no routes; help needs none of them
        Result r = execute(flag);
        assertEquals(ExitCodes.OK, r.exitCode(), r.err());
        assertEquals(CommandLine.USAGE, r.out());
        assertEquals("", r.err());
    }

    @Test
    void theUsageNamesEveryCommandAndFlag() {
        for (String s : new String[] {"run [SYNC_ID...] [--full] [--allow-removals] [--json]", "preview SYNC_ID [--limit N] [--json]",
            "check", "history SYNC_ID [--limit N] [--json]", "rejections SYNC_ID [--run ID] [--json]",
            "replay SYNC_ID [--run ID] [--json]", "Exit codes: 0 success, 1 a run or a check failed, 2 configuration"}) {
            assertTrue(CommandLine.USAGE.contains(s), s);
        }
    }
}
