package org.klaviyosync.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KlaviyoStandInTest {

    private static final String REVISION = "2026-07-15";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private KlaviyoStandIn standIn;

    @BeforeEach
    void start() {
        standIn = KlaviyoStandIn.start();
    }

    @AfterEach
    void stop() {
        standIn.close();
    }

    // ------------------------------------------------------------------ auth, headers, routing

    @Test
    void missingOrWrongKeyIs401() throws Exception {
        HttpResponse<String> none = send(request("GET", "/api/lists").header("revision", REVISION));
        assertError(none, 401, "not_authenticated");
        assertEquals("application/vnd.api+json", none.headers().firstValue("Content-Type").orElseThrow());

        HttpResponse<String> wrong = send(request("GET", "/api/lists")
                .header("Authorization", "Klaviyo-API-Key pk_nope").header("revision", REVISION));
        assertError(wrong, 401, "not_authenticated");

        HttpResponse<String> wrongScheme = send(request("GET", "/api/lists")
                .header("Authorization", "Bearer " + standIn.apiKey()).header("revision", REVISION));
        assertError(wrongScheme, 401, "not_authenticated");
    }

    @Test
    void missingScopeIs403NamingTheScopeBeforeBodyValidation() throws Exception {
        standIn.addKey("pk_read_only", Set.of("lists:read", "profiles:read"));
        String probe = "{\"data\":{\"type\":\"scope-check\",\"attributes\":{}}}";

        HttpResponse<String> denied = send(api("POST", "/api/profile-import", probe, "pk_read_only"));
        JsonNode error = assertError(denied, 403, "permission_denied");
        assertTrue(error.get("detail").asText().contains("requires the scope profiles:write"), error.toString());

        HttpResponse<String> deniedList = send(api("POST", "/api/lists", probe, "pk_read_only"));
        assertTrue(assertError(deniedList, 403, "permission_denied").get("detail").asText().contains("lists:write"));

        assertEquals(200, send(api("GET", "/api/lists?page%5Bsize%5D=1", null, "pk_read_only")).statusCode());
        assertEquals(200, send(api("GET", "/api/profiles?page%5Bsize%5D=1", null, "pk_read_only")).statusCode());

        // with the scope the same probe is a 400 and creates nothing
        JsonNode invalid = assertError(send(api("POST", "/api/profile-import", probe)), 400, "invalid");
        assertEquals("/data/type", invalid.at("/source/pointer").asText());
        assertError(send(api("POST", "/api/lists", probe)), 400, "invalid");
        assertTrue(standIn.profiles().isEmpty());
        assertTrue(standIn.listsByIdToName().isEmpty());

        HttpResponse<String> bulkDenied = send(api("POST", "/api/profile-bulk-import-jobs", probe, "pk_read_only"));
        String detail = assertError(bulkDenied, 403, "permission_denied").get("detail").asText();
        assertTrue(detail.contains("lists:write") && detail.contains("profiles:write"), detail);
    }

    @Test
    void revisionHeaderIsRequiredAndChecked() throws Exception {
        HttpResponse<String> missing = send(request("GET", "/api/lists")
                .header("Authorization", "Klaviyo-API-Key " + standIn.apiKey()));
        JsonNode error = assertError(missing, 400, "invalid");
        assertEquals("revision", error.at("/source/parameter").asText());

        HttpResponse<String> bad = send(request("GET", "/api/lists")
                .header("Authorization", "Klaviyo-API-Key " + standIn.apiKey()).header("revision", "2026-7-15"));
        assertError(bad, 400, "invalid");

        HttpResponse<String> beta = send(request("GET", "/api/lists")
                .header("Authorization", "Klaviyo-API-Key " + standIn.apiKey()).header("revision", "2026-01-15.pre"));
        assertEquals(200, beta.statusCode());
    }

    @Test
    void wrongContentTypeIs415AndCreatesNothing() throws Exception {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "application/xml"}) {
            HttpRequest req = request("POST", "/api/profile-import")
                    .header("Authorization", "Klaviyo-API-Key " + standIn.apiKey())
                    .header("revision", REVISION)
                    .header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString(profileBody("a@example.com", null, null).toString()))
                    .build();
            assertError(send(req), 415, "unsupported_media_type");
        }
        assertTrue(standIn.profiles().isEmpty());
    }

    @Test
    void theOfficialSdksJsonContentTypeIsTaken() throws Exception {
        // Klaviyo's Node SDK 23 leaves the body's type to its HTTP client: application/json (recorded in
        // src/test/resources/klaviyo-node-sdk), and Klaviyo answers it
        HttpRequest req = request("POST", "/api/profile-import")
                .header("Authorization", "Klaviyo-API-Key " + standIn.apiKey())
                .header("revision", REVISION)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(profileBody("a@example.com", null, null).toString()))
                .build();
        assertEquals(201, send(req).statusCode());
        assertEquals(1, standIn.profiles().size());
    }

    @Test
    void routingIsStrict() throws Exception {
        assertError(send(api("GET", "/api/lists/", null)), 404, "not_found");
        assertError(send(api("GET", "/api/nope", null)), 404, "not_found");
        HttpResponse<String> wrongMethod = send(api("GET", "/api/profile-import", null));
        assertError(wrongMethod, 405, "method_not_allowed");
        assertEquals("POST", wrongMethod.headers().firstValue("Allow").orElseThrow());
        assertError(send(api("GET", "/api/lists?unknown=1", null)), 400, "invalid");
        assertError(send(api("GET", "/api/lists/XXXXXX", null)), 404, "not_found");
    }

    // ------------------------------------------------------------------ profile-import

    @Test
    void profileImportCreatesThenUpdates() throws Exception {
        ObjectNode body = profileBody("sarah@example.com", null, "crm-1");
        attributes(body).put("first_name", "Sarah");
        HttpResponse<String> created = send(api("POST", "/api/profile-import", body.toString()));
        assertEquals(201, created.statusCode(), created.body());
        JsonNode data = JSON.readTree(created.body()).get("data");
        String id = data.get("id").asText();
        assertTrue(id.matches("[0-9A-HJKMNP-TV-Z]{26}"), id);
        assertEquals(standIn.baseUrl() + "/api/profiles/" + id, data.at("/links/self").asText());
        assertFalse(data.at("/attributes/created").isNull());
        assertTrue(created.headers().firstValue("RateLimit-Limit").isPresent());

        ObjectNode update = profileBody(null, "+15005550006", "crm-1");
        HttpResponse<String> updated = send(api("POST", "/api/profile-import", update.toString()));
        assertEquals(200, updated.statusCode(), updated.body());
        assertEquals(id, JSON.readTree(updated.body()).at("/data/id").asText());

        StandInProfile p = standIn.profileByExternalId("crm-1").orElseThrow();
        assertEquals("sarah@example.com", p.email());
        assertEquals("+15005550006", p.phoneNumber());
        assertEquals("Sarah", p.attribute("first_name"));
        assertEquals(1, standIn.profiles().size());
    }

    @Test
    void profileImportNullClearsAndPropertiesMergeKeyByKey() throws Exception {
        ObjectNode first = profileBody("n@example.com", null, null);
        attributes(first).put("first_name", "Ann").put("last_name", "Lee");
        attributes(first).putObject("location").put("city", "Oslo").put("zip", "0150");
        attributes(first).putObject("properties").put("tier", "gold").put("score", 7);
        assertEquals(201, send(api("POST", "/api/profile-import", first.toString())).statusCode());

        ObjectNode second = profileBody("n@example.com", null, null);
        attributes(second).putNull("first_name");
        attributes(second).putObject("location").putNull("zip");
        attributes(second).putObject("properties").putNull("tier").put("plan", "pro");
        assertEquals(200, send(api("POST", "/api/profile-import", second.toString())).statusCode());

        StandInProfile p = standIn.profileByEmail("N@example.com").orElseThrow();
        assertNull(p.attribute("first_name"));
        assertEquals("Lee", p.attribute("last_name"));
        assertEquals(Map.of("city", "Oslo"), p.attribute("location"));
        assertEquals(Map.of("score", 7, "plan", "pro"), p.properties());
    }

    @Test
    void profileImportRejectsBadIdentifiersAndUnknownAttributes() throws Exception {
        JsonNode email = assertError(send(api("POST", "/api/profile-import",
                profileBody("not-an-email", null, null).toString())), 400, "invalid");
        assertEquals("/data/attributes/email", email.at("/source/pointer").asText());
        JsonNode phone = assertError(send(api("POST", "/api/profile-import",
                profileBody(null, "555-0100", null).toString())), 400, "invalid");
        assertEquals("/data/attributes/phone_number", phone.at("/source/pointer").asText());
        ObjectNode unknown = profileBody("u@example.com", null, null);
        attributes(unknown).put("favourite_colour", "blue");
        JsonNode unknownError = assertError(send(api("POST", "/api/profile-import", unknown.toString())), 400, "invalid");
        assertEquals("/data/attributes/favourite_colour", unknownError.at("/source/pointer").asText());
        ObjectNode noId = profileBody(null, null, null);
        attributes(noId).put("first_name", "Nobody");
        assertError(send(api("POST", "/api/profile-import", noId.toString())), 400, "invalid");
        assertError(send(api("POST", "/api/profile-import", "{\"data\":")), 400, "invalid");
        assertTrue(standIn.profiles().isEmpty());
    }

    @Test
    void profileImportTooLargeIs413() throws Exception {
        ObjectNode big = profileBody("big@example.com", null, null);
        attributes(big).putObject("properties").put("blob", "x".repeat(110 * 1024));
        assertError(send(api("POST", "/api/profile-import", big.toString())), 413, "request_too_large");
        assertTrue(standIn.profiles().isEmpty());
    }

    @Test
    void identifiersOfTwoProfilesAre409DuplicateProfile() throws Exception {
        send(api("POST", "/api/profile-import", profileBody("a@example.com", null, null).toString()));
        send(api("POST", "/api/profile-import", profileBody(null, "+4741234567", null).toString()));
        String a = standIn.profileByEmail("a@example.com").orElseThrow().id();
        String b = standIn.profileByPhone("+4741234567").orElseThrow().id();

        HttpResponse<String> conflict = send(api("POST", "/api/profile-import",
                profileBody("a@example.com", "+4741234567", null).toString()));
        JsonNode error = assertError(conflict, 409, "duplicate_profile");
        String duplicate = error.at("/meta/duplicate_profile_id").asText();
        assertTrue(Set.of(a, b).contains(duplicate), duplicate);
        assertNull(standIn.profileByEmail("a@example.com").orElseThrow().phoneNumber());
    }

    // ------------------------------------------------------------------ bulk import

    @Test
    void bulkValidationIsAllOrNothingAndNamesEveryBadProfile() throws Exception {
        String list = standIn.createList("Bulk");
        ArrayNode profiles = JSON.createArrayNode();
        profiles.add(profileResource("ok0@example.com", null, null));
        profiles.add(profileResource("broken@", null, null));
        profiles.add(profileResource("ok2@example.com", null, null));
        profiles.add(profileResource(null, "555 0100", null));
        ObjectNode noIdentifier = profileResource(null, null, null);
        ((ObjectNode) noIdentifier.get("attributes")).put("first_name", "Anon");
        profiles.add(noIdentifier);

        HttpResponse<String> response = send(api("POST", "/api/profile-bulk-import-jobs", bulkBody(profiles, list).toString()));
        assertEquals(400, response.statusCode(), response.body());
        List<String> pointers = new ArrayList<>();
        JSON.readTree(response.body()).get("errors").forEach(e -> pointers.add(e.at("/source/pointer").asText()));
        assertEquals(List.of("/data/attributes/profiles/data/1/attributes/email",
                "/data/attributes/profiles/data/3/attributes/phone_number",
                "/data/attributes/profiles/data/4"), pointers);
        assertTrue(standIn.profiles().isEmpty());
        assertTrue(standIn.bulkJobIds().isEmpty());
    }

    @Test
    void bulkAcceptsAtMostOneExistingList() throws Exception {
        String a = standIn.createList("A");
        String b = standIn.createList("B");
        ArrayNode profiles = JSON.createArrayNode().add(profileResource("x@example.com", null, null));
        ObjectNode twoLists = bulkBody(profiles, a);
        ((ArrayNode) twoLists.at("/data/relationships/lists/data")).addObject().put("type", "list").put("id", b);
        JsonNode error = assertError(send(api("POST", "/api/profile-bulk-import-jobs", twoLists.toString())), 400, "invalid");
        assertEquals("/data/relationships/lists/data", error.at("/source/pointer").asText());

        assertError(send(api("POST", "/api/profile-bulk-import-jobs", bulkBody(profiles, "nolist").toString())),
                404, "not_found");
        assertError(send(api("POST", "/api/profile-bulk-import-jobs",
                bulkBody(JSON.createArrayNode(), a).toString())), 400, "invalid");
        assertTrue(standIn.bulkJobIds().isEmpty());
    }

    @Test
    void bulkJobGoesQueuedProcessingCompleteAndFillsTheList() throws Exception {
        String list = standIn.createList("Members");
        ObjectNode existing = profileBody("keep@example.com", null, null);
        attributes(existing).put("first_name", "Kept");
        send(api("POST", "/api/profile-import", existing.toString()));

        ArrayNode profiles = JSON.createArrayNode();
        ObjectNode keep = profileResource("keep@example.com", null, "ext-keep");
        ((ObjectNode) keep.get("attributes")).putNull("first_name");
        profiles.add(keep);
        profiles.add(profileResource("new1@example.com", null, null));
        profiles.add(profileResource(null, "+15005550001", "ext-2"));

        HttpResponse<String> created = send(api("POST", "/api/profile-bulk-import-jobs", bulkBody(profiles, list).toString()));
        assertEquals(202, created.statusCode(), created.body());
        JsonNode job = JSON.readTree(created.body()).get("data");
        assertEquals("queued", job.at("/attributes/status").asText());
        assertEquals(3, job.at("/attributes/total_count").asInt());
        assertTrue(job.at("/attributes/completed_at").isNull());
        String jobPath = "/api/profile-bulk-import-jobs/" + job.get("id").asText();
        assertEquals(standIn.baseUrl() + jobPath, job.at("/links/self").asText());
        assertEquals(1, standIn.profiles().size(), "nothing is imported before the job runs");

        JsonNode first = JSON.readTree(send(api("GET", jobPath, null)).body()).get("data");
        assertEquals("processing", first.at("/attributes/status").asText());
        JsonNode second = JSON.readTree(send(api("GET", jobPath, null)).body()).get("data");
        assertEquals("complete", second.at("/attributes/status").asText());
        assertEquals(3, second.at("/attributes/completed_count").asInt());
        assertEquals(0, second.at("/attributes/failed_count").asInt());

        assertEquals(3, standIn.listMembers(list).size());
        StandInProfile kept = standIn.profileByEmail("keep@example.com").orElseThrow();
        assertEquals("Kept", kept.attribute("first_name"), "bulk import ignores nulls");
        assertEquals("ext-keep", kept.externalId());
        assertEquals(Set.of(list), kept.listIds());

        JsonNode jobProfiles = JSON.readTree(send(api("GET", jobPath + "/profiles", null)).body());
        assertEquals(3, jobProfiles.get("data").size());
        assertError(send(api("GET", "/api/profile-bulk-import-jobs/01ARZ3NDEKTSV4RRFFQ69G5FAV", null)), 404, "not_found");
    }

    @Test
    void withACompletionDelayJobsCompleteOnTheirOwnTimeNotByPolls() throws Exception {
        standIn.setJobCompletionDelayMillis(400);
        standIn.setRateLimitsEnabled(false);
        long before = System.nanoTime();
        String jobPath = "/api/profile-bulk-import-jobs/" + createJob(numberedProfiles(0, 3));
        for (int i = 0; i < 3; i++) {
            JsonNode early = JSON.readTree(send(api("GET", jobPath, null)).body()).get("data");
            if ((System.nanoTime() - before) / 1_000_000 < 400) {
                assertEquals("processing", early.at("/attributes/status").asText(), "polls alone do not complete it");
            }
        }
        JsonNode job;
        do {
            job = JSON.readTree(send(api("GET", jobPath, null)).body()).get("data");
        } while (!job.at("/attributes/status").asText().equals("complete")
                && System.nanoTime() - before < Duration.ofSeconds(10).toNanos());
        assertEquals("complete", job.at("/attributes/status").asText());
        assertTrue(System.nanoTime() - before >= Duration.ofMillis(400).toNanos());
        assertEquals(3, job.at("/attributes/completed_count").asInt());
        assertEquals(3, standIn.profiles().size());

        ServiceTimes.Kind polls = standIn.serviceTimes().snapshot().get("GET /api/profile-bulk-import-jobs/{id}");
        assertTrue(polls.count() >= 4, "every poll is timed: " + polls);
        assertTrue(polls.maxNanos() > 0 && polls.lastSuccessEpochMillis() > 0, polls.toString());
        assertEquals(1, standIn.serviceTimes().snapshot().get("POST /api/profile-bulk-import-jobs").count());
        standIn.reset();
        assertTrue(standIn.serviceTimes().snapshot().isEmpty(), "reset clears the times");
    }

    @Test
    void importErrorsArePagedAndEchoTheOriginalPayload() throws Exception {
        standIn.setJobPollsUntilComplete(1);
        ArrayNode profiles = JSON.createArrayNode();
        for (int i = 0; i < 12; i++) {
            String domain = i % 2 == 0 ? "import-error.test" : "example.com";
            ObjectNode p = profileResource("user" + i + "@" + domain, null, "row-" + i);
            ((ObjectNode) p.get("attributes")).putObject("properties").put("row", i);
            profiles.add(p);
        }
        HttpResponse<String> created = send(api("POST", "/api/profile-bulk-import-jobs", bulkBody(profiles, null).toString()));
        String jobPath = "/api/profile-bulk-import-jobs/" + JSON.readTree(created.body()).at("/data/id").asText();
        JsonNode done = JSON.readTree(send(api("GET", jobPath, null)).body()).get("data");
        assertEquals("complete", done.at("/attributes/status").asText());
        assertEquals(6, done.at("/attributes/completed_count").asInt());
        assertEquals(6, done.at("/attributes/failed_count").asInt());

        List<JsonNode> errors = new ArrayList<>();
        String next = standIn.baseUrl() + jobPath + "/import-errors?page%5Bsize%5D=4";
        int pages = 0;
        while (next != null) {
            HttpResponse<String> page = send(apiUrl("GET", next, null, standIn.apiKey()));
            assertEquals(200, page.statusCode(), page.body());
            JsonNode doc = JSON.readTree(page.body());
            doc.get("data").forEach(errors::add);
            next = doc.at("/links/next").isMissingNode() ? null : doc.at("/links/next").asText();
            if (next != null) {
                assertTrue(next.startsWith(standIn.baseUrl() + jobPath + "/import-errors?") && next.contains("page%5Bcursor%5D="), next);
            }
            pages++;
        }
        assertEquals(2, pages);
        assertEquals(6, errors.size());
        for (JsonNode e : errors) {
            assertEquals("import-error", e.get("type").asText());
            assertEquals("invalid", e.at("/attributes/code").asText());
            assertEquals("Email address was rejected by the import", e.at("/attributes/detail").asText());
            assertEquals("/data", e.at("/attributes/source/pointer").asText());
            int row = e.at("/attributes/original_payload/attributes/properties/row").asInt();
            assertEquals(profiles.get(row), e.at("/attributes/original_payload"));
        }
        assertTrue(standIn.profileByExternalId("row-0").isEmpty());
        assertTrue(standIn.profileByExternalId("row-1").isPresent());
        assertError(send(api("GET", jobPath + "/import-errors?page%5Bsize%5D=101", null)), 400, "invalid");
    }

    @Test
    void bulkIdentifierConflictBecomesAnImportError() throws Exception {
        standIn.setJobPollsUntilComplete(1);
        send(api("POST", "/api/profile-import", profileBody("one@example.com", null, null).toString()));
        send(api("POST", "/api/profile-import", profileBody(null, null, "ext-two").toString()));
        ArrayNode profiles = JSON.createArrayNode().add(profileResource("one@example.com", null, "ext-two"));
        String id = JSON.readTree(send(api("POST", "/api/profile-bulk-import-jobs", bulkBody(profiles, null).toString())).body())
                .at("/data/id").asText();
        JsonNode job = JSON.readTree(send(api("GET", "/api/profile-bulk-import-jobs/" + id, null)).body());
        assertEquals(1, job.at("/data/attributes/failed_count").asInt());
        JsonNode errors = JSON.readTree(send(api("GET", "/api/profile-bulk-import-jobs/" + id + "/import-errors", null)).body());
        assertEquals("duplicate_profile", errors.at("/data/0/attributes/code").asText());
    }

    @Test
    void jobsCanBeListedFilteredAndSorted() throws Exception {
        standIn.setRateLimitsEnabled(false);
        ArrayNode profiles = JSON.createArrayNode().add(profileResource("j@example.com", null, null));
        String first = createJob(profiles);
        String second = createJob(profiles);
        send(api("GET", "/api/profile-bulk-import-jobs/" + first, null));

        // a listing shows the jobs as they stand ...
        JsonNode newest = JSON.readTree(send(api("GET", "/api/profile-bulk-import-jobs?sort=-created_at", null)).body());
        assertEquals(List.of(second, first), ids(newest));
        assertEquals("queued", newest.at("/data/0/attributes/status").asText());
        assertEquals("processing", newest.at("/data/1/attributes/status").asText());
        assertEquals(1, newest.at("/data/0/attributes/total_count").asInt());
        assertEquals(standIn.baseUrl() + "/api/profile-bulk-import-jobs/" + second, newest.at("/data/0/links/self").asText());
        assertTrue(newest.at("/links/next").isMissingNode() && newest.at("/links/prev").isMissingNode());
        // ... and then counts as one poll of each unfinished job on its page
        assertEquals(Optional.of("complete"), standIn.bulkJobStatus(first));
        assertEquals(Optional.of("processing"), standIn.bulkJobStatus(second));

        JsonNode oldest = JSON.readTree(send(api("GET", "/api/profile-bulk-import-jobs?sort=created_at", null)).body());
        assertEquals(List.of(first, second), ids(oldest));
        assertEquals("complete", oldest.at("/data/0/attributes/status").asText());
        assertEquals(1, oldest.at("/data/0/attributes/completed_count").asInt());
        assertFalse(oldest.at("/data/0/attributes/completed_at").isNull());

        String third = createJob(profiles);
        assertEquals(List.of(third), ids(JSON.readTree(send(api("GET", "/api/profile-bulk-import-jobs?filter="
                + enc("equals(status,\"queued\")"), null)).body())));
        assertEquals(List.of(first, second), ids(JSON.readTree(send(api("GET", "/api/profile-bulk-import-jobs?filter="
                + enc("equals(status,\"complete\")"), null)).body())));
        JsonNode pending = JSON.readTree(send(api("GET", "/api/profile-bulk-import-jobs?filter="
                + enc("any(status,[\"queued\",\"processing\"])") + "&sort=-created_at", null)).body());
        assertEquals(List.of(third), ids(pending));
        assertEquals("processing", pending.at("/data/0/attributes/status").asText());
        assertEquals(Optional.of("complete"), standIn.bulkJobStatus(third));
        // conditions joined by a comma must all hold
        assertEquals(List.of(), ids(JSON.readTree(send(api("GET", "/api/profile-bulk-import-jobs?filter="
                + enc("equals(status,\"complete\"),equals(status,\"queued\")"), null)).body())));

        String fourth = createJob(profiles);
        for (String bad : List.of("page%5Bsize%5D=101", "page%5Bsize%5D=0", "page%5Bsize%5D=ten", "sort=status",
                "sort=-total_count", "sort=created_at,-created_at", "filter=" + enc("equals(status,\"done\")"),
                "filter=" + enc("equals(status,\"cancelled\")"), "filter=" + enc("equals(id,\"" + first + "\")"),
                "filter=" + enc("greater-than(status,\"queued\")"), "filter=" + enc("equals(status,queued)"),
                "filter=" + enc("equals(status, \"queued\")"), "page%5Bcursor%5D=bm9wZQ",
                "fields%5Bprofile-bulk-import-job%5D=status,name", "fields%5Bprofile-bulk-import-job%5D=",
                "include=lists", "sort=created_at&sort=-created_at")) {
            HttpResponse<String> response = send(api("GET", "/api/profile-bulk-import-jobs?" + bad, null));
            JsonNode error = assertError(response, 400, "invalid");
            assertFalse(error.at("/source/parameter").asText().isEmpty(), bad + ": " + response.body());
        }
        assertEquals(Optional.of("queued"), standIn.bulkJobStatus(fourth), "refused listings poll nothing");
    }

    @Test
    void jobListingPagesWithKeysetCursors() throws Exception {
        standIn.setRateLimitsEnabled(false);
        standIn.setJobPollsUntilComplete(1000);
        ArrayNode profiles = JSON.createArrayNode().add(profileResource("k@example.com", null, null));
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(createJob(profiles));
        }
        List<String> newestFirst = new ArrayList<>(created);
        java.util.Collections.reverse(newestFirst);

        String query = "?sort=-created_at&page%5Bsize%5D=3";
        List<JsonNode> pages = new ArrayList<>();
        String next = standIn.baseUrl() + "/api/profile-bulk-import-jobs" + query;
        while (next != null) {
            JsonNode page = JSON.readTree(send(apiUrl("GET", next, null, standIn.apiKey())).body());
            pages.add(page);
            next = page.at("/links/next").isMissingNode() ? null : page.at("/links/next").asText();
            if (next != null) {
                assertTrue(next.startsWith(standIn.baseUrl() + "/api/profile-bulk-import-jobs?")
                        && next.contains("sort=-created_at") && next.contains("page%5Bcursor%5D="), next);
            }
        }
        assertEquals(3, pages.size());
        List<String> seen = new ArrayList<>();
        pages.forEach(p -> seen.addAll(ids(p)));
        assertEquals(newestFirst, seen);
        assertEquals(List.of(3, 3, 1), pages.stream().map(p -> p.get("data").size()).toList());
        assertTrue(pages.get(0).at("/links/prev").isMissingNode());
        // prev of the second page is the first page again
        JsonNode back = JSON.readTree(send(apiUrl("GET", pages.get(1).at("/links/prev").asText(), null,
                standIn.apiKey())).body());
        assertEquals(ids(pages.get(0)), ids(back));
        // a cursor belongs to its query
        String cursor = pages.get(1).at("/links/self").asText().replaceAll(".*page%5Bcursor%5D=", "");
        JsonNode refused = assertError(send(api("GET", "/api/profile-bulk-import-jobs?sort=created_at&page%5Bcursor%5D="
                + cursor, null)), 400, "invalid");
        assertEquals("page[cursor]", refused.at("/source/parameter").asText());

        // one page of up to 100 answers for many jobs at once
        JsonNode all = JSON.readTree(send(api("GET", "/api/profile-bulk-import-jobs?page%5Bsize%5D=100", null)).body());
        assertEquals(created, ids(all));
        assertTrue(all.at("/links/next").isMissingNode());
        JsonNode byDefault = JSON.readTree(send(api("GET", "/api/profile-bulk-import-jobs", null)).body());
        assertEquals(created, ids(byDefault), "default page size 20, oldest first");

        // sparse fieldset
        JsonNode sparse = JSON.readTree(send(api("GET", "/api/profile-bulk-import-jobs?fields%5Bprofile-bulk-import-job%5D="
                + enc("status,total_count") + "&page%5Bsize%5D=1", null)).body());
        List<String> names = new ArrayList<>();
        sparse.at("/data/0/attributes").fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("status", "total_count"), names);
        JsonNode one = JSON.readTree(send(api("GET", "/api/profile-bulk-import-jobs/" + created.get(0)
                + "?fields%5Bprofile-bulk-import-job%5D=completed_count", null)).body());
        assertEquals(1, one.at("/data/attributes").size());
        assertError(send(api("GET", "/api/profile-bulk-import-jobs/" + created.get(0)
                + "?fields%5Bprofile-bulk-import-job%5D=state", null)), 400, "invalid");
    }

    @Test
    void jobsLeavingTheStatusFilterDoNotShiftLaterPages() throws Exception {
        standIn.setRateLimitsEnabled(false);
        standIn.setJobPollsUntilComplete(2);
        ArrayNode profiles = JSON.createArrayNode().add(profileResource("s@example.com", null, null));
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(createJob(profiles));
        }
        String pending = "/api/profile-bulk-import-jobs?filter=" + enc("any(status,[\"queued\",\"processing\"])")
                + "&sort=created_at&page%5Bsize%5D=2";
        JsonNode first = JSON.readTree(send(api("GET", pending, null)).body());
        assertEquals(jobs.subList(0, 2), ids(first));
        // the first job completes before the next page is read
        JsonNode polled = JSON.readTree(send(api("GET", "/api/profile-bulk-import-jobs/" + jobs.get(0), null)).body());
        assertEquals("complete", polled.at("/data/attributes/status").asText());
        JsonNode second = JSON.readTree(send(apiUrl("GET", first.at("/links/next").asText(), null, standIn.apiKey())).body());
        assertEquals(jobs.subList(2, 4), ids(second));
        JsonNode third = JSON.readTree(send(apiUrl("GET", second.at("/links/next").asText(), null, standIn.apiKey())).body());
        assertEquals(jobs.subList(4, 5), ids(third));
        assertTrue(third.at("/links/next").isMissingNode());
        assertEquals(List.of(jobs.get(0)), ids(JSON.readTree(send(api("GET", "/api/profile-bulk-import-jobs?filter="
                + enc("equals(status,\"complete\")"), null)).body())));
        // each job has been listed once since: the next pending page shows two and completes them
        JsonNode again = JSON.readTree(send(api("GET", pending, null)).body());
        assertEquals(jobs.subList(1, 3), ids(again));
        assertEquals(jobs.subList(3, 5), ids(JSON.readTree(send(api("GET", pending, null)).body())));
        assertEquals(jobs, ids(JSON.readTree(send(api("GET", "/api/profile-bulk-import-jobs?filter="
                + enc("equals(status,\"complete\")"), null)).body())));
        assertEquals(List.of(), ids(JSON.readTree(send(api("GET", pending, null)).body())));
    }

    @Test
    void concurrentBulkJobsAreCheckedAndCreatedInParallel() throws Exception {
        standIn.setJobPollsUntilComplete(1);
        String list = standIn.createList("Concurrent");
        int perJob = 2_000;
        List<CompletableFuture<HttpResponse<String>>> round = new ArrayList<>();
        for (int j = 0; j < 4; j++) {
            round.add(CLIENT.sendAsync(api("POST", "/api/profile-bulk-import-jobs",
                    bulkBody(numberedProfiles(j * perJob, perJob), list).toString()), HttpResponse.BodyHandlers.ofString()));
        }
        ArrayNode bad = numberedProfiles(90_000, perJob);
        ((ObjectNode) bad.get(1234).get("attributes")).put("email", "not an email");
        round.add(CLIENT.sendAsync(api("POST", "/api/profile-bulk-import-jobs", bulkBody(bad, list).toString()),
                HttpResponse.BodyHandlers.ofString()));
        List<String> firstJobs = new ArrayList<>();
        for (int j = 0; j < 4; j++) {
            HttpResponse<String> r = round.get(j).get();
            assertEquals(202, r.statusCode(), r.body());
            firstJobs.add(JSON.readTree(r.body()).at("/data/id").asText());
        }
        JsonNode error = assertError(round.get(4).get(), 400, "invalid");
        assertEquals("/data/attributes/profiles/data/1234/attributes/email", error.at("/source/pointer").asText());

        // new jobs arrive while the first ones are polled to completion
        List<CompletableFuture<HttpResponse<String>>> posts = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (int j = 4; j < 8; j++) {
            posts.add(CLIENT.sendAsync(api("POST", "/api/profile-bulk-import-jobs",
                    bulkBody(numberedProfiles(j * perJob, perJob), list).toString()), HttpResponse.BodyHandlers.ofString()));
            polls.add(CLIENT.sendAsync(api("GET", "/api/profile-bulk-import-jobs/" + firstJobs.get(j - 4), null),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> ids = new HashSet<>(firstJobs);
        for (CompletableFuture<HttpResponse<String>> f : posts) {
            HttpResponse<String> r = f.get();
            assertEquals(202, r.statusCode(), r.body());
            assertEquals("queued", JSON.readTree(r.body()).at("/data/attributes/status").asText());
            ids.add(JSON.readTree(r.body()).at("/data/id").asText());
        }
        for (CompletableFuture<HttpResponse<String>> f : polls) {
            JsonNode job = JSON.readTree(f.get().body()).get("data");
            assertEquals("complete", job.at("/attributes/status").asText(), job.toString());
            assertEquals(perJob, job.at("/attributes/completed_count").asInt());
        }
        assertEquals(8, ids.size());
        assertEquals(Set.copyOf(standIn.bulkJobIds()), ids);

        // one listing shows all eight and completes the four still queued
        JsonNode listing = JSON.readTree(send(api("GET", "/api/profile-bulk-import-jobs?page%5Bsize%5D=100", null)).body());
        assertEquals(8, listing.get("data").size());
        for (String id : ids) {
            assertEquals(Optional.of("complete"), standIn.bulkJobStatus(id));
        }
        assertEquals(8 * perJob, standIn.profiles().size());
        assertEquals(8 * perJob, standIn.listMembers(list).size());
        assertEquals("person7999@example.com", standIn.profileByExternalId("n-7999").orElseThrow().email());
        assertEquals(9, standIn.count("POST", "/api/profile-bulk-import-jobs"));
    }

    @Test
    void requestBodiesAreRecordedUnlessSwitchedOff() throws Exception {
        String body = profileBody("rec@example.com", null, "rec-1").toString();
        send(api("POST", "/api/profile-import", body));
        RecordedRequest recorded = standIn.requests().get(0);
        assertEquals(body, recorded.body());
        assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), recorded.bodyBytes());
        send(api("GET", "/api/lists", null));
        assertEquals("", standIn.requests().get(1).body());

        standIn.setRecordRequestBodies(false);
        send(api("POST", "/api/profile-import", profileBody("rec2@example.com", null, "rec-2").toString()));
        RecordedRequest unrecorded = standIn.requests().get(2);
        assertNull(unrecorded.body());
        assertEquals(201, unrecorded.responseStatus());
        assertEquals("/api/profile-import", unrecorded.path());
    }

    // ------------------------------------------------------------------ lists

    @Test
    void listLookupByEscapedNameAcrossPages() throws Exception {
        String tricky = "VIP \"gold\" \\ tier";
        String target = null;
        for (int i = 0; i < 25; i++) {
            String id = standIn.createList(i == 22 ? tricky : "List " + i);
            if (i == 22) {
                target = id;
            }
        }
        String next = standIn.baseUrl() + "/api/lists";
        int page = 0;
        String foundOnPage = null;
        while (next != null) {
            HttpResponse<String> response = send(apiUrl("GET", next, null, standIn.apiKey()));
            assertEquals(200, response.statusCode(), response.body());
            JsonNode doc = JSON.readTree(response.body());
            page++;
            assertTrue(doc.get("data").size() <= 10);
            for (JsonNode l : doc.get("data")) {
                if (l.at("/attributes/name").asText().equals(tricky)) {
                    foundOnPage = page + ":" + l.get("id").asText();
                }
            }
            next = doc.at("/links/next").isMissingNode() ? null : doc.at("/links/next").asText();
        }
        assertEquals(3, page);
        assertEquals("3:" + target, foundOnPage);

        String filter = "equals(name,\"VIP \\\"gold\\\" \\\\ tier\")";
        JsonNode filtered = JSON.readTree(send(api("GET", "/api/lists?filter=" + enc(filter), null)).body());
        assertEquals(1, filtered.get("data").size());
        assertEquals(target, filtered.at("/data/0/id").asText());

        standIn.createList("List 3");
        JsonNode twins = JSON.readTree(send(api("GET", "/api/lists?filter=" + enc("any(name,[\"List 3\",\"nope\"])"), null)).body());
        assertEquals(2, twins.get("data").size(), "list names are not unique");

        assertError(send(api("GET", "/api/lists?page%5Bsize%5D=11", null)), 400, "invalid");
        for (String bad : List.of("equals(name,\"a\"", "equals(name, \"a\")", "equals(name,a)", "equals(name,\"a\\n\")",
                "equals(colour,\"a\")", "greater-than(name,\"a\")")) {
            JsonNode error = assertError(send(api("GET", "/api/lists?filter=" + enc(bad), null)), 400, "invalid");
            assertEquals("filter", error.at("/source/parameter").asText(), bad);
        }
        // decoded exactly once: a double-encoded filter is malformed
        assertError(send(api("GET", "/api/lists?filter=" + enc(enc("equals(name,\"List 1\")")), null)), 400, "invalid");
    }

    @Test
    void listCreationMembershipAndDailyCap() throws Exception {
        standIn.setListCreateDailyCap(2);
        String body = "{\"data\":{\"type\":\"list\",\"attributes\":{\"name\":\"Same\"}}}";
        HttpResponse<String> first = send(api("POST", "/api/lists", body));
        assertEquals(201, first.statusCode(), first.body());
        String id = JSON.readTree(first.body()).at("/data/id").asText();
        assertTrue(id.matches("[A-Za-z0-9]{6}"), id);
        assertEquals(201, send(api("POST", "/api/lists", body)).statusCode());
        HttpResponse<String> capped = send(api("POST", "/api/lists", body));
        assertError(capped, 429, "throttled");
        assertTrue(capped.headers().firstValue("Retry-After").isPresent());
        assertEquals(2, standIn.listIdsNamed("Same").size());

        send(api("POST", "/api/profile-import", profileBody("m@example.com", null, null).toString()));
        String profileId = standIn.profileByEmail("m@example.com").orElseThrow().id();
        String add = "{\"data\":[{\"type\":\"profile\",\"id\":\"" + profileId + "\"}]}";
        HttpResponse<String> added = send(api("POST", "/api/lists/" + id + "/relationships/profiles", add));
        assertEquals(204, added.statusCode());
        assertEquals("", added.body());
        assertEquals(Set.of(profileId), standIn.listMembers(id));

        String unknown = "{\"data\":[{\"type\":\"profile\",\"id\":\"01ARZ3NDEKTSV4RRFFQ69G5FAV\"}]}";
        assertError(send(api("POST", "/api/lists/" + id + "/relationships/profiles", unknown)), 404, "not_found");
        ArrayNode many = JSON.createArrayNode();
        for (int i = 0; i < 1001; i++) {
            many.addObject().put("type", "profile").put("id", profileId);
        }
        assertError(send(api("POST", "/api/lists/" + id + "/relationships/profiles",
                JSON.createObjectNode().set("data", many).toString())), 400, "invalid");
        JsonNode members = JSON.readTree(send(api("GET", "/api/lists/" + id + "/relationships/profiles", null)).body());
        assertEquals(profileId, members.at("/data/0/id").asText());
    }

    @Test
    void removingProfilesFromAListTakesOnlyTheMembershipAsStrictlyAsAdding() throws Exception {
        String id = standIn.createList("Audience");
        String other = standIn.createList("Other");
        send(api("POST", "/api/profile-import", profileBody("r@example.com", null, null).toString()));
        String profileId = standIn.profileByEmail("r@example.com").orElseThrow().id();
        standIn.addToList(id, profileId);
        standIn.addToList(other, profileId);
        String path = "/api/lists/" + id + "/relationships/profiles";
        String body = "{\"data\":[{\"type\":\"profile\",\"id\":\"" + profileId + "\"}]}";

        assertError(send(request("DELETE", path).header("revision", REVISION)
                .method("DELETE", HttpRequest.BodyPublishers.ofString(body))), 401, "not_authenticated");
        standIn.addKey("pk_lists_only", Set.of("lists:read", "lists:write"));
        assertError(send(api("DELETE", path, body, "pk_lists_only")), 403, "permission_denied");
        assertError(send(api("DELETE", path, "{\"data\":[{\"type\":\"list\",\"id\":\"" + profileId + "\"}]}")),
                400, "invalid");
        assertError(send(api("DELETE", path, "{\"data\":[]}")), 400, "invalid");
        ArrayNode many = JSON.createArrayNode();
        for (int i = 0; i < 1001; i++) {
            many.addObject().put("type", "profile").put("id", profileId);
        }
        assertError(send(api("DELETE", path, JSON.createObjectNode().set("data", many).toString())), 400, "invalid");
        assertEquals(Set.of(profileId), standIn.listMembers(id), "a refused call removes nobody");

        HttpResponse<String> removed = send(api("DELETE", path, body));
        assertEquals(204, removed.statusCode(), removed.body());
        assertEquals("", removed.body());
        assertEquals(Set.of(), standIn.listMembers(id));
        assertEquals(Set.of(profileId), standIn.listMembers(other), "other lists keep the profile");
        assertTrue(standIn.profileById(profileId).isPresent(), "the profile itself stays");
        assertEquals(204, send(api("DELETE", path, body)).statusCode(), "removing again is harmless");
        assertEquals(2, standIn.requests().stream().filter(r -> r.method().equals("DELETE")
                && r.responseStatus() == 204).count());
    }

    @Test
    void profilesCanBeLookedUpByIdentifier() throws Exception {
        send(api("POST", "/api/profile-import", profileBody("look@example.com", null, "ext-look").toString()));
        JsonNode byExternal = JSON.readTree(send(api("GET", "/api/profiles?filter=" + enc("equals(external_id,\"ext-look\")"), null)).body());
        assertEquals("look@example.com", byExternal.at("/data/0/attributes/email").asText());
        JsonNode byEmails = JSON.readTree(send(api("GET", "/api/profiles?filter="
                + enc("any(email,[\"look@example.com\",\"other@example.com\"])"), null)).body());
        assertEquals(1, byEmails.get("data").size());
        JsonNode byExternalIds = JSON.readTree(send(api("GET", "/api/profiles?filter="
                + enc("any(external_id,[\"ext-look\",\"ext-none\"])") + "&page%5Bsize%5D=100", null)).body());
        assertEquals("ext-look", byExternalIds.at("/data/0/attributes/external_id").asText());
        assertEquals(1, byExternalIds.get("data").size());
        assertError(send(api("GET", "/api/profiles?filter=" + enc("any(first_name,[\"Lou\"])"), null)), 400, "invalid");
        assertError(send(api("GET", "/api/profiles?filter=" + enc("any(external_id,[ext-look])"), null)), 400, "invalid");
        assertError(send(api("GET", "/api/profiles?page%5Bsize%5D=101", null)), 400, "invalid");
    }

    // ------------------------------------------------------------------ rate limits and faults

    @Test
    void burstingGets429WithRetryAfterAndNoRateLimitHeaders() throws Exception {
        standIn.setRateLimits(RateLimiter.LIST_READ, 2, 100);
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            responses.add(send(api("GET", "/api/lists", null)));
        }
        HttpResponse<String> limited = responses.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
        int retryAfter = Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1);
        assertTrue(limited.headers().firstValue("RateLimit-Limit").isEmpty());
        assertTrue(limited.headers().firstValue("RateLimit-Remaining").isEmpty());
        assertError(limited, 429, "throttled");
        HttpResponse<String> ok = responses.get(0);
        assertEquals(200, ok.statusCode());
        assertEquals("100", ok.headers().firstValue("RateLimit-Limit").orElseThrow());
        assertEquals("99", ok.headers().firstValue("RateLimit-Remaining").orElseThrow());
        assertTrue(ok.headers().firstValue("RateLimit-Reset").isPresent());
        assertTrue(standIn.count429() >= 2);

        standIn.setRateLimitsEnabled(false);
        for (int i = 0; i < 5; i++) {
            assertEquals(200, send(api("GET", "/api/lists", null)).statusCode());
        }
    }

    @Test
    void faultsServerErrorsStormsDropsAndDelays() throws Exception {
        standIn.faults().serverErrors(1.0, 503);
        assertError(send(api("GET", "/api/lists", null)), 503, "service_unavailable");
        standIn.faults().clear().tooManyRequests(2, 3);
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> storm = send(api("GET", "/api/lists", null));
            assertEquals(429, storm.statusCode());
            assertEquals("3", storm.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(storm.headers().firstValue("RateLimit-Limit").isEmpty());
        }
        assertEquals(200, send(api("GET", "/api/lists", null)).statusCode());

        standIn.faults().dropConnections(1.0);
        assertThrows(IOException.class, () -> send(api("POST", "/api/profile-import",
                profileBody("drop@example.com", null, null).toString())));
        assertTrue(standIn.profiles().isEmpty());
        assertEquals(RecordedRequest.DROPPED, standIn.requests().get(standIn.requests().size() - 1).responseStatus());

        standIn.faults().clear().delay(Duration.ofMillis(300));
        long t0 = System.nanoTime();
        assertEquals(200, send(api("GET", "/api/lists", null)).statusCode());
        assertTrue(System.nanoTime() - t0 >= 300_000_000L);
    }

    @Test
    void seededFaultsRepeat() throws Exception {
        standIn.faults().seed(7).serverErrors(0.5);
        List<Integer> first = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            first.add(send(api("GET", "/api/lists", null)).statusCode());
        }
        standIn.faults().seed(7);
        List<Integer> second = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            second.add(send(api("GET", "/api/lists", null)).statusCode());
        }
        assertEquals(first, second);
        assertTrue(first.contains(200) && first.stream().anyMatch(s -> s >= 500), first.toString());
        HttpResponse<String> error = send(api("GET", "/api/lists", null));
        while (error.statusCode() == 200) {
            error = send(api("GET", "/api/lists", null));
        }
        assertTrue(error.headers().firstValue("RateLimit-Limit").isPresent(), "5xx answers are not 429s");
    }

    @Test
    void bulkJobCreatedThenServerErrorStillRuns() throws Exception {
        standIn.faults().bulkJobCreatedThenServerError(1.0);
        ArrayNode profiles = JSON.createArrayNode().add(profileResource("lost@example.com", null, null));
        assertEquals(500, send(api("POST", "/api/profile-bulk-import-jobs", bulkBody(profiles, null).toString())).statusCode());
        JsonNode jobs = JSON.readTree(send(api("GET", "/api/profile-bulk-import-jobs?sort=-created_at", null)).body());
        String id = jobs.at("/data/0/id").asText();
        send(api("GET", "/api/profile-bulk-import-jobs/" + id, null));
        send(api("GET", "/api/profile-bulk-import-jobs/" + id, null));
        assertTrue(standIn.profileByEmail("lost@example.com").isPresent());
    }

    @Test
    void concurrentRequestsAreSafeAndRecorded() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            futures.add(CLIENT.sendAsync(api("POST", "/api/profile-import",
                    profileBody("c" + i + "@example.com", null, "c-" + i).toString()), HttpResponse.BodyHandlers.ofString()));
        }
        Set<String> ids = new HashSet<>();
        for (CompletableFuture<HttpResponse<String>> f : futures) {
            HttpResponse<String> r = f.get();
            assertEquals(201, r.statusCode(), r.body());
            ids.add(JSON.readTree(r.body()).at("/data/id").asText());
        }
        assertEquals(40, ids.size());
        assertEquals(40, standIn.profiles().size());
        assertEquals(40, standIn.count("POST", "/api/profile-import"));
        RecordedRequest any = standIn.requests().get(0);
        assertEquals("2026-07-15", any.header("revision"));
        standIn.reset();
        assertTrue(standIn.profiles().isEmpty());
        assertTrue(standIn.requests().isEmpty());
        assertEquals(200, send(api("GET", "/api/lists", null)).statusCode(), "keys survive reset");
    }

    // ------------------------------------------------------------------ helpers

    private HttpRequest.Builder request(String method, String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(standIn.baseUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(10));
        return method.equals("GET") ? b.GET() : b;
    }

    private HttpRequest api(String method, String pathAndQuery, String body) {
        return api(method, pathAndQuery, body, standIn.apiKey());
    }

    private HttpRequest api(String method, String pathAndQuery, String body, String key) {
        return apiUrl(method, standIn.baseUrl() + pathAndQuery, body, key);
    }

    private static HttpRequest apiUrl(String method, String url, String body, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Klaviyo-API-Key " + key)
                .header("revision", REVISION)
                .header("Accept", "application/vnd.api+json");
        if (body != null) {
            b.header("Content-Type", "application/vnd.api+json");
            b.method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return b.build();
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(HttpRequest.Builder builder) throws IOException, InterruptedException {
        return send(builder.build());
    }

    /** Asserts a JSON:API error answer and returns its first error. */
    private static JsonNode assertError(HttpResponse<String> response, int status, String code) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/vnd.api+json", response.headers().firstValue("Content-Type").orElse(null));
        JsonNode error = JSON.readTree(response.body()).at("/errors/0");
        assertFalse(error.isMissingNode(), response.body());
        assertEquals(status, error.get("status").asInt());
        assertTrue(error.get("status").isInt());
        assertEquals(code, error.get("code").asText(), response.body());
        for (String member : List.of("id", "title", "detail", "source", "links", "meta")) {
            assertNotNull(error.get(member), member + " in " + response.body());
        }
        return error;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static ObjectNode profileBody(String email, String phone, String externalId) {
        ObjectNode root = JSON.createObjectNode();
        root.set("data", profileResource(email, phone, externalId));
        return root;
    }

    private static ObjectNode profileResource(String email, String phone, String externalId) {
        ObjectNode data = JSON.createObjectNode();
        data.put("type", "profile");
        ObjectNode attributes = data.putObject("attributes");
        if (email != null) {
            attributes.put("email", email);
        }
        if (phone != null) {
            attributes.put("phone_number", phone);
        }
        if (externalId != null) {
            attributes.put("external_id", externalId);
        }
        return data;
    }

    private String createJob(ArrayNode profiles) throws Exception {
        HttpResponse<String> r = send(api("POST", "/api/profile-bulk-import-jobs", bulkBody(profiles, null).toString()));
        assertEquals(202, r.statusCode(), r.body());
        return JSON.readTree(r.body()).at("/data/id").asText();
    }

    /** Ids of the resources in a document's {@code data}, in order. */
    private static List<String> ids(JsonNode document) {
        List<String> out = new ArrayList<>();
        document.get("data").forEach(d -> out.add(d.get("id").asText()));
        return out;
    }

    /** Profiles with external ids {@code n-<from>} onwards, each with an email, a name and properties. */
    private static ArrayNode numberedProfiles(int from, int count) {
        ArrayNode out = JSON.createArrayNode();
        for (int i = from; i < from + count; i++) {
            ObjectNode p = profileResource("person" + i + "@example.com", null, "n-" + i);
            ObjectNode a = (ObjectNode) p.get("attributes");
            a.put("first_name", "Name" + i);
            a.putObject("properties").put("plan", "basic").put("score", i);
            out.add(p);
        }
        return out;
    }

    private static ObjectNode attributes(ObjectNode body) {
        return (ObjectNode) body.at("/data/attributes");
    }

    private static ObjectNode bulkBody(ArrayNode profiles, String listId) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode data = root.putObject("data");
        data.put("type", "profile-bulk-import-job");
        data.putObject("attributes").putObject("profiles").set("data", profiles);
        if (listId != null) {
            data.putObject("relationships").putObject("lists").putArray("data")
                    .addObject().put("type", "list").put("id", listId);
        }
        return root;
    }
}
