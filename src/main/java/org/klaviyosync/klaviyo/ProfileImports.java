package org.klaviyosync.klaviyo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/** Creates or updates single profiles with {@code POST /api/profile-import}. */
public final class ProfileImports {

    private final KlaviyoApi api;
    private final ObjectMapper json;

    public ProfileImports(KlaviyoApi api, ObjectMapper json) {
        this.api = Objects.requireNonNull(api, "api");
        this.json = Objects.requireNonNull(json, "json");
    }

    /**
     * Upserts one profile resource ({@code {"type":"profile","attributes":{...}}}). 201 means created,
     * 200 updated; a 4xx (409 {@code duplicate_profile}, 400 invalid, ...) is returned as rejected with
     * Klaviyo's code and detail. A 404 on a resource carrying an {@code id} is reported by Klaviyo
     * when the identifiers belong to another profile, and is rejected the same way.
     */
    public ProfileUpsert upsert(ObjectNode profileResource) {
        ObjectNode body = json.createObjectNode();
        body.set("data", profileResource);
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("profile cannot be written as JSON", e);
        }
        KlaviyoResponse r = api.send(KlaviyoRequest.post(KlaviyoPaths.PROFILE_IMPORT, RateLimitBucket.PROFILE_IMPORT, bytes));
        int status = r.status();
        if (status == 200 || status == 201) {
            String id = api.readJson(r, "POST " + KlaviyoPaths.PROFILE_IMPORT).path("data").path("id").asText(null);
            return new ProfileUpsert(status == 201 ? ProfileUpsert.Outcome.CREATED : ProfileUpsert.Outcome.UPDATED,
                    id, status, null, null, null);
        }
        List<ApiError> errors = ApiErrors.parse(r.body(), json);
        ApiError first = errors.isEmpty() ? null : errors.get(0);
        String code = first != null && first.code() != null ? first.code() : "http_" + status;
        String detail = first != null ? ApiErrors.scrub(first.message()) : "HTTP " + status;
        if (status == 404 && profileResource.hasNonNull("id")) {
            detail = detail + " (Klaviyo answers this when the identifiers belong to another profile)";
        }
        Object duplicate = first == null ? null : first.meta().get("duplicate_profile_id");
        return new ProfileUpsert(ProfileUpsert.Outcome.REJECTED, null, status, code, detail,
                duplicate == null ? null : duplicate.toString());
    }
}
