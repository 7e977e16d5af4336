package org.klaviyosync.klaviyo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Resolves list references (ids or names) to list ids for one run, looking each up once.
 * <ul>
 *   <li>A reference of 6 letters or digits is first tried as an id ({@code GET /api/lists/{id}});
 *       a 404 makes it a name.</li>
 *   <li>A reference that matches no list id and no list name and has the shape of a Klaviyo list
 *       id ({@link #looksLikeListId(String)}) is rejected, never created: it is a deleted or
 *       mistyped id, and creating a list named after it would only fill a junk list.</li>
 *   <li>A name must match exactly one list ({@code attributes.name} equal to the reference); several
 *       lists with the name are ambiguous.</li>
 *   <li>A missing list is created when allowed and the {@link ListCreationBudget} permits. If the
 *       answer to the creation is lost, the name is looked up again before creating it again.</li>
 * </ul>
 * {@link KlaviyoAuthException} and {@link KlaviyoUnavailableException} propagate.
 */
public final class ListDirectory {

    private static final Pattern LIST_ID = Pattern.compile("^[A-Za-z0-9]{6}$");
    /**
     * Klaviyo's list ids as they appear ({@code RYkk48}, {@code Y6nRLr}, {@code VRgFBd},
     * {@code Xmpet6}): six ASCII letters and digits, an upper-case letter first, at least one
     * lower-case letter, and a digit or a second upper-case letter. Plain words ({@code Summer},
     * {@code summer}, {@code SUMMER}, {@code VIP}) do not have it.
     */
    private static final Pattern ID_SHAPE =
            Pattern.compile("^(?=[A-Za-z0-9]{6}$)(?=.*[a-z])[A-Z](?=.*[0-9A-Z])[A-Za-z0-9]{5}$");

    private final KlaviyoApi api;
    private final ObjectMapper json;
    private final ListCreationBudget budget;
    private final Map<String, ListResolution> resolved = new HashMap<>();
    private final Map<String, ListResolution> rejected = new HashMap<>();

    public ListDirectory(KlaviyoApi api, ObjectMapper json, ListCreationBudget budget) {
        this.api = Objects.requireNonNull(api, "api");
        this.json = Objects.requireNonNull(json, "json");
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    public synchronized ListResolution resolve(String reference, boolean createIfMissing) {
        if (reference == null || reference.isBlank()) {
            return ListResolution.rejected(reference, "list reference is empty");
        }
        ListResolution known = resolved.get(reference);
        if (known != null) {
            return known;
        }
        String rejectionKey = createIfMissing + ":" + reference;
        known = rejected.get(rejectionKey);
        if (known != null) {
            return known;
        }
        ListResolution result;
        try {
            result = lookUp(reference, createIfMissing);
        } catch (KlaviyoRequestException e) {
            result = ListResolution.rejected(reference, e.getMessage());
        }
        if (result.isResolved()) {
            resolved.put(reference, result);
        } else {
            rejected.put(rejectionKey, result);
        }
        return result;
    }

    private ListResolution lookUp(String reference, boolean createIfMissing) {
        if (LIST_ID.matcher(reference).matches()) {
            KlaviyoResponse r = api.send(KlaviyoRequest.get(KlaviyoPaths.list(reference), RateLimitBucket.LIST_READ));
            if (r.status() == 200) {
                String id = api.readJson(r, "GET /api/lists/{id}").path("data").path("id").asText(reference);
                return ListResolution.found(reference, id);
            }
            if (r.status() != 404) {
                return ListResolution.rejected(reference, "list '" + reference + "' could not be looked up: "
                        + ApiErrors.summarize(r, json));
            }
        }
        List<String> ids = idsNamed(reference);
        if (ids.size() == 1) {
            return ListResolution.found(reference, ids.get(0));
        }
        if (ids.size() > 1) {
            return ambiguous(reference, ids);
        }
        if (looksLikeListId(reference)) {
            return ListResolution.rejected(reference, "no list with id or name '" + reference
                    + "' (it has the shape of a list id, so it is not created as a new list)");
        }
        if (!createIfMissing) {
            return ListResolution.rejected(reference,
                    "list '" + reference + "' does not exist in Klaviyo and createLists is false");
        }
        return create(reference);
    }

    /** Whether {@code reference} has the shape of a Klaviyo list id (see {@link #ID_SHAPE}). */
    public static boolean looksLikeListId(String reference) {
        return reference != null && ID_SHAPE.matcher(reference).matches();
    }

    private ListResolution create(String name) {
        ObjectNode body = json.createObjectNode();
        ObjectNode data = body.putObject("data");
        data.put("type", "list");
        data.putObject("attributes").put("name", name);
        byte[] bytes = bytes(body);
        if (!budget.tryAcquire()) {
            return ListResolution.rejected(name, budget.exhaustedReason(name));
        }
        return api.sendCheckingBeforeResend(KlaviyoRequest.post(KlaviyoPaths.LISTS, RateLimitBucket.LIST_WRITE, bytes),
                r -> answered(name, r), () -> lostCreation(name));
    }

    private ListResolution answered(String name, KlaviyoResponse r) {
        if (r.status() == 201 || r.status() == 200) {
            String id = api.readJson(r, "POST /api/lists").path("data").path("id").asText(null);
            if (id == null || id.isEmpty()) {
                throw new KlaviyoRequestException("Klaviyo created list '" + name + "' but sent no id",
                        r.status(), List.of());
            }
            return ListResolution.created(name, id);
        }
        return ListResolution.rejected(name, "Klaviyo refused to create list '" + name + "': "
                + ApiErrors.summarize(r, json));
    }

    /**
     * Before creating {@code name} again after a lost answer: the list may have been created
     * although the answer was lost. Empty when it was not and the budget allows another creation.
     */
    private Optional<ListResolution> lostCreation(String name) {
        List<String> ids = idsNamed(name);
        if (ids.size() == 1) {
            return Optional.of(ListResolution.created(name, ids.get(0)));
        }
        if (ids.size() > 1) {
            return Optional.of(ambiguous(name, ids));
        }
        if (!budget.tryAcquire()) {
            return Optional.of(ListResolution.rejected(name, budget.exhaustedReason(name)));
        }
        return Optional.empty();
    }

    /** Ids of all lists whose name is exactly {@code name}, following every page. */
    private List<String> idsNamed(String name) {
        List<String> ids = new ArrayList<>();
        api.forEachItem(KlaviyoPaths.listsNamed(name), RateLimitBucket.LIST_READ, "looking up list '" + name + "'",
                "GET /api/lists", list -> {
                    if (name.equals(list.path("attributes").path("name").asText(null))) {
                        ids.add(list.path("id").asText());
                    }
                });
        return ids;
    }

    private static ListResolution ambiguous(String name, List<String> ids) {
        return ListResolution.rejected(name, "list name '" + name + "' is ambiguous: " + ids.size()
                + " lists have this name (ids " + String.join(", ", ids) + "); use a list id");
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
