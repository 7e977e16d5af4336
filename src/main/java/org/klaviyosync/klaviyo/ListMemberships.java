package org.klaviyosync.klaviyo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/** Adds profiles to a list with {@code POST /api/lists/{id}/relationships/profiles}. */
public final class ListMemberships {

    /** Klaviyo's limit of profiles per call. */
    public static final int MAX_PER_CALL = 1000;

    private final KlaviyoApi api;
    private final ObjectMapper json;

    public ListMemberships(KlaviyoApi api, ObjectMapper json) {
        this.api = Objects.requireNonNull(api, "api");
        this.json = Objects.requireNonNull(json, "json");
    }

    /**
     * Adds the profiles (Klaviyo profile ids; duplicates sent once) in chunks of at most
     * {@value #MAX_PER_CALL}. Adding is idempotent, so chunks are retried like reads. A chunk
     * answered with anything but 204 is reported in the result; later chunks are still sent.
     */
    public ListMembershipResult add(String listId, List<String> profileIds) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(profileIds));
        int added = 0;
        List<String> failed = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        String path = KlaviyoPaths.listProfileRelationships(listId);
        for (int from = 0; from < ids.size(); from += MAX_PER_CALL) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + MAX_PER_CALL));
            KlaviyoResponse r = api.send(KlaviyoRequest.post(path, RateLimitBucket.LIST_WRITE, body(chunk)));
            if (r.status() == 204 || r.status() == 200) {
                added += chunk.size();
            } else {
                failed.addAll(chunk);
                errors.add("adding " + chunk.size() + " profiles to list " + listId + " failed: "
                        + ApiErrors.summarize(r, json));
            }
        }
        return new ListMembershipResult(added, failed, errors);
    }

    private byte[] body(List<String> chunk) {
        ObjectNode root = json.createObjectNode();
        ArrayNode data = root.putArray("data");
        for (String id : chunk) {
            data.addObject().put("type", "profile").put("id", id);
        }
        try {
            return json.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
