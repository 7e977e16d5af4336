package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A dry run counts the rows it would send as {@code wouldSend}, not as deferred: in {@code run
 * --json}, the run line and the history, whose table gains the column on a database made before it.
 */
class DryRunCountsTest {

    private static final String SYNC = "customers-by-external-id";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.withDemoCustomers(300).withoutApiKey();

    @BeforeEach
    void setUp() throws Exception {
        Files.copy(Path.of("routes/syncs/" + SYNC + ".yaml"), e2e.cli().syncsDir().resolve(SYNC + ".yaml"));
    }

    @Test
    void aDryRunReportsTheRowsItWouldSendAndTheCountsAddUp() throws Exception {
        CliHarness.Result line = e2e.cli().run("run", SYNC);
        assertEquals(0, line.exitCode(), line.err());
        String first = line.out().lines().filter(l -> l.startsWith(SYNC + ": dry_run")).findFirst().orElseThrow();
        assertTrue(first.contains(" wouldSend=") && first.contains(" deferred=0 ") && !first.contains(" sent="), first);
        long lineWouldSend = Long.parseLong(first.replaceAll(".* wouldSend=(\\d+) .*", "$1"));
        assertTrue(line.out().contains(SYNC + ": " + lineWouldSend + " profile(s) would be sent"), line.out());

        CliHarness.Result json = e2e.cli().run("run", "--json", SYNC);
        JsonNode s = JSON.readTree(json.out().strip());
        assertEquals("dry_run", s.get("status").asText());
        assertEquals(300, s.get("read").asLong());
        assertEquals(0, s.get("sent").asLong());
        assertEquals(0, s.get("deferred").asLong(), "nothing is deferred: the run did not fail");
        assertTrue(s.get("invalid").asLong() > 0 && s.get("wouldSend").asLong() > 0, s.toString());
        // in a dry run: read = wouldSend + unchanged + invalid + rejected + deferred
        assertEquals(s.get("read").asLong(), s.get("wouldSend").asLong() + s.get("unchanged").asLong()
                + s.get("invalid").asLong() + s.get("rejected").asLong() + s.get("deferred").asLong());
        assertEquals(lineWouldSend, s.get("wouldSend").asLong());

        List<JsonNode> history = lines(e2e.cli().run("history", SYNC, "--json").out());
        assertEquals(2, history.size());
        for (JsonNode run : history) {
            assertEquals(s.get("wouldSend").asLong(), run.get("wouldSend").asLong(), run.toString());
            assertEquals(0, run.get("deferred").asLong(), run.toString());
        }
        String table = e2e.cli().run("history", SYNC).out();
        assertTrue(table.contains("WOULD SEND"), table);
        assertTrue(table.contains(" " + s.get("wouldSend").asLong() + " "), table);

        // a real run sends what the dry run said it would
        e2e.cli().env("KLAVIYO_API_KEY", e2e.klaviyo().apiKey());
        e2e.klaviyo().setJobPollsUntilComplete(1);
        JsonNode real = JSON.readTree(e2e.cli().run("run", "--json", SYNC).out().strip());
        assertEquals("completed", real.get("status").asText(), real.toString());
        assertEquals(s.get("wouldSend").asLong(), real.get("sent").asLong(), real.toString());
        assertEquals(0, real.get("wouldSend").asLong());
    }

    @Test
    void theHistoryOfADatabaseFromBeforeWouldSendGainsTheColumn() throws Exception {
        // the runs table as releases before wouldSend created it, with one run in it
        e2e.warehouse().execute("create schema klaviyo_sync", """
                create table klaviyo_sync.runs (
                  run_id      bigserial primary key,
                  sync_id     text not null,
                  started_at  timestamptz not null,
                  ended_at    timestamptz,
                  status      text not null,
                  dry_run     boolean not null default false,
                  read        bigint not null default 0,
                  sent        bigint not null default 0,
                  unchanged   bigint not null default 0,
                  invalid     bigint not null default 0,
                  rejected    bigint not null default 0,
                  deferred    bigint not null default 0,
                  error       text
                )""", "insert into klaviyo_sync.runs (sync_id, started_at, ended_at, status, dry_run, read, invalid,"
                + " deferred) values ('" + SYNC + "', now() - interval '1 day', now() - interval '1 day', 'dry_run',"
                + " true, 300, 5, 295)");

        CliHarness.Result run = e2e.cli().run("run", "--json", SYNC);
        assertEquals(0, run.exitCode(), run.err());
        List<JsonNode> history = lines(e2e.cli().run("history", SYNC, "--json").out());
        assertEquals(2, history.size(), history.toString());
        assertTrue(history.get(0).get("wouldSend").asLong() > 0, history.get(0).toString());
        assertEquals(0, history.get(1).get("wouldSend").asLong(), "the old run keeps its counts");
        assertEquals(295, history.get(1).get("deferred").asLong());
    }

    private static List<JsonNode> lines(String out) throws Exception {
        List<JsonNode> l = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            if (!line.isBlank()) {
                l.add(JSON.readTree(line));
            }
        }
        return l;
    }
}
