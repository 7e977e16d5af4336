package org.klaviyosync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The commands and flags docs/operations.md documents, and what the parser refuses. */
class CommandLineTest {

    private static CommandLine parse(String... args) {
        return CommandLine.parse(args);
    }

    private static String refusal(String... args) {
        return assertThrows(CommandLine.UsageException.class, () -> CommandLine.parse(args)).getMessage();
    }

    @Test
    void noCommandIsTheService() {
        CommandLine cl = parse();
        assertEquals("service", cl.command());
        assertEquals(List.of(), cl.arguments());
        assertFalse(cl.json());
        assertFalse(cl.help());
    }

    @Test
    void runTakesAnyNumberOfSyncIdsJsonAndFull() {
        CommandLine all = parse("run");
        assertEquals("run", all.command());
        assertEquals(List.of(), all.arguments());
        assertFalse(all.full());
        assertFalse(all.json());

        CommandLine some = parse("run", "a", "--json", "b", "--full");
        assertEquals(List.of("a", "b"), some.arguments());
        assertTrue(some.json());
        assertTrue(some.full());
        assertFalse(some.allowRemovals());
        assertEquals(Optional.empty(), some.limit());
        assertEquals(Optional.empty(), some.runId());
        assertTrue(parse("run", "--allow-removals", "a").allowRemovals());
    }

    @Test
    void previewAndHistoryTakeOneSyncIdAndALimit() {
        CommandLine preview = parse("preview", "customers", "--limit", "5", "--json");
        assertEquals("preview", preview.command());
        assertEquals(List.of("customers"), preview.arguments());
        assertEquals(Optional.of(5), preview.limit());
        assertTrue(preview.json());

        CommandLine history = parse("history", "--limit=3", "customers");
        assertEquals("history", history.command());
        assertEquals(List.of("customers"), history.arguments());
        assertEquals(Optional.of(3), history.limit());
        assertFalse(history.json());

        assertEquals(Optional.empty(), parse("preview", "customers").limit(), "the command picks its default");
    }

    @Test
    void rejectionsAndReplayTakeOneSyncIdAndARunId() {
        CommandLine rejections = parse("rejections", "customers", "--run", "42", "--json");
        assertEquals("rejections", rejections.command());
        assertEquals(List.of("customers"), rejections.arguments());
        assertEquals(Optional.of(42L), rejections.runId());
        assertTrue(rejections.json());

        CommandLine replay = parse("replay", "customers", "--run=7");
        assertEquals("replay", replay.command());
        assertEquals(Optional.of(7L), replay.runId());

        assertEquals(Optional.empty(), parse("replay", "customers").runId(), "default: the latest run with rejections");
    }

    @Test
    void checkTakesNothing() {
        assertEquals("check", parse("check").command());
        assertEquals("check takes no arguments", refusal("check", "customers"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"help", "--help", "-h"})
    void helpInAnyFormAsksForUsage(String flag) {
        assertTrue(parse(flag).help());
        assertTrue(parse("run", flag).help());
    }

    @ParameterizedTest
    @ValueSource(strings = {"preview", "history", "rejections", "replay"})
    void aCommandOfOneSyncRefusesNoneOrTwo(String command) {
        String expected = command + " takes one SYNC_ID, e.g. " + command + " customers-by-external-id";
        assertEquals(expected, refusal(command));
        assertEquals(expected, refusal(command, "a", "b"));
        assertEquals(expected, refusal(command, "--json"));
    }

    @Test
    void unknownOptionsAndCommandsAreRefusedByName() {
        assertEquals("unknown option '--bogus'", refusal("run", "--bogus"));
        assertEquals("unknown option '-x'", refusal("-x"));
        assertEquals("unknown option '--limit5'", refusal("preview", "s", "--limit5"));
        assertEquals("unknown command 'sync'", refusal("sync", "customers"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "preview s --limit|--limit needs a number, e.g. --limit 20",
        "preview s --limit 0|--limit must be a positive number, not 0",
        "history s --limit -3|--limit must be a positive number, not -3",
        "preview s --limit ten|--limit must be a positive number, not 'ten'",
        "preview s --limit=|--limit must be a positive number, not ''",
        "run --limit 5|--limit goes with preview and history only",
        "check --limit 5|--limit goes with preview and history only",
        "rejections s --limit 5|--limit goes with preview and history only",
        "replay s --limit 5|--limit goes with preview and history only",
        "preview s --full|--full goes with run only",
        "replay s --full|--full goes with run only",
        "replay s --allow-removals|--allow-removals goes with run only",
        "rejections s --run|--run needs a run id, e.g. --run 42 (see history SYNC_ID)",
        "rejections s --run 0|--run must be a run id (a positive number), not 0",
        "replay s --run=abc|--run must be a run id (a positive number), not 'abc'",
        "history s --run 3|--run goes with rejections and replay only",
        "run --run 3|--run goes with rejections and replay only",
    })
    void badFlagValuesAndFlagsOfAnotherCommandAreRefused(String line, String message) {
        assertEquals(message, refusal(line.split(" ")));
    }
}
