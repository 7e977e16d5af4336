package org.klaviyosync.standin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code /api/profile-bulk-import-jobs}: synchronous all-or-nothing validation, then a job that moves
 * queued → processing → complete as it is polled ({@code GET .../{id}}) or listed, or, with a completion
 * delay, on its own that long after it was accepted; the profiles are
 * upserted (nulls ignored, {@code meta.patch_properties} not applied) when the job completes.
 *
 * <p>Validation ({@link #validate}) reads only the request and runs outside the stand-in's state lock.
 * A job keeps the request body's bytes until it is processed, so pending jobs hold no parsed documents.
 * The poll or listing that completes a job claims it under the lock, reads the profiles from the bytes
 * without the lock, and takes the lock again to import them; so other requests, such as new jobs, wait
 * for the import at most, never for the parsing.
 */
final class BulkImportJobsResource {

    static final String TYPE = "profile-bulk-import-job";
    static final int MAX_PROFILES = 10_000;
    /** Emails at this domain fail during processing, so tests can exercise import errors. */
    static final String IMPORT_ERROR_DOMAIN = "import-error.test";
    /** Statuses the listing filter accepts. */
    static final Set<String> STATUSES = Set.of("queued", "processing", "complete");
    /** Attributes of a job, in the order they are written; also the allowed sparse fieldset. */
    static final List<String> ATTRIBUTES = List.of("status", "created_at", "total_count", "completed_count",
            "failed_count", "completed_at", "expires_at", "started_at");
    static final String FIELDS = "fields[" + TYPE + "]";
    static final List<String> LIST_ATTRIBUTES = List.of("name", "created", "updated", "opt_in_process");
    static final int DEFAULT_PAGE_SIZE = 20;
    static final int MAX_PAGE_SIZE = 100;

    private static final String ITEMS_POINTER = "/data/attributes/profiles/data";
    private static final String IMPORT_ERROR_SUFFIX = "@" + IMPORT_ERROR_DOMAIN;

    /** One stored job. */
    static final class Job {
        final String id;
        final long seq;
        final Instant createdAt;
        final int totalCount;
        final String listId;
        /** The request body while the job waits to be processed; null afterwards. */
        byte[] body;
        String status = "queued";
        Instant startedAt;
        Instant completedAt;
        Instant expiresAt;
        int polls;
        /** Set once a request has taken on the job's processing. */
        boolean claimed;
        int completedCount;
        int failedCount;
        final List<ObjectNode> importErrors = new ArrayList<>();
        /** Set by {@link Faults#nextBulkJobGone()}: every request about the job answers 404. */
        boolean gone;
        /** Ids of the profiles the job created or updated, in order, each once. */
        List<String> profileIds = List.of();

        Job(String id, long seq, int totalCount, String listId, byte[] body) {
            this.id = id;
            this.seq = seq;
            this.createdAt = Instant.now();
            this.totalCount = totalCount;
            this.listId = listId;
            this.body = body;
        }
    }

    /** A request that passed synchronous validation. */
    record Validated(String listId, int totalCount) {
    }

    private final Object lock;
    private final Ids ids;
    private final StandInProfiles profiles;
    private final StandInLists lists;
    private final Faults faults;
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    /** Completes jobs on their own time when a completion delay is set; two, so parsing overlaps importing. */
    private final ScheduledExecutorService completions = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "stand-in-job-completion");
        t.setDaemon(true);
        return t;
    });
    private long seq;
    private int pollsUntilComplete = 2;
    /** When not negative, a job completes when first looked at this long after it was accepted. */
    private long completionDelayMillis = -1;
    private boolean importErrorsPointAtProfiles;
    private boolean importErrorsUpperCaseEmails;
    private long otherProfiles;

    /**
     * @param lock the stand-in's state lock: {@link #create} and the inspection methods are called under
     *             it, {@link #get} and {@link #list} take it themselves
     */
    BulkImportJobsResource(Object lock, Ids ids, StandInProfiles profiles, StandInLists lists, Faults faults) {
        this.lock = lock;
        this.faults = faults;
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

    /** Jobs accepted from now on complete {@code millis} after they were accepted; negative: by polls. */
    void setCompletionDelayMillis(long millis) {
        this.completionDelayMillis = millis;
    }

    /**
     * Import errors point at the failed profile's index in the job as submitted
     * ({@code /data/attributes/profiles/data/<i>}) and carry no {@code original_payload}.
     */
    void setImportErrorsPointAtProfiles(boolean on) {
        this.importErrorsPointAtProfiles = on;
    }

    /** Import errors echo the profile with its email address in upper case, as a normalising server might. */
    void setImportErrorsUpperCaseEmails(boolean on) {
        this.importErrorsUpperCaseEmails = on;
    }

    Job job(String id) {
        return jobs.get(id);
    }

    List<Job> all() {
        return new ArrayList<>(jobs.values());
    }

    /**
     * The synchronous, all-or-nothing checks of a new job that need only the request (its body read
     * as plain values): 400 for the first bad member of the document, or one error per bad profile
     * (its first problem). Touches no state, so it runs outside the stand-in's lock.
     */
    static Validated validate(ApiRequest req) {
        if (!(Bodies.data(req.value()) instanceof Map<?, ?> data)) {
            throw JsonApiErrors.invalid("/data", "'data' must be a resource object.");
        }
        Bodies.requireType(data, "/data", TYPE);
        Bodies.unknownMembers(data, "/data", Set.of("type", "attributes", "relationships"));
        Map<?, ?> attributes = Bodies.object(data, "attributes", "/data/attributes");
        Bodies.unknownMembers(attributes, "/data/attributes", Set.of("profiles"));
        Map<?, ?> profilesDoc = Bodies.object(attributes, "profiles", "/data/attributes/profiles");
        Bodies.unknownMembers(profilesDoc, "/data/attributes/profiles", Set.of("data"));
        if (!(profilesDoc.get("data") instanceof List<?> items) || items.isEmpty()) {
            throw JsonApiErrors.invalid(ITEMS_POINTER, "'profiles.data' must be a non-empty array of profiles.");
        }
        if (items.size() > MAX_PROFILES) {
            throw JsonApiErrors.invalid(ITEMS_POINTER, "A job may hold at most " + MAX_PROFILES
                    + " profiles, got " + items.size() + ".");
        }
        List<ObjectNode> errors = new ArrayList<>();
        String listId = listId(data.get("relationships"), errors);
        for (int i = 0; i < items.size(); i++) {
            String prefix = ITEMS_POINTER + "/" + i;
            List<ObjectNode> problems = ProfileValidation.validate(items.get(i), prefix, prefix);
            if (!problems.isEmpty()) {
                errors.add(problems.get(0));
            }
        }
        if (!errors.isEmpty()) {
            throw Bodies.many(errors);
        }
        return new Validated(listId, items.size());
    }

    /**
     * Creates the job of a validated request (under the stand-in's lock): 404 for an unknown list, else 202.
     * With a completion delay, the job completes that long after it was accepted, in the background, as
     * Klaviyo's jobs do, whether or not anyone looks at it.
     */
    ApiResponse create(ApiRequest req, Validated valid) {
        String listId = valid.listId();
        if (listId != null && lists.get(listId) == null) {
            throw JsonApiErrors.notFoundAt("/data/relationships/lists/data/0/id",
                    "A list with id " + listId + " does not exist.");
        }
        Job job = new Job(ids.ulid(), ++seq, valid.totalCount(), listId, req.body());
        job.gone = faults.takeBulkJobGone();
        jobs.put(job.id, job);
        if (completionDelayMillis >= 0) {
            completions.schedule(() -> completeOnTime(job), completionDelayMillis, TimeUnit.MILLISECONDS);
        }
        ObjectNode root = StandInJson.object();
        root.set("data", resource(job, req.baseUrl(), null));
        root.putObject("links").put("self", req.baseUrl() + "/api/profile-bulk-import-jobs");
        return new ApiResponse(202, root);
    }

    private static String listId(Object relationshipsValue, List<ObjectNode> errors) {
        if (relationshipsValue == null) {
            return null;
        }
        if (!(relationshipsValue instanceof Map<?, ?> relationships)) {
            throw JsonApiErrors.invalid("/data/relationships", "'relationships' must be an object.");
        }
        Bodies.unknownMembers(relationships, "/data/relationships", Set.of("lists"));
        Object listsValue = relationships.get("lists");
        if (!relationships.containsKey("lists")) {
            return null;
        }
        if (!(listsValue instanceof Map<?, ?> listsRel)) {
            throw JsonApiErrors.invalid("/data/relationships/lists", "'lists' must be an object.");
        }
        Bodies.unknownMembers(listsRel, "/data/relationships/lists", Set.of("data"));
        String p = "/data/relationships/lists/data";
        if (!(listsRel.get("data") instanceof List<?> data)) {
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
        if (!(data.get(0) instanceof Map<?, ?> item)) {
            throw JsonApiErrors.invalid(p + "/0", "A list resource identifier is required.");
        }
        Bodies.unknownMembers(item, p + "/0", Set.of("type", "id"));
        Bodies.requireType(item, p + "/0", "list");
        if (!(item.get("id") instanceof String id) || id.isEmpty()) {
            throw JsonApiErrors.invalid(p + "/0/id", "'id' is a required string.");
        }
        return id;
    }

    /** {@code GET /api/profile-bulk-import-jobs/{id}}: one poll of the job. Takes the lock itself. */
    ApiResponse get(ApiRequest req) {
        Job job;
        Set<String> fields;
        Set<String> listFields;
        boolean completes;
        synchronized (lock) {
            job = existing(req.pathParam(0));
            String include = req.param("include");
            if (include != null && !include.equals("lists")) {
                throw JsonApiErrors.invalidParameter("include", "'" + include + "' is not an allowed include parameter for this resource.");
            }
            fields = fields(req, FIELDS, ATTRIBUTES);
            listFields = fields(req, "fields[list]", LIST_ATTRIBUTES);
            completes = poll(job);
        }
        if (completes) {
            complete(job);
        }
        synchronized (lock) {
            ObjectNode root = StandInJson.object();
            root.set("data", resource(job, req.baseUrl(), fields));
            if (req.param("include") != null) {
                ArrayNode included = root.putArray("included");
                StandInLists.ListRecord list = job.listId == null ? null : lists.get(job.listId);
                if (list != null) {
                    ObjectNode resource = StandInLists.resource(list, req.baseUrl(), false);
                    if (listFields != null) {
                        ((ObjectNode) resource.get("attributes")).retain(listFields);
                    }
                    included.add(resource);
                }
            }
            root.putObject("links").put("self", req.baseUrl() + "/api/profile-bulk-import-jobs/" + job.id);
            return ApiResponse.ok(root);
        }
    }

    /**
     * {@code GET /api/profile-bulk-import-jobs}: strict parameters (status filter with {@code equals} or
     * {@code any} over queued, processing and complete; sort {@code created_at} or {@code -created_at},
     * otherwise oldest first; {@code page[size]} 1 to 100, default 20; sparse fieldset), all checked
     * before anything happens. The page shows the jobs as they stand; then each job on it that is not
     * complete counts as polled once (a job listed or polled {@code pollsUntilComplete} times in all
     * completes, and shows so the next time it is looked at). With a completion delay, jobs complete
     * on their own ({@link #create}), and a listing only reads them. A job that is gone ({@link Faults#nextBulkJobGone()}) is never listed. Keyset cursors (after or before a job)
     * keep a job that enters or leaves the status filter between two pages from shifting the others.
     * Takes the lock itself.
     */
    ApiResponse list(ApiRequest req) {
        List<Filters.Condition> filter = Filters.parse(req.param("filter"), Map.of("status", Set.of("equals", "any")));
        for (Filters.Condition c : filter) {
            for (Object v : c.values()) {
                if (!STATUSES.contains(v)) {
                    throw JsonApiErrors.invalidParameter("filter", "'" + v + "' is not a valid job status; the filter"
                            + " accepts queued, processing and complete.");
                }
            }
        }
        String sort = req.param("sort");
        boolean descending = false;
        if (sort != null) {
            switch (sort) {
                case "created_at" -> descending = false;
                case "-created_at" -> descending = true;
                default -> throw JsonApiErrors.invalidParameter("sort", "'" + sort + "' is not a valid sort for jobs;"
                        + " use created_at or -created_at.");
            }
        }
        Set<String> fields = fields(req, FIELDS, ATTRIBUTES);
        int size = Paging.size(req, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        Paging.KeyCursor cursor = Paging.keyCursor(req);

        Paging.Page<Job> page;
        List<Job> completing = new ArrayList<>();
        synchronized (lock) {
            List<Job> found = new ArrayList<>();
            for (Job j : jobs.values()) {
                if (!j.gone && Filters.matches(filter, f -> f.equals("status") ? j.status : null)) {
                    found.add(j);
                }
            }
            if (descending) {
                Collections.reverse(found);
            }
            page = Paging.keysetPage(req, found, j -> j.seq, descending, size, cursor,
                    j -> resource(j, req.baseUrl(), fields));
            for (Job j : page.items()) {
                if (poll(j)) {
                    completing.add(j);
                }
            }
        }
        for (Job j : completing) {
            complete(j);
        }
        return ApiResponse.ok(page.document());
    }

    ApiResponse importErrors(ApiRequest req) {
        Job job = existing(req.pathParam(0));
        return ApiResponse.ok(Paging.page(req, job.importErrors, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, e -> e));
    }

    ApiResponse jobProfiles(ApiRequest req) {
        Job job = existing(req.pathParam(0));
        return ApiResponse.ok(Paging.page(req, jobProfiles(job), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE,
                p -> StandInProfiles.resource(p, req.baseUrl())));
    }

    ApiResponse jobProfileIds(ApiRequest req) {
        Job job = existing(req.pathParam(0));
        return ApiResponse.ok(Paging.page(req, jobProfiles(job), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, p -> {
            ObjectNode r = StandInJson.object();
            r.put("type", "profile");
            r.put("id", p.id);
            return r;
        }));
    }

    private List<StandInProfiles.Profile> jobProfiles(Job job) {
        List<StandInProfiles.Profile> out = new ArrayList<>(job.profileIds.size());
        for (String id : job.profileIds) {
            StandInProfiles.Profile p = profiles.byId(id);
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    /** The attributes a sparse fieldset parameter asks for, or null when it is absent; 400 for unknown names. */
    private static Set<String> fields(ApiRequest req, String parameter, List<String> allowed) {
        String raw = req.param(parameter);
        if (raw == null) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String name : raw.split(",", -1)) {
            if (!allowed.contains(name)) {
                throw JsonApiErrors.invalidParameter(parameter, "'" + name + "' is not a valid field for " + parameter
                        + "; valid fields are " + String.join(", ", allowed) + ".");
            }
            out.add(name);
        }
        return out;
    }

    /**
     * One poll of the job (under the lock). True when this poll completes it: the caller must then call
     * {@link #complete} (without the lock).
     */
    private boolean poll(Job job) {
        if (job.status.equals("complete") || job.claimed) {
            return false;
        }
        job.polls++;
        if (job.startedAt == null) {
            job.startedAt = Instant.now();
        }
        job.status = "processing";
        if (completionDelayMillis < 0 && job.polls >= pollsUntilComplete) {
            job.claimed = true;
            return true;
        }
        return false;
    }

    /** Completes a job whose delay has passed, unless it completed, was claimed or was cleared meanwhile. */
    private void completeOnTime(Job job) {
        synchronized (lock) {
            if (jobs.get(job.id) != job || job.claimed || job.status.equals("complete")) {
                return;
            }
            job.claimed = true;
            job.status = "processing";
            if (job.startedAt == null) {
                job.startedAt = Instant.now();
            }
        }
        try {
            complete(job);
        } catch (RuntimeException e) {
            System.err.println("stand-in: completing bulk job " + job.id + " failed: " + e);
        }
    }

    /** Stops completing jobs in the background. */
    void close() {
        completions.shutdownNow();
    }

    /** Reads the claimed job's profiles without the lock, then imports them under it. */
    private void complete(Job job) {
        List<Object> items;
        try {
            items = read(job.body, job.totalCount);
        } catch (RuntimeException e) {
            synchronized (lock) {
                job.claimed = false;
            }
            throw e;
        }
        synchronized (lock) {
            if (jobs.get(job.id) != job) {
                return; // the stand-in was reset meanwhile
            }
            importProfiles(job, items);
        }
    }

    /** The profiles of a validated job body, as plain Java values ({@link StandInJson#readCompact}). */
    private static List<Object> read(byte[] body, int count) {
        List<Object> items = new ArrayList<>(count);
        try (JsonParser parser = StandInJson.MAPPER.createParser(body)) {
            JsonToken token = parser.nextToken();
            for (String member : List.of("data", "attributes", "profiles", "data")) {
                token = member(parser, token, member);
            }
            if (token != JsonToken.START_ARRAY) {
                throw new IllegalStateException("a validated job body has no profile array");
            }
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                items.add(StandInJson.readCompact(parser));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return items;
    }

    /** Moves from the object that starts at {@code token} to the value of its member {@code name}. */
    private static JsonToken member(JsonParser parser, JsonToken token, String name) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            throw new IllegalStateException("a validated job body has no object around '" + name + "'");
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals(name)) {
                return value;
            }
            parser.skipChildren();
        }
        throw new IllegalStateException("a validated job body has no member '" + name + "'");
    }

    /** Upserts the job's profiles (under the lock) and completes it. */
    @SuppressWarnings("unchecked")
    private void importProfiles(Job job, List<Object> items) {
        List<String> imported = new ArrayList<>(items.size());
        Set<String> seen = new HashSet<>();
        Instant importedAt = Instant.now();
        int count = faults.bulkJobsSkipLastProfileOn() ? items.size() - 1 : items.size();
        for (int index = 0; index < count; index++) {
            Map<String, Object> item = (Map<String, Object>) items.get(index);
            Object email = ((Map<String, Object>) item.get("attributes")).get("email");
            if (email instanceof String e && e.toLowerCase(Locale.ROOT).endsWith(IMPORT_ERROR_SUFFIX)) {
                fail(job, index, item, "invalid", "Invalid input.", "Email address was rejected by the import");
                continue;
            }
            try {
                StandInProfiles.Upsert result = profiles.upsert(item, false, false, importedAt);
                String profileId = result.profile().id;
                if (job.listId != null) {
                    lists.addMember(job.listId, profileId);
                }
                job.completedCount++;
                if (seen.add(profileId)) {
                    imported.add(profileId);
                }
            } catch (StandInException e) {
                ObjectNode err = e.errors().get(0);
                fail(job, index, item, err.path("code").asText(), err.path("title").asText(),
                        err.path("detail").asText());
            }
        }
        job.profileIds = imported;
        job.body = null;
        Instant now = Instant.now();
        job.status = "complete";
        job.completedAt = now;
        job.expiresAt = now.plus(Duration.ofDays(7));
    }

    /**
     * Records an import error: by default it echoes the profile as it was sent, with the pointer
     * {@code /data}; see {@link #setImportErrorsPointAtProfiles} and
     * {@link Faults#importErrorsEchoOtherProfiles()} for the variants.
     */
    private void fail(Job job, int index, Map<String, Object> item, String code, String title, String detail) {
        ObjectNode e = StandInJson.object();
        e.put("type", "import-error");
        e.put("id", UUID.randomUUID().toString());
        ObjectNode a = e.putObject("attributes");
        a.put("code", code);
        a.put("title", title);
        a.put("detail", detail);
        if (importErrorsPointAtProfiles) {
            a.putObject("source").put("pointer", ITEMS_POINTER + "/" + index);
        } else {
            a.putObject("source").put("pointer", "/data");
            if (faults.importErrorsEchoOtherProfilesOn()) {
                ObjectNode other = a.putObject("original_payload");
                other.put("type", "profile");
                other.putObject("attributes").put("email", "someone-else-" + (++otherProfiles) + "@elsewhere.test");
            } else {
                ObjectNode echoed = (ObjectNode) StandInJson.toNode(item);
                if (importErrorsUpperCaseEmails && echoed.path("attributes").path("email").isTextual()) {
                    ObjectNode attributes = (ObjectNode) echoed.get("attributes");
                    attributes.put("email", attributes.get("email").asText().toUpperCase(Locale.ROOT));
                }
                a.set("original_payload", echoed);
            }
        }
        job.importErrors.add(e);
        job.failedCount++;
    }

    /** The job's resource; {@code fields} limits the attributes (null: all). */
    static ObjectNode resource(Job job, String baseUrl, Set<String> fields) {
        ObjectNode r = StandInJson.object();
        r.put("type", TYPE);
        r.put("id", job.id);
        ObjectNode a = r.putObject("attributes");
        for (String name : ATTRIBUTES) {
            if (fields != null && !fields.contains(name)) {
                continue;
            }
            switch (name) {
                case "status" -> a.put(name, job.status);
                case "created_at" -> a.put(name, StandInJson.time(job.createdAt));
                case "total_count" -> a.put(name, job.totalCount);
                case "completed_count" -> a.put(name, job.completedCount);
                case "failed_count" -> a.put(name, job.failedCount);
                case "completed_at" -> a.put(name, StandInJson.time(job.completedAt));
                case "expires_at" -> a.put(name, StandInJson.time(job.expiresAt));
                case "started_at" -> a.put(name, StandInJson.time(job.startedAt));
                default -> throw new IllegalStateException(name);
            }
        }
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
        if (job == null || job.gone) {
            throw JsonApiErrors.notFound("A profile bulk import job with id " + id + " does not exist.");
        }
        return job;
    }
}
