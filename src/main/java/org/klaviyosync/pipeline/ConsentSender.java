package org.klaviyosync.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.klaviyosync.klaviyo.ConsentChange;
import org.klaviyosync.klaviyo.KlaviyoAuthException;
import org.klaviyosync.klaviyo.ProfileSubscriptions;
import org.klaviyosync.klaviyo.RejectedProfile;
import org.klaviyosync.run.ListTargets;
import org.klaviyosync.run.SyncRun;

/**
 * {@code emailConsent} / {@code smsConsent}: bulk import does not change consent, so once a job's rows
 * are imported, their consent changes are sent through the sync's consent list, subscriptions
 * ({@value ProfileSubscriptions#MAX_SUBSCRIBE} a request, historical ones apart) then unsubscriptions
 * ({@value ProfileSubscriptions#MAX_UNSUBSCRIBE} a request). A row counts as imported only when every
 * change it carries was acknowledged too; a change Klaviyo refused rejects the row with its reason, one
 * that could not be sent (Klaviyo unavailable, the run stopping) defers it, so the next run sends it
 * again. Rows without a consent change go on at once. Each channel Klaviyo acknowledged is handed to
 * the run's {@code ConsentChanges}, stored with the fingerprints, so it is not sent again unchanged.
 */
public final class ConsentSender {

    private final ProfileSubscriptions subscriptions;

    public ConsentSender(ProfileSubscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    /**
     * Klaviyo imported the rows {@code rowKeys} (one bulk import part each); each ends through
     * {@code acknowledged} once its consent change, if any, was acknowledged, or is rejected or deferred here.
     */
    public void imported(SyncRun run, List<String> rowKeys, Consumer<String> acknowledged) {
        List<ConsentChange> changes = new ArrayList<>();
        for (String rowKey : rowKeys) {
            ConsentChange change = run.consentChanges().take(rowKey);
            if (change == null) {
                acknowledged.accept(rowKey);
            } else {
                changes.add(change);
            }
        }
        if (changes.isEmpty()) {
            return;
        }
        String reference = run.sync().consent().list();
        ListTargets.Target target;
        try {
            target = run.lists().resolve(reference);
        } catch (Exception e) {
            for (ConsentChange c : changes) {
                run.partDeferred(c.rowKey(), "imported, but its consent was not changed: the consent list '"
                        + reference + "' could not be looked up: " + e.getMessage());
            }
            return;
        }
        if (target.rejected()) {
            for (ConsentChange c : changes) {
                run.partRejected(c.rowKey(), "list", "imported, but its consent was not changed: "
                        + target.rejection());
            }
            return;
        }
        String listId = target.listId();
        Map<String, String[]> failed = new HashMap<>();
        Map<String, Boolean[]> done = new HashMap<>();
        try {
            List<ConsentChange> historical = new ArrayList<>();
            List<ConsentChange> now = new ArrayList<>();
            List<ConsentChange> leaving = new ArrayList<>();
            for (ConsentChange c : changes) {
                if (c.subscribes()) {
                    (c.consentedAt() != null ? historical : now).add(c);
                }
                if (c.unsubscribes()) {
                    leaving.add(c);
                }
            }
            send(run, now, ProfileSubscriptions.MAX_SUBSCRIBE, failed, done, Boolean.TRUE,
                    chunk -> subscriptions.subscribe(listId, false, chunk));
            send(run, historical, ProfileSubscriptions.MAX_SUBSCRIBE, failed, done, Boolean.TRUE,
                    chunk -> subscriptions.subscribe(listId, true, chunk));
            send(run, leaving, ProfileSubscriptions.MAX_UNSUBSCRIBE, failed, done, Boolean.FALSE,
                    chunk -> subscriptions.unsubscribe(listId, chunk));
        } catch (KlaviyoAuthException e) {
            remember(run, done);
            for (ConsentChange c : changes) {
                run.partDeferred(c.rowKey(), "imported, but its consent was not changed: " + e.getMessage());
            }
            throw e;
        }
        // each acknowledged channel is stored, even when another channel of the row failed
        remember(run, done);
        for (ConsentChange c : changes) {
            String[] failure = failed.get(c.rowKey());
            if (failure == null) {
                acknowledged.accept(c.rowKey());
            } else if (failure[0] != null) {
                run.partRejected(c.rowKey(), failure[0], failure[1]);
            } else {
                run.partDeferred(c.rowKey(), failure[1]);
            }
        }
    }

    private interface Request {
        List<RejectedProfile> send(List<ConsentChange> chunk);
    }

    private static void remember(SyncRun run, Map<String, Boolean[]> done) {
        done.forEach((rowKey, channels) -> run.consentChanges().acknowledged(rowKey, channels[0], channels[1]));
    }

    /**
     * Sends the changes in requests of up to {@code max}; the channels of each change set to {@code value}
     * that Klaviyo acknowledged go into {@code done} (row key to email and SMS value).
     */
    private static void send(SyncRun run, List<ConsentChange> changes, int max, Map<String, String[]> failed,
            Map<String, Boolean[]> done, Boolean value, Request request) {
        for (int from = 0; from < changes.size(); from += max) {
            List<ConsentChange> chunk = new ArrayList<>(changes.subList(from, Math.min(changes.size(), from + max)));
            chunk.removeIf(c -> failed.containsKey(c.rowKey()));
            if (chunk.isEmpty()) {
                continue;
            }
            if (run.stopping()) {
                chunk.forEach(c -> failed.put(c.rowKey(), new String[] {null, "imported, but its consent was not"
                        + " changed: the run stopped (" + run.failure() + "); sent again by the next run"}));
                continue;
            }
            try {
                for (RejectedProfile r : request.send(chunk)) {
                    failed.put(r.rowKey(), new String[] {r.code(), "imported, but Klaviyo refused its consent"
                            + " change: " + r.detail()});
                }
                for (ConsentChange c : chunk) {
                    if (!failed.containsKey(c.rowKey())) {
                        Boolean[] channels = done.computeIfAbsent(c.rowKey(), k -> new Boolean[2]);
                        if (value.equals(c.emailConsent())) {
                            channels[0] = value;
                        }
                        if (value.equals(c.smsConsent())) {
                            channels[1] = value;
                        }
                    }
                }
            } catch (KlaviyoAuthException e) {
                throw e;
            } catch (RuntimeException e) {
                chunk.forEach(c -> failed.put(c.rowKey(), new String[] {null, "imported, but its consent was not"
                        + " changed: " + e.getMessage()}));
            }
        }
    }
}
