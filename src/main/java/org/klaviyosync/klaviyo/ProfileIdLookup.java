package org.klaviyosync.klaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Finds the Klaviyo profile ids of profiles known by an identifier, {@value #PER_CALL} at a time:
 * {@code GET /api/profiles?filter=any(external_id,[...])} (or {@code email}, {@code phone_number},
 * the identifiers Klaviyo's {@code any} filter accepts on profiles), asking for that one attribute.
 */
public final class ProfileIdLookup {

    /** Values per call: Klaviyo's largest page of profiles, so one call answers for its values. */
    public static final int PER_CALL = 100;

    private static final Set<String> ATTRIBUTES = Set.of("external_id", "email", "phone_number");

    private final KlaviyoApi api;
    private final ObjectMapper json;

    public ProfileIdLookup(KlaviyoApi api, ObjectMapper json) {
        this.api = Objects.requireNonNull(api, "api");
        this.json = Objects.requireNonNull(json, "json");
    }

    /**
     * The profile id of each value Klaviyo knows a profile by (values as Klaviyo spells them: an
     * email matches whatever its case, a phone number is E.164); values without a profile are
     * absent from the answer.
     *
     * @throws KlaviyoRequestException when Klaviyo refuses a look-up
     */
    public Map<String, String> profileIds(String attribute, List<String> values) {
        if (!ATTRIBUTES.contains(attribute)) {
            throw new IllegalArgumentException("profiles are not looked up by " + attribute);
        }
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(values));
        Map<String, String> found = new HashMap<>();
        for (int from = 0; from < distinct.size(); from += PER_CALL) {
            List<String> chunk = distinct.subList(from, Math.min(distinct.size(), from + PER_CALL));
            Map<String, String> wanted = new HashMap<>();
            for (String v : chunk) {
                wanted.put(comparable(attribute, v), v);
            }
            String next = KlaviyoPaths.profilesWithAny(attribute, chunk, PER_CALL);
            while (next != null) {
                JsonNode page = read(api.send(KlaviyoRequest.get(next, RateLimitBucket.PROFILE_READ)), attribute);
                for (JsonNode profile : page.path("data")) {
                    String value = profile.path("attributes").path(attribute).asText(null);
                    String asked = value == null ? null : wanted.get(comparable(attribute, value));
                    if (asked != null) {
                        found.put(asked, profile.path("id").asText());
                    }
                }
                String link = page.path("links").path("next").asText(null);
                next = link == null || link.isEmpty() ? null : KlaviyoPaths.relativize(link);
            }
        }
        return found;
    }

    private static String comparable(String attribute, String value) {
        return attribute.equals("email") ? value.toLowerCase(Locale.ROOT) : value;
    }

    private JsonNode read(KlaviyoResponse r, String attribute) {
        if (r.status() != 200) {
            throw new KlaviyoRequestException("looking up profiles by " + attribute + " failed: "
                    + ApiErrors.summarize(r, json), r.status(), null);
        }
        try {
            return json.readTree(r.body());
        } catch (IOException e) {
            throw new KlaviyoRequestException("looking up profiles by " + attribute
                    + ": unreadable answer: " + e.getMessage(), r.status(), null);
        }
    }
}
