package org.klaviyosync.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/profile-bulk-import-jobs}: synchronous all-or-nothing validation, then a job that moves
 * queued → processing → complete as it is polled ({@code GET .../{id}}); the profiles are upserted
 * (nulls ignored, {@code meta.patch_properties} not applied) when the job completes.
 */
final class BulkImportJobsResource {

    static final String TYPE = "profile-bulk-import-job";
    static final int MAX_PROFILES = 10_000;
    /** Emails at this domain fail during processing, so tests can exercise import errors. */
    static final String IMPORT_ERROR_DOMAIN = "import-error.test";
    static final Set<String> STATUSES = Set.of("queued", "processing", "complete");

    /** One stored job. */
    static final class Job {
        final String id;
        final long seq;
        final Instant createdAt;
        final List<JsonNode> profiles;
        final String listId;
        String status = "queued";
        Instant startedAt;
        Instant completedAt;
        Instant expiresAt;
        int polls;
        int completedCount;
        int failedCount;
        final List<ObjectNode> importErrors = new ArrayList<>();
        final Set<String> profileIds = new LinkedHashSet<>();

        Job(String id, long seq, List<JsonNode> profiles, String listId) {
            this.id = id;
            this.seq = seq;
            this.createdAt = Instant.now();
            this.profiles = profiles;
            this.listId = listId;
        }
    }

    private final Ids ids;
    private final StandInProfiles profiles;
    private final StandInLists lists;
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private long seq;
    private int pollsUntilComplete = 2;

    BulkImportJobsResource(Ids ids, StandInProfiles profiles, StandInLists lists) {
        this.ids = ids;
        this.profiles = profiles;
        this.lists = lists;
    }

    void clear() {
        jobs.clear();
    }

    void setPollsUntilComplete(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a job needs at least one poll to complete");
        }
        this.pollsUntilComplete = n;
    }

    Job job(String id) {
        return jobs.get(id);
    }

    List<Job> all() {
        return new ArrayList<>(jobs.values());
    }

    ApiResponse create(ApiRequest req) {
        JsonNode data = Bodies.data(req);
        if (!data.isObject()) {
            throw JsonApiErrors.invalid("/data", "'data' must be a resource object.");
        }
        Bodies.requireType(data, "/data", TYPE);
        Bodies.unknownMembers(data, "/data", Set.of("type", "attributes", "relationships"));
        ObjectNode attributes = Bodies.object(data, "attributes", "/data/attributes");
        Bodies.unknownMembers(attributes, "/data/attributes", Set.of("profiles"));
        ObjectNode profilesDoc = Bodies.object(attributes, "profiles", "/data/attributes/profiles");
        Bodies.unknownMembers(profilesDoc, "/data/attributes/profiles", Set.of("data"));
        JsonNode items = profilesDoc.get("data");
        String itemsPointer = "/data/attributes/profiles/data";
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw JsonApiErrors.invalid(itemsPointer, "'profiles.data' must be a non-empty array of profiles.");
        }
        if (items.size() > MAX_PROFILES) {
            throw JsonApiErrors.invalid(itemsPointer, "A job may hold at most " + MAX_PROFILES
                    + " profiles, got " + items.size() + ".");
        }
        List<ObjectNode> errors = new ArrayList<>();
        String listId = listId(data.get("relationships"), errors);
        for (int i = 0; i < items.size(); i++) {
            String prefix = itemsPointer + "/" + i;
            List<ObjectNode> problems = ProfileValidation.validate(items.get(i), prefix, prefix);
            if (!problems.isEmpty()) {
                errors.add(problems.get(0));
            }
        }
        if (!errors.isEmpty()) {
            throw Bodies.many(errors);
        }
        if (listId != null && lists.get(listId) == null) {
            throw JsonApiErrors.notFoundAt("/data/relationships/lists/data/0/id",
                    "A list with id " + listId + " does not exist.");
        }
        List<JsonNode> copies = new ArrayList<>();
        items.forEach(item -> copies.add(item.deepCopy()));
        Job job = new Job(ids.ulid(), ++seq, copies, listId);
        jobs.put(job.id, job);
        ObjectNode root = StandInJson.object();
        root.set("data", resource(job, req.baseUrl()));
        root.putObject("links").put("self", req.baseUrl() + "/api/profile-bulk-import-jobs");
        return new ApiResponse(202, root);
    }

    private static String listId(JsonNode relationships, List<ObjectNode> errors) {
        if (relationships == null || relationships.isNull()) {
            return null;
        }
        if (!relationships.isObject()) {
            throw JsonApiErrors.invalid("/data/relationships", "'relationships' must be an object.");
        }
        Bodies.unknownMembers(relationships, "/data/relationships", Set.of("lists"));
        JsonNode listsRel = relationships.get("lists");
        if (listsRel == null) {
            return null;
        }
        if (!listsRel.isObject()) {
            throw JsonApiErrors.invalid("/data/relationships/lists", "'lists' must be an object.");
        }
        Bodies.unknownMembers(listsRel, "/data/relationships/lists", Set.of("data"));
        JsonNode data = listsRel.get("data");
        String p = "/data/relationships/lists/data";
        if (data == null || !data.isArray()) {
            throw JsonApiErrors.invalid(p, "'lists.data' must be an array.");
        }
        if (data.size() > 1) {
            errors.add(JsonApiErrors.invalidAt(p, "At most one list may be given per bulk import job, got "
                    + data.size() + "."));
            return null;
        }
        if (data.isEmpty()) {
            return null;
        }
        JsonNode item = data.get(0);
        if (!item.isObject()) {
            throw JsonApiErrors.invalid(p + "/0", "A list resource identifier is required.");
        }
        Bodies.unknownMembers(item, p + "/0", Set.of("type", "id"));
        Bodies.requireType(item, p + "/0", "list");
        JsonNode id = item.get("id");
        if (id == null || !id.isTextual() || id.asText().isEmpty()) {
            throw JsonApiErrors.invalid(p + "/0/id", "'id' is a required string.");
        }
        return id.asText();
    }

    ApiResponse get(ApiRequest req) {
        Job job = existing(req.pathParam(0));
        String include = req.param("include");
        if (include != null && !include.equals("lists")) {
            throw JsonApiErrors.invalidParameter("include", "'" + include + "' is not an allowed include parameter for this resource.");
        }
        poll(job);
        ObjectNode root = StandInJson.object();
        root.set("data", resource(job, req.baseUrl()));
        if (include != null) {
            ArrayNode included = root.putArray("included");
            if (job.listId != null && lists.get(job.listId) != null) {
                included.add(StandInLists.resource(lists.get(job.listId), req.baseUrl(), false));
            }
        }
        root.putObject("links").put("self", req.baseUrl() + "/api/profile-bulk-import-jobs/" + job.id);
        return ApiResponse.ok(root);
    }

    ApiResponse list(ApiRequest req) {
        List<Filters.Condition> filter = Filters.parse(req.param("filter"), Map.of("status", Set.of("equals", "any")));
        for (Filters.Condition c : filter) {
            for (Object v : c.values()) {
                if (!STATUSES.contains(v)) {
                    throw JsonApiErrors.invalidParameter("filter", "'" + v + "' is not a valid job status.");
                }
            }
        }
        List<Job> found = new ArrayList<>();
        for (Job j : jobs.values()) {
            if (Filters.matches(filter, f -> f.equals("status") ? j.status : null)) {
                found.add(j);
            }
        }
        String sort = req.param("sort");
        Comparator<Job> byCreated = Comparator.comparingLong(j -> j.seq);
        if (sort != null) {
            switch (sort) {
                case "created_at" -> found.sort(byCreated);
                case "-created_at" -> found.sort(byCreated.reversed());
                default -> throw JsonApiErrors.invalidParameter("sort", "'" + sort + "' is not a valid sort for jobs.");
            }
        }
        return ApiResponse.ok(Paging.page(req, found, 20, 100, j -> resource(j, req.baseUrl())));
    }

    ApiResponse importErrors(ApiRequest req) {
        Job job = existing(req.pathParam(0));
        return ApiResponse.ok(Paging.page(req, job.importErrors, 20, 100, e -> e));
    }

    ApiResponse jobProfiles(ApiRequest req) {
        Job job = existing(req.pathParam(0));
        return ApiResponse.ok(Paging.page(req, jobProfiles(job), 20, 100,
                p -> StandInProfiles.resource(p, req.baseUrl())));
    }

    ApiResponse jobProfileIds(ApiRequest req) {
        Job job = existing(req.pathParam(0));
        return ApiResponse.ok(Paging.page(req, jobProfiles(job), 20, 100, p -> {
            ObjectNode r = StandInJson.object();
            r.put("type", "profile");
            r.put("id", p.id);
            return r;
        }));
    }

    private List<StandInProfiles.Profile> jobProfiles(Job job) {
        List<StandInProfiles.Profile> out = new ArrayList<>();
        for (String id : job.profileIds) {
            StandInProfiles.Profile p = profiles.byId(id);
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    private void poll(Job job) {
        if (job.status.equals("complete")) {
            return;
        }
        job.polls++;
        if (job.startedAt == null) {
            job.startedAt = Instant.now();
        }
        if (job.polls >= pollsUntilComplete) {
            process(job);
        } else {
            job.status = "processing";
        }
    }

    private void process(Job job) {
        for (JsonNode item : job.profiles) {
            String email = item.path("attributes").path("email").asText(null);
            if (email != null && email.toLowerCase(Locale.ROOT).endsWith("@" + IMPORT_ERROR_DOMAIN)) {
                fail(job, item, "invalid", "Invalid input.", "Email address was rejected by the import");
                continue;
            }
            try {
                StandInProfiles.Upsert result = profiles.upsert(item, false, false);
                if (job.listId != null) {
                    lists.addMember(job.listId, result.profile().id);
                }
                job.profileIds.add(result.profile().id);
                job.completedCount++;
            } catch (StandInException e) {
                ObjectNode err = e.errors().get(0);
                fail(job, item, err.path("code").asText(), err.path("title").asText(), err.path("detail").asText());
            }
        }
        Instant now = Instant.now();
        job.status = "complete";
        job.completedAt = now;
        job.expiresAt = now.plus(Duration.ofDays(7));
    }

    private static void fail(Job job, JsonNode item, String code, String title, String detail) {
        ObjectNode e = StandInJson.object();
        e.put("type", "import-error");
        e.put("id", UUID.randomUUID().toString());
        ObjectNode a = e.putObject("attributes");
        a.put("code", code);
        a.put("title", title);
        a.put("detail", detail);
        a.putObject("source").put("pointer", "/data");
        a.set("original_payload", item.deepCopy());
        job.importErrors.add(e);
        job.failedCount++;
    }

    static ObjectNode resource(Job job, String baseUrl) {
        ObjectNode r = StandInJson.object();
        r.put("type", TYPE);
        r.put("id", job.id);
        ObjectNode a = r.putObject("attributes");
        a.put("status", job.status);
        a.put("created_at", StandInJson.time(job.createdAt));
        a.put("total_count", job.profiles.size());
        a.put("completed_count", job.completedCount);
        a.put("failed_count", job.failedCount);
        a.put("completed_at", StandInJson.time(job.completedAt));
        a.put("expires_at", StandInJson.time(job.expiresAt));
        a.put("started_at", StandInJson.time(job.startedAt));
        String self = baseUrl + "/api/profile-bulk-import-jobs/" + job.id;
        ObjectNode rel = r.putObject("relationships");
        ObjectNode listsRel = rel.putObject("lists");
        ArrayNode listData = listsRel.putArray("data");
        if (job.listId != null) {
            listData.addObject().put("type", "list").put("id", job.listId);
        }
        for (String name : List.of("lists", "profiles", "import-errors")) {
            ObjectNode relation = name.equals("lists") ? listsRel : rel.putObject(name);
            ObjectNode links = relation.putObject("links");
            links.put("self", self + "/relationships/" + name);
            links.put("related", self + "/" + name);
        }
        r.putObject("links").put("self", self);
        return r;
    }

    private Job existing(String id) {
        Job job = jobs.get(id);
        if (job == null) {
            throw JsonApiErrors.notFound("A profile bulk import job with id " + id + " does not exist.");
        }
        return job;
    }
}
