package org.klaviyosync.klaviyo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks cheaply that the API key works and has the scopes klaviyo-sync needs. Read scopes are
 * tested with one-item list reads; write scopes with deliberately invalid bodies, which Klaviyo
 * refuses with 400 after authorizing the key (403 when the scope is missing), so nothing is written.
 */
public final class KeyCheck {

    static final byte[] INVALID_BODY = "{\"data\":{\"type\":\"scope-check\"}}".getBytes(StandardCharsets.UTF_8);

    private record Probe(String scope, String neededFor, KlaviyoRequest request, int okStatus) {
    }

    private final KlaviyoApi api;

    public KeyCheck(KlaviyoApi api) {
        this.api = Objects.requireNonNull(api, "api");
    }

    /** Human descriptions of what is wrong with the key; empty when it has everything needed. */
    public List<String> problems() {
        return problems(Set.of());
    }

    /**
     * As {@link #problems()}, for syncs that need {@code scopes}: the profile and list scopes are
     * always checked, events:write and subscriptions:write when they are among them.
     */
    public List<String> problems(Collection<String> scopes) {
        List<Probe> probes = new ArrayList<>(List.of(
                new Probe("lists:read", "to find lists by name or id",
                        KlaviyoRequest.get(KlaviyoPaths.listsPage(1), RateLimitBucket.LIST_READ), 200),
                new Probe("profiles:read", "to follow bulk import jobs and read their errors",
                        KlaviyoRequest.get(KlaviyoPaths.profilesPage(1), RateLimitBucket.PROFILE_READ), 200),
                new Probe("profiles:write", "to create and update profiles",
                        KlaviyoRequest.post(KlaviyoPaths.PROFILE_IMPORT, RateLimitBucket.PROFILE_IMPORT, INVALID_BODY), 400),
                new Probe("lists:write", "to create lists and add profiles to them",
                        KlaviyoRequest.post(KlaviyoPaths.LISTS, RateLimitBucket.LIST_WRITE, INVALID_BODY), 400)));
        if (scopes.contains("events:write")) {
            probes.add(new Probe("events:write", "to create the events of event syncs", KlaviyoRequest.post(
                    KlaviyoPaths.EVENT_BULK_CREATE_JOBS, RateLimitBucket.EVENT_CREATE, INVALID_BODY), 400));
        }
        if (scopes.contains("subscriptions:write")) {
            probes.add(new Probe("subscriptions:write", "to change the marketing consent of profile syncs with"
                    + " emailConsent or smsConsent", KlaviyoRequest.post(KlaviyoPaths.SUBSCRIPTION_BULK_CREATE_JOBS,
                    RateLimitBucket.SUBSCRIBE, INVALID_BODY), 400));
        }
        List<String> problems = new ArrayList<>();
        for (Probe probe : probes) {
            String endpoint = probe.request().method() + " " + KlaviyoPaths.pathOf(probe.request().pathAndQuery());
            try {
                KlaviyoResponse r = api.send(probe.request());
                if (r.status() != probe.okStatus()) {
                    problems.add("could not check the scope " + probe.scope() + ": Klaviyo answered " + endpoint
                            + " with " + ApiErrors.summarize(r, api.json()) + " (expected HTTP " + probe.okStatus() + ")");
                }
            } catch (KlaviyoAuthException e) {
                if (e.status() == 401) {
                    problems.add(e.getMessage());
                    return problems;
                }
                problems.add("KLAVIYO_API_KEY lacks the scope " + probe.scope() + " (needed " + probe.neededFor() + ")");
            } catch (KlaviyoUnavailableException e) {
                problems.add("could not check the key: " + e.getMessage());
                return problems;
            }
        }
        return problems;
    }
}
