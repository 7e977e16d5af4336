package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.standin.KlaviyoStandIn;

/** Every command of the command line, and every start-up validation error, through the real path. */
class CliCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.withDemoCustomers(600).withoutApiKey();

    @BeforeEach
    void setUp() throws Exception {
        Files.copy(Path.of("routes/syncs/customers-by-external-id.yaml"),
                e2e.cli().syncsDir().resolve("customers-by-external-id.yaml"));
    }

    @Test
    void previewShowsRowsPayloadsAndVerdictsAndSendsNothing() throws Exception {
        e2e.cli().env("KLAVIYO_API_KEY", e2e.klaviyo().apiKey());

        CliHarness.Result r = e2e.cli().run("preview", "customers-by-external-id", "--limit", "20", "--json");

        assertEquals(0, r.exitCode(), r.err());
        List<JsonNode> rows = lines(r.out());
        assertEquals(20, rows.size());
        JsonNode first = rows.get(0);
        assertEquals("cust-00001", first.get("identifier").asText());
        assertEquals("cust-00001", first.get("payload").at("/attributes/external_id").asText());
        assertEquals("profile", first.get("payload").get("type").asText());
        assertTrue(first.get("lists").toString().contains("klaviyo-sync customers"));
        JsonNode bad = rows.stream().filter(n -> n.get("identifier").asText().equals("cust-00007")).findFirst()
                .orElseThrow();
        assertFalse(bad.get("valid").asBoolean());
        assertEquals("email", bad.get("field").asText());
        assertTrue(bad.get("reason").asText().contains("cust-00007"));
        assertEquals(0, e2e.klaviyo().requests().size(), "preview sends nothing");

        CliHarness.Result text = e2e.cli().run("preview", "customers-by-external-id", "--limit", "3");
        assertEquals(0, text.exitCode());
        assertTrue(text.out().contains("Row 1") && text.out().contains("payload:") && text.out().contains("VALID"),
                text.out());
    }

    @Test
    void checkRecapsEverySyncAndPassesWithAGoodKey() {
        e2e.cli().env("KLAVIYO_API_KEY", e2e.klaviyo().apiKey());

        CliHarness.Result r = e2e.cli().run("check");

        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("Sync 'customers-by-external-id'"));
        assertTrue(r.out().contains("Update or Create"));
        assertTrue(r.out().contains("external_id <- column customer_id"));
        assertTrue(r.out().contains("location.city <- city"));
        assertTrue(r.out().contains("0 0 * * * ?"));
        assertTrue(r.out().contains("Warehouse:    OK"));
        assertTrue(r.out().contains("Klaviyo:        OK"));
        assertEquals(0, e2e.klaviyo().profiles().size());
        assertTrue(e2e.klaviyo().listsByIdToName().isEmpty(), "check creates nothing");
    }

    @Test
    void checkNamesAWrongKey() {
        e2e.cli().env("KLAVIYO_API_KEY", "pk_this_key_is_wrong");

        CliHarness.Result r = e2e.cli().run("check");

        assertEquals(1, r.exitCode());
        assertTrue(r.out().contains("KLAVIYO_API_KEY was refused"), r.out());
        assertFalse(r.out().contains("pk_this_key_is_wrong") || r.err().contains("pk_this_key_is_wrong"));
    }

    @Test
    void checkNamesAMissingScope() {
        e2e.klaviyo().addKey("pk_read_only_key", Set.of(KlaviyoStandIn.PROFILES_READ, KlaviyoStandIn.LISTS_READ,
                KlaviyoStandIn.PROFILES_WRITE));
        e2e.cli().env("KLAVIYO_API_KEY", "pk_read_only_key");

        CliHarness.Result r = e2e.cli().run("check");

        assertEquals(1, r.exitCode());
        assertTrue(r.out().contains("lists:write"), r.out());
        assertFalse(r.out().contains("lacks the scope profiles:write"), r.out());
    }

    @Test
    void dryRunWritesTheRequestsAndSaysNothingWasSent() throws Exception {
        CliHarness.Result r = e2e.cli().run("run", "customers-by-external-id");

        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("DRY RUN: nothing was sent to Klaviyo"), r.out());
        assertTrue(r.out().contains("export KLAVIYO_API_KEY="), r.out());
        assertEquals(0, e2e.klaviyo().requests().size());
        List<Path> files;
        try (var s = Files.list(e2e.work().resolve("dry-run"))) {
            files = s.toList();
        }
        assertEquals(1, files.size());
        List<JsonNode> requests = lines(Files.readString(files.get(0)));
        int profiles = 0;
        for (JsonNode req : requests) {
            assertEquals("profile-bulk-import-job", req.at("/request/data/type").asText());
            profiles += req.at("/request/data/attributes/profiles/data").size();
        }
        assertTrue(profiles > 600, "each row goes to each of its lists: " + profiles);

        CliHarness.Result json = e2e.cli().run("run", "--json", "customers-by-external-id");
        JsonNode summary = JSON.readTree(json.out().strip());
        assertEquals("dry_run", summary.get("status").asText());
        assertEquals(600, summary.get("read").asLong());
        assertEquals(0, summary.get("sent").asLong());
        assertEquals(600, summary.get("invalid").asLong() + summary.get("wouldSend").asLong());
        assertEquals(0, summary.get("deferred").asLong());
        assertTrue(json.err().contains("DRY RUN"), "with --json the notice goes to stderr");
    }

    @Test
    void runWithoutArgumentsRunsEverySyncAndUnknownSyncIsAUsageError() throws Exception {
        e2e.cli().env("KLAVIYO_API_KEY", e2e.klaviyo().apiKey());
        e2e.cli().sync("second", "model", "select customer_id, email from customers where customer_id < 'cust-00011'",
                "identifier", "external_id", "identifierColumn", "customer_id", "properties", "email=email",
                "lists", "Second");

        CliHarness.Result all = e2e.cli().run("run", "--json");
        assertEquals(0, all.exitCode(), all.err());
        assertEquals(2, lines(all.out()).size());

        CliHarness.Result unknown = e2e.cli().run("run", "no-such-sync");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("no sync named 'no-such-sync'"));
    }

    @Test
    void badSettingsStopStartUpWithTwoNamingEachKeyVariableValueAndWhatIsAllowed() {
        e2e.cli().env("KLAVIYO_SUBMIT_THREADS", "four").env("STATE_RETENTION_DAYS", "0");

        CliHarness.Result r = e2e.cli().run("check");

        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("klaviyo.submit-threads (environment KLAVIYO_SUBMIT_THREADS) must be a whole number,"
                + " not 'four'"), r.err());
        assertTrue(r.err().contains("state.retention-days (environment STATE_RETENTION_DAYS) must be at least 1, not 0"),
                r.err());
        assertEquals(0, e2e.klaviyo().requests().size());
    }

    @Test
    void checkReportsAMisspelledVariableWithTheSettingItMeant() {
        e2e.cli().env("KLAVIYO_SUBMIT_THREAD", "2");

        CliHarness.Result r = e2e.cli().run("check");

        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("Settings:       1 given that match no setting (ignored):\n  - environment:"
                + " KLAVIYO_SUBMIT_THREAD is no setting of klaviyo-sync and is ignored; did you mean"
                + " KLAVIYO_SUBMIT_THREADS?"), r.out());
        e2e.cli().env("KLAVIYO_SUBMIT_THREAD", null);
        assertTrue(e2e.cli().run("check").out().contains("Settings:       OK"));
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, e2e.cli().run("frobnicate").exitCode());
        assertEquals(2, e2e.cli().run("run", "--bogus").exitCode());
        assertEquals(2, e2e.cli().run("preview").exitCode());
        assertEquals(2, e2e.cli().run("preview", "x", "--limit", "zero").exitCode());
        CliHarness.Result help = e2e.cli().run("--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("preview SYNC_ID"));
    }

    @Test
    void aSyncNamedAsAnotherSyncsScheduleRouteIsRefused() throws Exception {
        e2e.cli().sync("nightly", "model", "select 1 as id", "schedule", "0 0 2 * * ?", "identifier", "email",
                "identifierColumn", "id", "properties", "*", "lists", "L");
        e2e.cli().sync("nightly-schedule", "model", "select 1 as id", "identifier", "email", "identifierColumn", "id",
                "properties", "*", "lists", "L");

        CliHarness.Result r = e2e.cli().run("run");

        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("nightly-schedule.yaml: syncId 'nightly-schedule' is the id of the schedule route"
                + " of sync 'nightly'"), r.err());
    }

    @Test
    void everyStartUpProblemIsReportedAtOnceWithFileParameterAndFix() throws Exception {
        e2e.cli().sync("bad-identifier", "model", "select 1 as id", "identifier", "externalid",
                "identifierColumn", "id", "properties", "*", "lists", "L");
        e2e.cli().sync("bad-cron", "model", "select 1 as id", "schedule", "every hour", "identifier", "email",
                "identifierColumn", "id", "properties", "*", "lists", "L");
        e2e.cli().sync("bad-field", "model", "select 1 as id", "identifier", "email", "identifierColumn", "id",
                "properties", "location.street=id,$reserved=id", "lists", "L");
        e2e.cli().sync("no-lists", "model", "select 1 as id", "identifier", "email", "identifierColumn", "id",
                "properties", "*");
        e2e.cli().sync("typo", "model", "select 1 as id", "identifer", "email", "identifierColumn", "id",
                "properties", "*", "lists", "L");
        e2e.cli().sync("missing-model-file", "model", "file:models/nope.sql", "identifier", "email",
                "identifierColumn", "id", "properties", "*", "lists", "L");

        CliHarness.Result r = e2e.cli().run("run");

        assertEquals(2, r.exitCode());
        String e = r.err();
        assertTrue(e.contains("bad-identifier.yaml: parameter 'identifier' 'externalid' is not a Klaviyo identifier"), e);
        assertTrue(e.contains("bad-cron.yaml: parameter 'schedule' 'every hour' is not a Quartz cron"), e);
        assertTrue(e.contains("bad-field.yaml: parameter 'properties' unknown field 'location.street'"), e);
        assertTrue(e.contains("'$reserved' starts with '$'"), e);
        assertTrue(e.contains("no-lists.yaml: neither 'listColumn' nor 'lists' is set"), e);
        assertTrue(e.contains("typo.yaml: unknown parameter 'identifer'"), e);
        assertTrue(e.contains("typo.yaml: parameter 'identifier' is required"), e);
        assertTrue(e.contains("missing-model-file.yaml: parameter 'model' names"), e);
        assertTrue(e.contains("does not exist"), e);
    }

    @Test
    void aSyncFilePutAmongTheRoutesSaysWhereSyncFilesGo() throws Exception {
        Path routes = Files.createDirectories(e2e.work().resolve("routes"));
        try (var files = Files.list(Path.of("routes"))) {
            for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        e2e.cli().sync("kept", "model", "select customer_id, email from customers", "identifier", "external_id",
                "identifierColumn", "customer_id", "properties", "email=email", "lists", "L");
        Path misplaced = e2e.cli().sync("customers", "model", "select customer_id, email from customers", "identifier",
                "external_id", "identifierColumn", "customer_id", "properties", "email=email", "lists", "L");
        Files.move(misplaced, routes.resolve("customers.yaml"));
        e2e.cli().env("ROUTES_DIR", routes.toString());

        CliHarness.Result r = e2e.cli().run("run", "kept");

        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains(routes.resolve("customers.yaml") + ": a sync file (templatedRoute) directly in "
                + routes) && r.err().contains("sync files go in " + e2e.cli().syncsDir()), r.err());
        assertFalse(r.err().contains("Cannot find RouteTemplate"), r.err());
    }

    @Test
    void aMappedColumnTheModelDoesNotReturnStopsStartUp() throws Exception {
        e2e.cli().sync("wrong-column", "model", "select customer_id, email from customers", "identifier", "external_id",
                "identifierColumn", "customer_id", "properties", "first_name=given_name", "listColumn", "segments");
        e2e.cli().sync("broken-sql", "model", "select customer_id from customerz", "identifier", "external_id",
                "identifierColumn", "customer_id", "properties", "*", "lists", "L");

        CliHarness.Result r = e2e.cli().run("check");

        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("wrong-column.yaml: parameter 'properties' maps field 'first_name' to column"
                + " 'given_name', which the model does not return"), r.err());
        assertTrue(r.err().contains("wrong-column.yaml: parameter 'listColumn' names column 'segments'"), r.err());
        assertTrue(r.err().contains("broken-sql.yaml: parameter 'model' of sync 'broken-sql' fails in the warehouse"),
                r.err());
        assertTrue(r.err().contains("customerz"), r.err());
    }

    @Test
    void theEmbeddedDefaultStartsAPostgresWithDemoDataWhenNoWarehouseIsConfigured() throws Exception {
        e2e.cli().env("WAREHOUSE_JDBC_URL", null).env("EMBEDDED_DATA_DIR", e2e.work().resolve("pg").toString());

        CliHarness.Result r = e2e.cli().run("run", "--json", "customers-by-external-id");

        assertEquals(0, r.exitCode(), r.err());
        JsonNode summary = JSON.readTree(r.out().strip());
        assertEquals(3000, summary.get("read").asLong());
        assertTrue(summary.get("invalid").asLong() > 0, "the demo data holds bad emails and phones");
        assertTrue(Files.exists(e2e.work().resolve("pg/PG_VERSION")), "data kept in the configured folder");
    }

    private static List<JsonNode> lines(String out) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                nodes.add(JSON.readTree(line));
            }
        }
        return nodes;
    }
}
