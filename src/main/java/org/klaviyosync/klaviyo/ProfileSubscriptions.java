package org.klaviyosync.klaviyo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Changes marketing consent: Bulk Subscribe Profiles ({@code POST /api/profile-subscription-bulk-create-jobs},
 * at most {@value #MAX_SUBSCRIBE} profiles) and Bulk Unsubscribe Profiles
 * ({@code POST /api/profile-subscription-bulk-delete-jobs}, at most {@value #MAX_UNSUBSCRIBE}), both
 * through a list, scope {@code subscriptions:write}, each paced by its own rate limit. Klaviyo answers
 * 202 and applies the change later; a 400 whose errors point at profiles refuses those (the others are
 * sent again), any other refusal refuses every profile of the request. Both calls are idempotent (a
 * profile subscribed twice stays subscribed), so a request whose answer was lost is simply sent again.
 */
public final class ProfileSubscriptions {

    public static final int MAX_SUBSCRIBE = 1000;
    public static final int MAX_UNSUBSCRIBE = 100;

    private final KlaviyoApi api;
    private final ObjectMapper json;

    public ProfileSubscriptions(KlaviyoApi api, ObjectMapper json) {
        this.api = Objects.requireNonNull(api, "api");
        this.json = Objects.requireNonNull(json, "json");
    }

    /**
     * Subscribes the subscribed channels of up to {@value #MAX_SUBSCRIBE} rows through the list.
     *
     * @return the rows Klaviyo refused, with its reason; every other row was acknowledged
     * @throws KlaviyoUnavailableException when Klaviyo did not answer within the retry policy
     */
    public List<RejectedProfile> subscribe(String listId, boolean historical, List<ConsentChange> changes) {
        return send(changes, MAX_SUBSCRIBE, KlaviyoPaths.SUBSCRIPTION_BULK_CREATE_JOBS, RateLimitBucket.SUBSCRIBE,
                batch -> ConsentBodies.subscribe(json, batch, listId, historical), "Klaviyo refused the subscription: ");
    }

    /**
     * Unsubscribes the unsubscribed channels of up to {@value #MAX_UNSUBSCRIBE} rows through the list.
     *
     * @return the rows Klaviyo refused, with its reason; every other row was acknowledged
     * @throws KlaviyoUnavailableException when Klaviyo did not answer within the retry policy
     */
    public List<RejectedProfile> unsubscribe(String listId, List<ConsentChange> changes) {
        return send(changes, MAX_UNSUBSCRIBE, KlaviyoPaths.SUBSCRIPTION_BULK_DELETE_JOBS, RateLimitBucket.UNSUBSCRIBE,
                batch -> ConsentBodies.unsubscribe(json, batch, listId), "Klaviyo refused the unsubscription: ");
    }

    private List<RejectedProfile> send(List<ConsentChange> changes, int max, String path, RateLimitBucket bucket,
            Function<List<ConsentChange>, ObjectNode> body,
            String refused) {
        if (changes.isEmpty() || changes.size() > max) {
            throw new IllegalArgumentException("between 1 and " + max + " profiles per request, got " + changes.size());
        }
        List<RejectedProfile> rejected = new ArrayList<>();
        List<ConsentChange> pending = changes;
        while (!pending.isEmpty()) {
            KlaviyoResponse r = api.send(KlaviyoRequest.post(path, bucket, ConsentBodies.bytes(json, body.apply(pending))));
            if (r.status() >= 200 && r.status() < 300) {
                break;
            }
            Map<String, ConsentChange> byKey = new LinkedHashMap<>();
            List<BulkProfile> entries = new ArrayList<>();
            for (ConsentChange c : pending) {
                byKey.put(c.rowKey(), c);
                entries.add(new BulkProfile(c.rowKey(), new byte[0]));
            }
            BulkRefusal refusal = BulkRefusal.of(r, entries, json, ProfilePointers::profileIndex,
                    ProfilePointers::fieldOf, refused);
            rejected.addAll(refusal.rejected());
            pending = refusal.resend().stream().map(p -> byKey.get(p.rowKey())).toList();
        }
        return rejected;
    }
}
