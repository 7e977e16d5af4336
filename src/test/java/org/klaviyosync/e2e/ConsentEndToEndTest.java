package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.standin.KlaviyoStandIn;
import org.klaviyosync.standin.ProfileSubscriptionsResource.ChannelConsent;

/**
 * Consent on profile syncs ({@code emailConsent}, {@code smsConsent}, {@code consentList},
 * {@code consentedAtColumn}): true subscribes, false unsubscribes, NULL leaves consent alone; only rows
 * whose consent changed are sent, and a row sent again for another reason (another column, a full run)
 * sends only the channels whose value differs from the one Klaviyo acknowledged; a change goes out only after the profile's import was acknowledged,
 * and the row counts sent only when both were; a refused change rejects the row with Klaviyo's reason,
 * one that could not be sent defers it; a sync with consent but no usable list does not start.
 */
class ConsentEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "select id, email, phone, email_ok, sms_ok, consented_at from members order by id";
    private static final String SUBSCRIBE = "/api/profile-subscription-bulk-create-jobs";
    private static final String UNSUBSCRIBE = "/api/profile-subscription-bulk-delete-jobs";

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.freshWarehouse().jobPollsUntilComplete(1);

    @BeforeEach
    void members() throws Exception {
        e2e.warehouse().execute("drop table if exists members",
                "create table members (id text primary key, email text, phone text, email_ok boolean,"
                        + " sms_ok boolean, consented_at timestamptz)",
                "insert into members values"
                        + " ('c1', 'one@example.com', '+14155552671', true, true, null),"
                        + " ('c2', 'two@example.com', '+14155552672', false, null, null),"
                        + " ('c3', 'three@example.com', null, null, null, null)");
    }

    private static void consentSync(String... extra) throws Exception {
        List<String> p = new ArrayList<>(List.of("model", MODEL, "identifier", "external_id", "identifierColumn", "id",
                "properties", "email=email,phone_number=phone", "lists", "Newsletter", "emailConsent", "email_ok",
                "smsConsent", "sms_ok"));
        p.addAll(List.of(extra));
        e2e.cli().sync("members", p.toArray(new String[0]));
    }

    private static JsonNode run(int exitCode) throws Exception {
        CliHarness.Result r = e2e.cli().run("run", "--json", "members");
        assertEquals(exitCode, r.exitCode(), r.out() + r.err());
        JsonNode summary = JSON.readTree(r.out().strip());
        long ended = 0;
        for (String outcome : List.of("sent", "unchanged", "invalid", "rejected", "deferred", "wouldSend")) {
            ended += summary.get(outcome).asLong();
        }
        assertEquals(summary.get("read").asLong(), ended, "read = sent + unchanged + invalid + rejected + deferred: "
                + summary);
        return summary;
    }

    private static void assertCounts(JsonNode s, int read, int sent, int unchanged, int rejected, int deferred) {
        assertEquals(read, s.get("read").asInt(), s.toString());
        assertEquals(sent, s.get("sent").asInt(), s.toString());
        assertEquals(unchanged, s.get("unchanged").asInt(), s.toString());
        assertEquals(rejected, s.get("rejected").asInt(), s.toString());
        assertEquals(deferred, s.get("deferred").asInt(), s.toString());
    }

    private static ChannelConsent consent(String externalId, String channel) {
        String id = e2e.klaviyo().profileByExternalId(externalId).orElseThrow().id();
        return e2e.klaviyo().consentOf(id, channel).orElse(null);
    }

    private static String newsletter() {
        List<String> ids = e2e.klaviyo().listIdsNamed("Newsletter");
        assertEquals(1, ids.size());
        return ids.get(0);
    }

    @Test
    void trueSubscribesFalseUnsubscribesNullLeavesAloneAndOnlyChangesAreSent() throws Exception {
        consentSync();
        assertCounts(run(0), 3, 3, 0, 0, 0);
        ChannelConsent c1Email = consent("c1", "email");
        assertEquals("SUBSCRIBED", c1Email.consent());
        assertEquals(newsletter(), c1Email.listId(), "through the sync's one list");
        assertFalse(c1Email.historical());
        assertEquals("SUBSCRIBED", consent("c1", "sms").consent());
        ChannelConsent c2Email = consent("c2", "email");
        assertEquals("UNSUBSCRIBED", c2Email.consent());
        assertFalse(c2Email.global(), "imported into the list first, so the unsubscribe is the list's");
        assertEquals(null, consent("c2", "sms"), "NULL leaves SMS alone");
        assertEquals(null, consent("c3", "email"), "NULL leaves email alone");
        assertEquals(1, e2e.klaviyo().count("POST", SUBSCRIBE), "c1's subscriptions in one request");
        assertEquals(1, e2e.klaviyo().count("POST", UNSUBSCRIBE));
        // the consent requests come after the import they depend on
        List<String> order = e2e.klaviyo().requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().startsWith("/api/profile-"))
                .map(r -> r.path()).toList();
        assertTrue(order.indexOf("/api/profile-bulk-import-jobs") < order.indexOf(SUBSCRIBE), order.toString());

        // nothing changed: nothing sent, consent requests included
        assertCounts(run(0), 3, 0, 3, 0, 0);
        assertEquals(1, e2e.klaviyo().count("POST", SUBSCRIBE));
        assertEquals(1, e2e.klaviyo().count("POST", UNSUBSCRIBE));

        // c1 unsubscribes from email (SMS stays true), c3 subscribes
        e2e.warehouse().execute("update members set email_ok = false where id = 'c1'",
                "update members set email_ok = true where id = 'c3'");
        assertCounts(run(0), 3, 2, 1, 0, 0);
        assertEquals("UNSUBSCRIBED", consent("c1", "email").consent());
        assertEquals("SUBSCRIBED", consent("c1", "sms").consent());
        assertEquals("SUBSCRIBED", consent("c3", "email").consent());
        assertEquals(2, e2e.klaviyo().count("POST", UNSUBSCRIBE));

        // c2 goes from false to NULL: its profile is sent again, its consent is left as it is
        int subscribes = e2e.klaviyo().count("POST", SUBSCRIBE);
        e2e.warehouse().execute("update members set email_ok = null where id = 'c2'");
        assertCounts(run(0), 3, 1, 2, 0, 0);
        assertEquals(subscribes, e2e.klaviyo().count("POST", SUBSCRIBE));
        assertEquals(2, e2e.klaviyo().count("POST", UNSUBSCRIBE));
        assertEquals("UNSUBSCRIBED", consent("c2", "email").consent());
    }

    @Test
    void aRowSentAgainForAnotherReasonDoesNotSendItsUnchangedConsentAgain() throws Exception {
        e2e.warehouse().execute("alter table members add column tier text");
        e2e.cli().sync("members", "model", "select id, email, phone, email_ok, sms_ok, tier from members order by id",
                "identifier", "external_id", "identifierColumn", "id", "properties",
                "email=email,phone_number=phone,tier=tier", "lists", "Newsletter", "emailConsent", "email_ok",
                "smsConsent", "sms_ok");
        assertCounts(run(0), 3, 3, 0, 0, 0);
        assertEquals(1, e2e.klaviyo().count("POST", SUBSCRIBE));
        assertEquals(1, e2e.klaviyo().count("POST", UNSUBSCRIBE));
        // c1 unsubscribes from email in Klaviyo itself, while the warehouse still says true
        e2e.klaviyo().personUnsubscribes(e2e.klaviyo().profileByExternalId("c1").orElseThrow().id(), "email");

        // another column changes: the rows go again, their consent does not
        e2e.warehouse().execute("update members set tier = 'gold' where id in ('c1', 'c2')");
        int imports = e2e.klaviyo().count("POST", "/api/profile-bulk-import-jobs");
        assertCounts(run(0), 3, 2, 1, 0, 0);
        assertEquals(imports + 1, e2e.klaviyo().count("POST", "/api/profile-bulk-import-jobs"));
        assertEquals("gold", e2e.klaviyo().profileByExternalId("c1").orElseThrow().properties().get("tier"));
        assertEquals(1, e2e.klaviyo().count("POST", SUBSCRIBE), "c1's unchanged true is not sent again");
        assertEquals(1, e2e.klaviyo().count("POST", UNSUBSCRIBE), "nor c2's unchanged false");
        assertEquals("UNSUBSCRIBED", consent("c1", "email").consent(), "the person's unsubscribe stands");
        assertEquals("SUBSCRIBED", consent("c1", "sms").consent());

        // a full run imports every row again, still without a consent request
        CliHarness.Result full = e2e.cli().run("run", "--full", "--json", "members");
        assertEquals(0, full.exitCode(), full.out() + full.err());
        assertCounts(JSON.readTree(full.out().strip()), 3, 3, 0, 0, 0);
        assertEquals(1, e2e.klaviyo().count("POST", SUBSCRIBE));
        assertEquals(1, e2e.klaviyo().count("POST", UNSUBSCRIBE));
        assertEquals("UNSUBSCRIBED", consent("c1", "email").consent());

        // a change after that is sent, and only the channel that changed: c1's SMS true is not resent
        e2e.warehouse().execute("update members set email_ok = false where id = 'c1'",
                "update members set email_ok = true where id = 'c2'");
        assertCounts(run(0), 3, 2, 1, 0, 0);
        assertEquals(2, e2e.klaviyo().count("POST", SUBSCRIBE));
        assertEquals(2, e2e.klaviyo().count("POST", UNSUBSCRIBE));
        assertEquals("SUBSCRIBED", consent("c2", "email").consent());
        assertEquals("UNSUBSCRIBED", consent("c1", "email").consent());
        String subscribeBody = e2e.klaviyo().requests().stream().filter(r -> r.path().equals(SUBSCRIBE))
                .reduce((a, b) -> b).orElseThrow().body();
        assertFalse(subscribeBody.contains("+14155552671"), "c1's SMS is not in it: " + subscribeBody);

        // NULL sends nothing and keeps what was acknowledged: back to the same true, nothing is sent
        e2e.warehouse().execute("update members set email_ok = null where id = 'c2'");
        assertCounts(run(0), 3, 1, 2, 0, 0);
        e2e.warehouse().execute("update members set email_ok = true where id = 'c2'");
        assertCounts(run(0), 3, 1, 2, 0, 0);
        assertEquals(2, e2e.klaviyo().count("POST", SUBSCRIBE));
        assertEquals(2, e2e.klaviyo().count("POST", UNSUBSCRIBE));
    }

    @Test
    void aConsentChangeKlaviyoRefusesRejectsTheRowWithKlaviyosReason() throws Exception {
        // an account with age gating refuses an SMS subscription without a date of birth
        e2e.klaviyo().setSmsAgeGating(true);
        consentSync();

        JsonNode first = run(0);

        assertCounts(first, 3, 2, 0, 1, 0);
        assertEquals(null, consent("c1", "sms"));
        assertEquals("UNSUBSCRIBED", consent("c2", "email").consent(), "the other rows went on");
        CliHarness.Result rejections = e2e.cli().run("rejections", "members", "--json");
        JsonNode row = JSON.readTree(rejections.out().strip().lines().findFirst().orElseThrow());
        assertEquals("c1", row.get("identifier").asText(), row.toString());
        assertEquals("invalid", row.get("code").asText(), row.toString());
        assertTrue(row.toString().contains("imported, but Klaviyo refused its consent change"), row.toString());
        assertTrue(row.toString().contains("age_gated_date_of_birth"), row.toString());

        // the same data again: still rejected, without a call
        int requests = e2e.klaviyo().count("POST", SUBSCRIBE);
        assertCounts(run(0), 3, 0, 2, 1, 0);
        assertEquals(requests, e2e.klaviyo().count("POST", SUBSCRIBE));

        // replay: Klaviyo never acknowledged c1's consent, so it is sent with the row
        e2e.klaviyo().setSmsAgeGating(false);
        CliHarness.Result replay = e2e.cli().run("replay", "members", "--json");
        assertEquals(0, replay.exitCode(), replay.out() + replay.err());
        assertEquals(1, JSON.readTree(replay.out().strip()).get("sent").asInt(), replay.out());
        assertEquals(requests + 1, e2e.klaviyo().count("POST", SUBSCRIBE));
        assertEquals("SUBSCRIBED", consent("c1", "sms").consent());
        assertEquals("SUBSCRIBED", consent("c1", "email").consent());
    }

    @Test
    void aRowCountsSentOnlyWhenEveryConsentChangeWasAcknowledgedAndOneNotSentIsDeferred() throws Exception {
        // c1 subscribes to email and unsubscribes from SMS; unsubscribing is down
        e2e.warehouse().execute("update members set sms_ok = false where id = 'c1'");
        consentSync();
        e2e.cli().env("KLAVIYO_RETRY_BASE_DELAY_MS", "1").env("KLAVIYO_RETRY_MAX_DELAY_MS", "5");
        e2e.klaviyo().faults().onlyForPathsStartingWith(UNSUBSCRIBE).serverErrors(1.0, 503);

        CliHarness.Result failed = e2e.cli().run("run", "--json", "members");
        JsonNode summary = JSON.readTree(failed.out().strip());
        assertEquals(3, summary.get("read").asInt(), summary.toString());
        assertEquals(1, summary.get("sent").asInt(), "c3 has no consent change: " + summary);
        assertEquals(2, summary.get("deferred").asInt(), summary.toString());
        assertEquals("SUBSCRIBED", consent("c1", "email").consent(), "its subscription went through");
        assertEquals(null, consent("c1", "sms"), "its unsubscription did not, so c1 is deferred");
        assertEquals(null, consent("c2", "email"));
        assertTrue(e2e.klaviyo().profileByExternalId("c2").isPresent(), "the import itself went through");
        try (Connection c = e2e.warehouse().dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select outcome, reason from klaviyo_sync.row_results where run_id = "
                        + summary.get("runId").asLong() + " and identifier_value = 'c1'")) {
            assertTrue(rs.next());
            assertEquals("deferred", rs.getString(1));
            assertTrue(rs.getString(2).contains("imported, but its consent was not changed"), rs.getString(2));
        }

        e2e.klaviyo().faults().clear();
        int subscribes = e2e.klaviyo().count("POST", SUBSCRIBE);
        assertCounts(run(0), 3, 2, 1, 0, 0);
        assertEquals("UNSUBSCRIBED", consent("c1", "sms").consent());
        assertEquals(subscribes, e2e.klaviyo().count("POST", SUBSCRIBE),
                "c1's email subscription was acknowledged already: only its unsubscription is sent again");
        assertEquals("UNSUBSCRIBED", consent("c2", "email").consent());
    }

    @Test
    void aRateLimitedConsentRequestWaitsOutRetryAfterAndIsSent() throws Exception {
        consentSync();
        e2e.klaviyo().faults().onlyForPathsStartingWith("/api/profile-subscription-").tooManyRequests(2, 1);

        assertCounts(run(0), 3, 3, 0, 0, 0);

        assertEquals(2, e2e.klaviyo().count429());
        assertEquals("SUBSCRIBED", consent("c1", "email").consent());
        assertEquals("UNSUBSCRIBED", consent("c2", "email").consent());
    }

    @Test
    void historicalConsentIsImportedWithItsTime() throws Exception {
        e2e.warehouse().execute("update members set consented_at = '2024-03-01 10:00:00+00'");
        consentSync("consentedAtColumn", "consented_at", "consentList", "Imported consent");

        assertCounts(run(0), 3, 3, 0, 0, 0);

        ChannelConsent c1 = consent("c1", "email");
        assertTrue(c1.historical(), c1.toString());
        assertEquals("2024-03-01T10:00:00Z", c1.consentedAt());
        assertEquals(e2e.klaviyo().listIdsNamed("Imported consent").get(0), c1.listId(), "through consentList");
        // a subscription needs its time: a row without one is invalid and says why
        e2e.warehouse().execute("update members set consented_at = null where id = 'c1'",
                "update members set email_ok = true where id = 'c3'");
        JsonNode second = run(0);
        assertEquals(1, second.get("invalid").asInt(), second.toString());
        assertEquals(1, second.get("sent").asInt(), "c3 now subscribes: " + second);
    }

    @Test
    void consentWithoutAUsableListIsRefusedAtStartUpWithTheFix() throws Exception {
        e2e.cli().sync("members", "model", MODEL, "identifier", "external_id", "identifierColumn", "id",
                "properties", "email=email", "listColumn", "lists_of_row", "emailConsent", "email_ok",
                "smsConsent", "sms_ok");

        CliHarness.Result r = e2e.cli().run("run", "members");

        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("members.yaml: parameter 'emailConsent' of sync 'members' needs a list to"
                + " subscribe through"), r.err());
        assertTrue(r.err().contains("set consentList to the list's name or id"), r.err());
        assertTrue(r.err().contains("parameter 'smsConsent' of sync 'members' needs the profile's phone number"),
                r.err());
        assertEquals(0, e2e.klaviyo().requests().size(), "nothing was sent");

        e2e.cli().sync("members", "model", MODEL, "identifier", "external_id", "identifierColumn", "id",
                "properties", "email=email", "lists", "A,B", "consentList", "Newsletter");
        CliHarness.Result noChannel = e2e.cli().run("check");
        assertEquals(2, noChannel.exitCode(), noChannel.out() + noChannel.err());
        assertTrue(noChannel.err().contains("parameter 'consentList' of sync 'members' is set, but neither"
                + " emailConsent nor smsConsent is"), noChannel.err());
    }

    @Test
    void checkRecapsConsentAndNamesTheMissingSubscriptionsScopeAndPreviewShowsIt() throws Exception {
        consentSync();
        CliHarness.Result ok = e2e.cli().run("check");
        assertEquals(0, ok.exitCode(), ok.out() + ok.err());
        assertTrue(ok.out().contains("Consent:      email <- column email_ok, SMS <- column sms_ok (true subscribes,"
                + " false unsubscribes, NULL leaves it alone), through list Newsletter"), ok.out());
        assertTrue(ok.out().contains("lists:write and subscriptions:write"), ok.out());

        CliHarness.Result preview = e2e.cli().run("preview", "members", "--limit", "3");
        assertEquals(0, preview.exitCode(), preview.err());
        assertTrue(preview.out().contains("consent: {\"email\":\"subscribe\",\"sms\":\"subscribe\"} (through list"
                + " Newsletter)"), preview.out());
        assertTrue(preview.out().contains("consent: {\"email\":\"unsubscribe\",\"sms\":\"unchanged\"}"),
                preview.out());

        e2e.klaviyo().addKey("pk_no_subscriptions", Set.of(KlaviyoStandIn.PROFILES_READ, KlaviyoStandIn.PROFILES_WRITE,
                KlaviyoStandIn.LISTS_READ, KlaviyoStandIn.LISTS_WRITE));
        e2e.cli().env("KLAVIYO_API_KEY", "pk_no_subscriptions");
        CliHarness.Result lacking = e2e.cli().run("check");
        assertEquals(1, lacking.exitCode(), lacking.out());
        assertTrue(lacking.out().contains("KLAVIYO_API_KEY lacks the scope subscriptions:write (needed to change the"
                + " marketing consent of profile syncs with emailConsent or smsConsent)"), lacking.out());
    }

    @Test
    void aDryRunWritesTheConsentRequests() throws Exception {
        consentSync();
        e2e.cli().env("KLAVIYO_API_KEY", null);

        JsonNode summary = run(0);

        assertEquals(3, summary.get("wouldSend").asInt(), summary.toString());
        List<JsonNode> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(e2e.work().resolve("dry-run"))) {
            for (Path f : files.toList()) {
                for (String l : Files.readAllLines(f)) {
                    lines.add(JSON.readTree(l));
                }
            }
        }
        JsonNode subscribe = lines.stream().filter(l -> l.get("endpoint").asText().equals("POST " + SUBSCRIBE))
                .findFirst().orElseThrow(() -> new AssertionError(lines.toString()));
        assertEquals(1, subscribe.get("profiles").asInt());
        assertEquals("one@example.com", subscribe.at("/request/data/attributes/profiles/data/0/attributes/email")
                .asText());
        assertEquals("Newsletter", subscribe.at("/request/data/relationships/list/data/id").asText());
        assertTrue(lines.stream().anyMatch(l -> l.get("endpoint").asText().equals("POST " + UNSUBSCRIBE)),
                lines.toString());
        assertTrue(e2e.klaviyo().requests().isEmpty());
    }
}
