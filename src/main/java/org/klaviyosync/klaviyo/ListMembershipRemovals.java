package org.klaviyosync.klaviyo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * Removes profiles from a list with {@code DELETE /api/lists/{id}/relationships/profiles}. Only the
 * membership goes: the profile, its consent and its other lists stay as they are. Removing is
 * idempotent (a profile already out of the list stays out), so a call whose answer was lost is
 * simply sent again.
 */
public final class ListMembershipRemovals {

    /** Klaviyo's limit of profiles per call. */
    public static final int MAX_PER_CALL = 1000;

    /** Klaviyo's answer to one removal call: acknowledged (204), or refused with a summary of why. */
    public record Answer(boolean acknowledged, String error) {
    }

    private final KlaviyoApi api;
    private final ObjectMapper json;

    public ListMembershipRemovals(KlaviyoApi api, ObjectMapper json) {
        this.api = Objects.requireNonNull(api, "api");
        this.json = Objects.requireNonNull(json, "json");
    }

    /**
     * Removes up to {@value #MAX_PER_CALL} profiles (Klaviyo profile ids) from the list in one call.
     *
     * @throws IllegalArgumentException when there are none or more than {@value #MAX_PER_CALL}
     * @throws KlaviyoUnavailableException when Klaviyo did not answer within the retry policy
     */
    public Answer remove(String listId, List<String> profileIds) {
        if (profileIds.isEmpty() || profileIds.size() > MAX_PER_CALL) {
            throw new IllegalArgumentException("between 1 and " + MAX_PER_CALL + " profiles per call, got "
                    + profileIds.size());
        }
        KlaviyoResponse r = api.send(KlaviyoRequest.delete(KlaviyoPaths.listMembershipRelationships(listId),
                RateLimitBucket.LIST_REMOVE, body(profileIds)));
        if (r.status() == 204 || r.status() == 200) {
            return new Answer(true, null);
        }
        return new Answer(false, "removing " + profileIds.size() + " profiles from list " + listId + " failed: "
                + ApiErrors.summarize(r, json));
    }

    private byte[] body(List<String> ids) {
        ObjectNode root = json.createObjectNode();
        ArrayNode data = root.putArray("data");
        for (String id : ids) {
            data.addObject().put("type", "profile").put("id", id);
        }
        try {
            return json.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
