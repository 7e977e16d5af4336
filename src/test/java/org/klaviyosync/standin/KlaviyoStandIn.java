package org.klaviyosync.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict stand-in for Klaviyo's REST API (the subset klaviyo-sync uses, as described in
 * klaviyo-api.md) on a real HTTP server bound to 127.0.0.1 on an ephemeral port.
 *
 * <p>Order of checks for every request: faults (delay, dropped connection, 429 storm, random 5xx),
 * route (404 unknown path or trailing slash, 405 wrong method), {@code Authorization} (401), rate
 * limit of the route's bucket (429), scopes (403), {@code revision} header (400), query parameters
 * (400), {@code Content-Type} (415), body size (413), JSON syntax (400), then the endpoint itself.
 * So a scope probe with an invalid body answers 403 without the scope and 400 with it, and never
 * creates anything.
 *
 * <p>Thread-safe: the server runs handlers on a thread pool and the data lives behind one lock. The
 * expensive parts of bulk import jobs run outside it: a new job's validation reads only its request,
 * and a job's profiles are parsed before the lock is taken to import them. So concurrent requests wait
 * for each other only while data changes.
 */
public final class KlaviyoStandIn implements AutoCloseable {

    public static final String DEFAULT_API_KEY = "pk_standin_test_key";
    public static final String PROFILES_READ = "profiles:read";
    public static final String PROFILES_WRITE = "profiles:write";
    public static final String LISTS_READ = "lists:read";
    public static final String LISTS_WRITE = "lists:write";
    public static final String EVENTS_WRITE = "events:write";
    public static final String SUBSCRIPTIONS_WRITE = "subscriptions:write";
    public static final Set<String> ALL_SCOPES = Set.of(PROFILES_READ, PROFILES_WRITE, LISTS_READ, LISTS_WRITE,
            EVENTS_WRITE, SUBSCRIPTIONS_WRITE);

    /** Limit of {@code POST /api/profile-import}; larger bodies answer 413. */
    public static final int PROFILE_IMPORT_MAX_BYTES = 100 * 1024;
    /** Limit of {@code POST /api/event-bulk-create-jobs}; larger bodies answer 413. */
    public static final int EVENT_BULK_CREATE_MAX_BYTES = 5 * 1024 * 1024;
    /** Limit of {@code POST /api/profile-bulk-import-jobs}; larger bodies answer 413. */
    public static final int BULK_IMPORT_MAX_BYTES = 5 * 1024 * 1024;

    static final String MEDIA_TYPE = "application/vnd.api+json";
    /** What Klaviyo's official SDKs send as a body's type (their HTTP client's JSON default), which Klaviyo takes. */
    static final String SDK_MEDIA_TYPE = "application/json";
    /** Bodies up to this size that declare their length are read into an array of exactly that size. */
    private static final int EXACT_READ_MAX_BYTES = 2 * BULK_IMPORT_MAX_BYTES;
    private static final Pattern REVISION = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}(\\.pre)?$");
    private static final String AUTH_PREFIX = "Klaviyo-API-Key ";

    static {
        // The JDK server writes a response's headers and body as two segments; without TCP_NODELAY the
        // body waits for the client's delayed ACK, which adds about 40 ms to every answer. The setting
        // is read once, when the first server of this JVM starts; an explicit -D value is kept.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private interface Handler {
        ApiResponse handle(ApiRequest request);
    }

    /**
     * @param locked     whether the handler runs under the state lock; a handler that does not takes the
     *                   lock itself for the part that touches state
     * @param valueBody  whether the body is parsed into plain values ({@link ApiRequest#value()}) rather
     *                   than a tree ({@link ApiRequest#json()}): cheaper for large bodies
     */
    private final Map<String, Integer> bodyLimits = new java.util.concurrent.ConcurrentHashMap<>();

    private record Route(String method, Pattern path, Set<String> scopes, Function<Map<String, String>, String> bucket,
                         Set<String> params, int maxBody, Handler handler, boolean locked, boolean valueBody) {
        boolean hasBody() {
            return maxBody > 0;
        }
    }

    private final Object lock = new Object();
    private final Map<String, Set<String>> keys = new ConcurrentHashMap<>();
    private final RateLimiter rateLimiter = new RateLimiter();
    private final Faults faults = new Faults();
    private final Ids ids = new Ids();
    private final StandInProfiles profiles = new StandInProfiles(ids);
    private final StandInLists lists = new StandInLists(ids);
    private final BulkImportJobsResource jobs = new BulkImportJobsResource(lock, ids, profiles, lists, faults);
    private final ProfilesResource profilesResource = new ProfilesResource(profiles);
    private final ListsResource listsResource = new ListsResource(lists, profiles);
    private final EventBulkCreateResource events = new EventBulkCreateResource(lock);
    private final ProfileSubscriptionsResource subscriptions = new ProfileSubscriptionsResource(profiles, lists);
    private final List<RecordedRequest> requests = Collections.synchronizedList(new ArrayList<>());
    private final ServiceTimes serviceTimes = new ServiceTimes();
    private final ConcurrentRequests concurrentRequests = new ConcurrentRequests();
    private volatile boolean recordBodies = true;
    private final List<Route> routes = new ArrayList<>();
    private final HttpServer server;
    private final ExecutorService executor;
    private final String baseUrl;

    private KlaviyoStandIn() throws IOException {
        keys.put(DEFAULT_API_KEY, ALL_SCOPES);
        defineRoutes();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 256);
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "klaviyo-standin-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::serve);
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Starts a stand-in on an ephemeral port of 127.0.0.1. */
    public static KlaviyoStandIn start() {
        try {
            return new KlaviyoStandIn();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The default key, which has every scope. */
    public String apiKey() {
        return DEFAULT_API_KEY;
    }

    /** Adds (or replaces) a private key with the given scopes. */
    public void addKey(String key, Set<String> scopes) {
        keys.put(key, Set.copyOf(scopes));
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        jobs.close();
    }

    // ---------------------------------------------------------------- switches

    /** Mutable fault switches, all off by default. */
    public Faults faults() {
        return faults;
    }

    /**
     * Default true: {@link #requests()} keeps each request's body (the bytes as received, shared with the
     * request, so recording costs no copy). Off, bodies are not kept and {@link RecordedRequest#body()} is
     * null, which saves memory when a test sends many large bulk jobs and never reads them back.
     */
    public void setRecordRequestBodies(boolean record) {
        this.recordBodies = record;
    }

    /** Default true: Klaviyo's documented limits per bucket apply. Headers are sent either way. */
    public void setRateLimitsEnabled(boolean enabled) {
        rateLimiter.setEnabled(enabled);
    }

    /** Overrides one bucket's limits; bucket names are the constants of {@link RateLimiter}. */
    public void setRateLimits(String bucket, int burstPerSecond, int steadyPerMinute) {
        rateLimiter.setLimits(bucket, burstPerSecond, steadyPerMinute);
    }

    /** Lists that {@code POST /api/lists} may create per UTC day (default 150); then 429 until midnight UTC. */
    public void setListCreateDailyCap(int cap) {
        synchronized (lock) {
            lists.setDailyCap(cap);
        }
    }

    /**
     * How many polls complete a job (default 2). A poll is a {@code GET /api/profile-bulk-import-jobs/{id}}
     * or a listing that shows the job on its page.
     */
    public void setJobPollsUntilComplete(int polls) {
        synchronized (lock) {
            jobs.setPollsUntilComplete(polls);
        }
    }

    /**
     * Import errors point at the failed profile's index in its job as submitted
     * ({@code source.pointer} {@code /data/attributes/profiles/data/<i>}) and carry no
     * {@code original_payload}, instead of echoing the profile with the pointer {@code /data}.
     */
    public void setImportErrorsPointAtProfiles(boolean on) {
        synchronized (lock) {
            jobs.setImportErrorsPointAtProfiles(on);
        }
    }

    /**
     * Jobs accepted from now on complete {@code millis} after they were accepted, in the background,
     * however often they are looked at, as Klaviyo's jobs finish on their own time; a negative value
     * returns to completing by polls ({@link #setJobPollsUntilComplete}).
     */
    public void setJobCompletionDelayMillis(long millis) {
        synchronized (lock) {
            jobs.setCompletionDelayMillis(millis);
        }
    }

    /** Import errors echo the failed profile with its email address in upper case. */
    public void setImportErrorsUpperCaseEmails(boolean on) {
        synchronized (lock) {
            jobs.setImportErrorsUpperCaseEmails(on);
        }
    }

    /**
     * Clears profiles, lists, jobs, recorded requests and their service times, rate-limit windows, the
     * list daily count, faults and the import errors' pointer and case settings. Keys, rate-limit
     * settings and the polls-until-complete and completion-delay settings stay.
     */
    public void reset() {
        synchronized (lock) {
            jobs.clear();
            jobs.setImportErrorsPointAtProfiles(false);
            jobs.setImportErrorsUpperCaseEmails(false);
            jobs.setCompletionDelayMillis(-1);
            jobs.setPollsUntilComplete(2);
            lists.clear();
            profiles.clear();
            events.clear();
            subscriptions.clear();
        }
        requests.clear();
        serviceTimes.clear();
        concurrentRequests.clear();
        rateLimiter.clearWindows();
        faults.clear();
    }

    // ---------------------------------------------------------------- inspection

    /** The events recorded through {@code POST /api/event-bulk-create-jobs}, in order. */
    public List<EventBulkCreateResource.StoredEvent> events() {
        return events.events();
    }

    /** How many events were ignored because an earlier event had their profile, metric and unique_id. */
    public int ignoredEvents() {
        return events.ignored();
    }

    /**
     * The marketing consent recorded for a profile on a channel ({@code email}, {@code sms}) by Bulk
     * Subscribe / Unsubscribe Profiles; empty when none was.
     */
    public Optional<ProfileSubscriptionsResource.ChannelConsent> consentOf(String profileId, String channel) {
        synchronized (lock) {
            return subscriptions.consentOf(profileId, channel);
        }
    }

    /** The person unsubscribed from marketing on a channel ({@code email}, {@code sms}) in Klaviyo itself. */
    public void personUnsubscribes(String profileId, String channel) {
        synchronized (lock) {
            subscriptions.unsubscribedByThePerson(profileId, channel);
        }
    }

    /** An account with age gating: subscribing a profile to SMS needs its age_gated_date_of_birth. */
    public void setSmsAgeGating(boolean on) {
        synchronized (lock) {
            subscriptions.setSmsAgeGating(on);
        }
    }

    /** Creates a list directly (no rate limit, no daily cap) and returns its id. */
    public String createList(String name) {
        synchronized (lock) {
            return lists.create(name, "single_opt_in").id;
        }
    }

    /** Deletes a list, as an operator does in Klaviyo's app; its id then answers 404. */
    public void deleteList(String id) {
        synchronized (lock) {
            lists.delete(id);
        }
    }

    /** Snapshots of all profiles, oldest first. */
    public List<StandInProfile> profiles() {
        synchronized (lock) {
            List<StandInProfile> out = new ArrayList<>();
            profiles.all().forEach(p -> out.add(snapshot(p)));
            return out;
        }
    }

    public Optional<StandInProfile> profileById(String id) {
        synchronized (lock) {
            return Optional.ofNullable(profiles.byId(id)).map(this::snapshot);
        }
    }

    public Optional<StandInProfile> profileByExternalId(String externalId) {
        synchronized (lock) {
            return Optional.ofNullable(profiles.byExternalId(externalId)).map(this::snapshot);
        }
    }

    /** Emails compare case-insensitively, as identifiers do. */
    public Optional<StandInProfile> profileByEmail(String email) {
        synchronized (lock) {
            return Optional.ofNullable(profiles.byEmail(email)).map(this::snapshot);
        }
    }

    public Optional<StandInProfile> profileByPhone(String phoneNumber) {
        synchronized (lock) {
            return Optional.ofNullable(profiles.byPhone(phoneNumber)).map(this::snapshot);
        }
    }

    /** List id to name, in creation order. */
    public Map<String, String> listsByIdToName() {
        synchronized (lock) {
            Map<String, String> out = new LinkedHashMap<>();
            lists.all().forEach(l -> out.put(l.id, l.name));
            return Collections.unmodifiableMap(out);
        }
    }

    /** Ids of every list with exactly this name (names are not unique). */
    public List<String> listIdsNamed(String name) {
        synchronized (lock) {
            List<String> out = new ArrayList<>();
            lists.all().stream().filter(l -> l.name.equals(name)).forEach(l -> out.add(l.id));
            return List.copyOf(out);
        }
    }

    /** Adds a profile to a list directly, as a signup form or a person in Klaviyo's app does. */
    public void addToList(String listId, String profileId) {
        synchronized (lock) {
            lists.addMember(listId, profileId);
        }
    }

    /** Deletes a profile, as an operator does in Klaviyo's app; its id then answers 404. */
    public void deleteProfile(String profileId) {
        synchronized (lock) {
            profiles.delete(profileId);
            lists.all().forEach(l -> l.members.remove(profileId));
        }
    }

    /** Profile ids in the list, in the order they joined; empty for an unknown list. */
    public Set<String> listMembers(String listId) {
        synchronized (lock) {
            StandInLists.ListRecord l = lists.get(listId);
            return l == null ? Set.of() : Collections.unmodifiableSet(new LinkedHashSet<>(l.members));
        }
    }

    /** Ids of all bulk import jobs, oldest first. */
    public List<String> bulkJobIds() {
        synchronized (lock) {
            return jobs.all().stream().map(j -> j.id).toList();
        }
    }

    /** Status of a bulk import job (queued, processing, complete), without polling it. */
    public Optional<String> bulkJobStatus(String jobId) {
        synchronized (lock) {
            return Optional.ofNullable(jobs.job(jobId)).map(j -> j.status);
        }
    }

    /** Every request received so far, in arrival order of their answers. */
    public List<RecordedRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Requests with this method whose path starts with {@code pathPrefix}. */
    public int count(String method, String pathPrefix) {
        return (int) requests().stream()
                .filter(r -> r.method().equalsIgnoreCase(method) && r.path().startsWith(pathPrefix)).count();
    }

    /** How long answers took, per kind of request, since the start or the last {@link #reset}. */
    /** How many requests of each kind were handled at the same time. */
    public ConcurrentRequests concurrentRequests() {
        return concurrentRequests;
    }

    public ServiceTimes serviceTimes() {
        return serviceTimes;
    }

    /** Requests answered 429 (rate limits, daily cap and 429 storms). */
    public int count429() {
        return (int) requests().stream().filter(r -> r.responseStatus() == 429).count();
    }

    private StandInProfile snapshot(StandInProfiles.Profile p) {
        return new StandInProfile(p.id, p.email, p.phone, p.externalId, p.attributes, p.properties,
                lists.listsOf(p.id));
    }

    // ---------------------------------------------------------------- routing

    private void defineRoutes() {
        Set<String> paging = Set.of(Paging.SIZE, Paging.CURSOR);
        String jobs = "/api/profile-bulk-import-jobs";
        route("POST", "/api/profile-import", Set.of(PROFILES_WRITE), RateLimiter.PROFILE_IMPORT,
                Set.of("additional-fields[profile]", "fields[profile]"), PROFILE_IMPORT_MAX_BYTES,
                profilesResource::profileImport);
        route("GET", "/api/profiles", Set.of(PROFILES_READ), RateLimiter.PROFILE_READ,
                union(paging, Set.of("filter", "sort", "fields[profile]", "additional-fields[profile]")), 0,
                profilesResource::getProfiles);

        routes.add(new Route("POST", Pattern.compile("^" + jobs + "$"), Set.of(LISTS_WRITE, PROFILES_WRITE),
                q -> RateLimiter.BULK_IMPORT_CREATE, Set.of(), BULK_IMPORT_MAX_BYTES, this::createBulkJob, false, true));
        // these two process the jobs they complete partly outside the lock, so they take it themselves
        unlockedRoute("GET", jobs, Set.of(LISTS_READ, PROFILES_READ), RateLimiter.BULK_IMPORT_READ,
                union(paging, Set.of("filter", "sort", "fields[profile-bulk-import-job]")), this.jobs::list);
        unlockedRoute("GET", jobs + "/([^/]+)", Set.of(LISTS_READ, PROFILES_READ), RateLimiter.BULK_IMPORT_READ,
                Set.of("include", "fields[profile-bulk-import-job]", "fields[list]"), this.jobs::get);
        route("GET", jobs + "/([^/]+)/import-errors", Set.of(PROFILES_READ), RateLimiter.BULK_IMPORT_READ,
                union(paging, Set.of("fields[import-error]")), 0, this.jobs::importErrors);
        route("GET", jobs + "/([^/]+)/profiles", Set.of(PROFILES_READ), RateLimiter.BULK_IMPORT_READ,
                union(paging, Set.of("fields[profile]", "additional-fields[profile]")), 0, this.jobs::jobProfiles);
        route("GET", jobs + "/([^/]+)/relationships/profiles", Set.of(PROFILES_READ), RateLimiter.BULK_IMPORT_READ,
                paging, 0, this.jobs::jobProfileIds);

        route("POST", "/api/event-bulk-create-jobs", Set.of(EVENTS_WRITE), RateLimiter.EVENT_BULK_CREATE, Set.of(),
                EVENT_BULK_CREATE_MAX_BYTES, events::create);

        route("POST", "/api/profile-subscription-bulk-create-jobs", Set.of(LISTS_WRITE, PROFILES_WRITE,
                SUBSCRIPTIONS_WRITE), RateLimiter.SUBSCRIBE, Set.of(), PROFILE_IMPORT_MAX_BYTES * 10,
                subscriptions::subscribe);
        route("POST", "/api/profile-subscription-bulk-delete-jobs", Set.of(LISTS_WRITE, PROFILES_WRITE,
                SUBSCRIPTIONS_WRITE), RateLimiter.UNSUBSCRIBE, Set.of(), PROFILE_IMPORT_MAX_BYTES * 10,
                subscriptions::unsubscribe);

        route("GET", "/api/lists", Set.of(LISTS_READ), RateLimiter.LIST_READ,
                union(paging, Set.of("filter", "sort", "fields[list]", "fields[tag]", "fields[flow]", "include")), 0,
                listsResource::getLists);
        route("POST", "/api/lists", Set.of(LISTS_WRITE), RateLimiter.LIST_WRITE, Set.of(), PROFILE_IMPORT_MAX_BYTES,
                listsResource::createList);
        routes.add(new Route("GET", Pattern.compile("^/api/lists/([^/]+)$"), Set.of(LISTS_READ),
                q -> q.containsKey("additional-fields[list]") ? RateLimiter.LIST_PROFILE_COUNT : RateLimiter.LIST_READ,
                Set.of("fields[list]", "additional-fields[list]", "include", "fields[tag]", "fields[flow]"), 0,
                listsResource::getList, true, false));
        route("POST", "/api/lists/([^/]+)/relationships/profiles", Set.of(LISTS_WRITE, PROFILES_WRITE),
                RateLimiter.LIST_WRITE, Set.of(), BULK_IMPORT_MAX_BYTES, listsResource::addProfiles);
        route("DELETE", "/api/lists/([^/]+)/relationships/profiles", Set.of(LISTS_WRITE, PROFILES_WRITE),
                RateLimiter.LIST_REMOVE, Set.of(), BULK_IMPORT_MAX_BYTES, listsResource::removeProfiles);
        route("GET", "/api/lists/([^/]+)/relationships/profiles", Set.of(LISTS_READ, PROFILES_READ),
                RateLimiter.LIST_READ, union(paging, Set.of("filter", "sort")), 0, listsResource::memberIds);
        route("GET", "/api/lists/([^/]+)/profiles", Set.of(LISTS_READ, PROFILES_READ), RateLimiter.LIST_READ,
                union(paging, Set.of("filter", "sort", "fields[profile]", "additional-fields[profile]")), 0,
                listsResource::memberProfiles);
    }

    /**
     * Lowers the body size {@code POST path} accepts (413 above it) below Klaviyo's documented limit,
     * as if Klaviyo measured a request larger than the client did.
     */
    public void limitRequestBytes(String path, int bytes) {
        bodyLimits.put("^" + path + "$", bytes);
    }

    private void route(String method, String path, Set<String> scopes, String bucket, Set<String> params,
                       int maxBody, Handler handler) {
        routes.add(new Route(method, Pattern.compile("^" + path + "$"), scopes, q -> bucket, params, maxBody, handler,
                true, false));
    }

    /** A GET route whose handler takes the state lock itself. */
    private void unlockedRoute(String method, String path, Set<String> scopes, String bucket, Set<String> params,
                               Handler handler) {
        routes.add(new Route(method, Pattern.compile("^" + path + "$"), scopes, q -> bucket, params, 0, handler, false,
                false));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new LinkedHashSet<>(a);
        out.addAll(b);
        return out;
    }

    /** Validates outside the lock (it reads only the request), so concurrent jobs are checked in parallel. */
    private ApiResponse createBulkJob(ApiRequest req) {
        BulkImportJobsResource.Validated valid = BulkImportJobsResource.validate(req);
        ApiResponse created;
        synchronized (lock) {
            created = jobs.create(req, valid);
        }
        if (faults.applies(req.path()) && faults.rollBulkCreatedThenError()) {
            throw JsonApiErrors.serverError(500);
        }
        if (faults.applies(req.path()) && faults.rollBulkCreatedThenDrop()) {
            throw new DroppedAfterCommit();
        }
        return created;
    }

    /** The request took effect, but its connection is closed without an answer. */
    private static final class DroppedAfterCommit extends RuntimeException {
        DroppedAfterCommit() {
            super(null, null, false, false);
        }
    }

    // ---------------------------------------------------------------- request pipeline

    private void serve(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        concurrentRequests.arrived(method, path);
        AtomicBoolean answered = new AtomicBoolean();
        // counted out before the answer leaves, so a client's next request never meets this one still counted
        Runnable leave = () -> {
            if (answered.compareAndSet(false, true)) {
                concurrentRequests.answered(method, path);
            }
        };
        try {
            serve(exchange, method, path, leave);
        } finally {
            leave.run();
        }
    }

    private void serve(HttpExchange exchange, String method, String path, Runnable leave) {
        long arrived = System.nanoTime();
        String query = exchange.getRequestURI().getRawQuery();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = readBody(exchange, in);
        } catch (IOException e) {
            exchange.close();
            return;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        byte[] recordedBody = recordBodies ? body : null;
        try {
            if (faults.applies(exchange.getRequestMethod(), path)) {
                long delay = faults.delayMillis();
                if (delay > 0) {
                    Thread.sleep(delay);
                }
                if (faults.rollDrop()) {
                    requests.add(new RecordedRequest(method, path, query, headers, recordedBody, RecordedRequest.DROPPED));
                    exchange.close();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
            return;
        }
        RateLimiter.Decision rate = null;
        int status;
        byte[] out;
        Map<String, String> extraHeaders = new LinkedHashMap<>();
        try {
            Handled result = dispatch(exchange, method, path, query, body);
            ApiResponse response = result.response();
            rate = result.rate();
            status = response.status();
            out = response.body() == null ? null : StandInJson.bytes(response.body());
        } catch (DroppedAfterCommit e) {
            requests.add(new RecordedRequest(method, path, query, headers, recordedBody, RecordedRequest.DROPPED));
            exchange.close();
            return;
        } catch (StandInException e) {
            status = e.status();
            out = StandInJson.bytes(JsonApiErrors.body(e.errors()));
            extraHeaders.putAll(e.headers());
            rate = e.headers().containsKey("Retry-After") ? null : lastDecision.get();
        } catch (RuntimeException e) {
            status = 500;
            ObjectNode error = JsonApiErrors.error(500, "error", "A server error occurred.",
                    "The stand-in failed: " + e, null, null);
            out = StandInJson.bytes(JsonApiErrors.body(List.of(error)));
        } finally {
            lastDecision.remove();
        }
        if (rate == null && status != 429) {
            // answers made before a route was known (fault 5xx) describe the fallback bucket
            rate = rateLimiter.peek(RateLimiter.OTHER, System.currentTimeMillis());
        }
        requests.add(new RecordedRequest(method, path, query, headers, recordedBody, status));
        leave.run();
        send(exchange, status, out, extraHeaders, rate);
        serviceTimes.record(method, path, status, System.nanoTime() - arrived);
    }

    /**
     * The whole request body. The server hands over exactly Content-Length bytes; up to
     * {@link #EXACT_READ_MAX_BYTES} they are read into one array of that size rather than a growing
     * buffer, which would copy a bulk job's 1.5 MB several times. Other bodies are read to their end.
     */
    private static byte[] readBody(HttpExchange exchange, InputStream in) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            try {
                long length = Long.parseLong(declared.trim());
                if (length >= 0 && length <= EXACT_READ_MAX_BYTES) {
                    return in.readNBytes((int) length);
                }
            } catch (NumberFormatException e) {
                // read it as a body of unknown length
            }
        }
        return in.readAllBytes();
    }

    private record Handled(ApiResponse response, RateLimiter.Decision rate) {
    }

    /** Rate decision of the request being served, so error answers can carry the RateLimit headers too. */
    private final ThreadLocal<RateLimiter.Decision> lastDecision = new ThreadLocal<>();

    private Handled dispatch(HttpExchange exchange, String method, String path, String rawQuery, byte[] body) {
        if (faults.applies(method, path)) {
            int retryAfter = faults.stormRetryAfter();
            if (retryAfter > 0) {
                throw JsonApiErrors.throttled(retryAfter);
            }
            int serverError = faults.rollServerError();
            if (serverError > 0) {
                throw JsonApiErrors.serverError(serverError);
            }
        }
        long now = System.currentTimeMillis();
        // 404 / 405
        Route route = null;
        Matcher matcher = null;
        Set<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            Matcher m = r.path().matcher(path);
            if (m.matches()) {
                allowed.add(r.method());
                if (r.method().equals(method)) {
                    route = r;
                    matcher = m;
                }
            }
        }
        if (allowed.isEmpty()) {
            lastDecision.set(rateLimiter.peek(RateLimiter.OTHER, now));
            throw JsonApiErrors.notFound("The path " + path + " does not exist.");
        }
        Map<String, String> params = parseQuery(rawQuery);
        if (route == null) {
            lastDecision.set(rateLimiter.peek(RateLimiter.OTHER, now));
            throw JsonApiErrors.methodNotAllowed(method, String.join(", ", allowed));
        }
        String bucket = route.bucket().apply(params);
        lastDecision.set(rateLimiter.peek(bucket, now));
        // 401
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null) {
            throw JsonApiErrors.notAuthenticated("Authentication credentials were not provided. Send the header "
                    + "'Authorization: Klaviyo-API-Key <private key>'.");
        }
        Set<String> scopes = auth.startsWith(AUTH_PREFIX) ? keys.get(auth.substring(AUTH_PREFIX.length())) : null;
        if (scopes == null) {
            throw JsonApiErrors.notAuthenticated("Incorrect authentication credentials.");
        }
        // 429
        RateLimiter.Decision decision = rateLimiter.acquire(bucket, now);
        if (!decision.allowed()) {
            throw JsonApiErrors.throttled(decision.retryAfterSeconds());
        }
        lastDecision.set(decision);
        // 403
        List<String> missing = route.scopes().stream().filter(s -> !scopes.contains(s)).sorted().toList();
        if (!missing.isEmpty()) {
            throw JsonApiErrors.permissionDenied("You do not have permission to perform this action. This endpoint "
                    + "requires the scope" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing) + ".");
        }
        // revision
        String revision = exchange.getRequestHeaders().getFirst("revision");
        if (revision == null) {
            throw revisionError("Missing required header 'revision'.");
        }
        if (!REVISION.matcher(revision).matches()) {
            throw revisionError("Invalid revision '" + revision + "'; expected YYYY-MM-DD or YYYY-MM-DD.pre.");
        }
        // query parameters
        for (String name : params.keySet()) {
            if (!route.params().contains(name)) {
                throw JsonApiErrors.invalidParameter(name, "'" + name + "' is not a valid query parameter for this endpoint.");
            }
        }
        // body
        JsonNode json = null;
        Object value = null;
        if (route.hasBody()) {
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim();
            if (!mediaType.equalsIgnoreCase(MEDIA_TYPE) && !mediaType.equalsIgnoreCase(SDK_MEDIA_TYPE)) {
                throw JsonApiErrors.unsupportedMediaType(contentType == null ? "" : contentType);
            }
            int limit = bodyLimits.getOrDefault(route.path().pattern(), route.maxBody());
            if (body.length > limit) {
                throw JsonApiErrors.tooLarge(limit);
            }
            boolean empty;
            try {
                if (route.valueBody()) {
                    value = StandInJson.parseCompact(body);
                    empty = value == StandInJson.NO_VALUE;
                } else {
                    json = StandInJson.parse(body);
                    empty = json == null || json.isMissingNode();
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw JsonApiErrors.invalid("/", "Malformed JSON in the request body: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (empty) {
                throw JsonApiErrors.invalid("/", "The request body is empty.");
            }
        } else if (body.length > 0) {
            throw JsonApiErrors.invalid("/", "This endpoint takes no request body.");
        }
        List<String> groups = new ArrayList<>();
        for (int i = 1; i <= matcher.groupCount(); i++) {
            groups.add(matcher.group(i));
        }
        ApiRequest request = new ApiRequest(method, path, List.copyOf(groups), Collections.unmodifiableMap(params),
                body, json, value, baseUrl);
        ApiResponse response;
        if (route.locked()) {
            synchronized (lock) {
                response = route.handler().handle(request);
            }
        } else {
            response = route.handler().handle(request);
        }
        return new Handled(response, decision);
    }

    private static StandInException revisionError(String detail) {
        ObjectNode error = JsonApiErrors.error(400, "invalid", "Invalid input.", detail, "parameter", "revision");
        ((ObjectNode) error.get("source")).put("header", "revision");
        return new StandInException(400, List.of(error));
    }

    /** Decodes the query strictly: bad percent escapes and repeated parameters answer 400. */
    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String part : rawQuery.split("&", -1)) {
            if (part.isEmpty()) {
                throw JsonApiErrors.invalidParameter("", "Empty query parameter.");
            }
            int eq = part.indexOf('=');
            String rawName = eq < 0 ? part : part.substring(0, eq);
            String rawValue = eq < 0 ? "" : part.substring(eq + 1);
            String name;
            String value;
            try {
                name = URLDecoder.decode(rawName, StandardCharsets.UTF_8);
                value = URLDecoder.decode(rawValue, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw JsonApiErrors.invalidParameter(rawName, "Query parameter is not correctly URL-encoded: " + part);
            }
            if (params.putIfAbsent(name, value) != null) {
                throw JsonApiErrors.invalidParameter(name, "Query parameter '" + name + "' was given more than once.");
            }
        }
        return params;
    }

    private static void send(HttpExchange exchange, int status, byte[] body, Map<String, String> extra,
                             RateLimiter.Decision rate) {
        try {
            if (body != null) {
                exchange.getResponseHeaders().set("Content-Type", MEDIA_TYPE);
            }
            extra.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            if (status != 429 && rate != null) {
                exchange.getResponseHeaders().set("RateLimit-Limit", Integer.toString(rate.limit()));
                exchange.getResponseHeaders().set("RateLimit-Remaining", Integer.toString(rate.remaining()));
                exchange.getResponseHeaders().set("RateLimit-Reset", Integer.toString(rate.resetSeconds()));
            }
            if (body == null) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(status, body.length);
                exchange.getResponseBody().write(body);
            }
        } catch (IOException e) {
            // the client went away; nothing to answer
        } finally {
            exchange.close();
        }
    }
}
