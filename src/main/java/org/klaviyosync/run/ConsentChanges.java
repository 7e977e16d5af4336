package org.klaviyosync.run;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.klaviyosync.klaviyo.ConsentChange;

/**
 * The marketing consent a run still has to change in Klaviyo ({@code emailConsent}, {@code smsConsent}),
 * one change per row key. A row's change is registered when the row goes in flight and taken, once,
 * when its first bulk import part is acknowledged: consent is changed only for an imported profile.
 */
public final class ConsentChanges {

    private final Map<String, ConsentChange> pending = new ConcurrentHashMap<>();

    public void register(ConsentChange change) {
        if (change != null) {
            pending.put(change.rowKey(), change);
        }
    }

    /** The row's change, removed; null when it has none or it was taken already. */
    public ConsentChange take(String rowKey) {
        return pending.isEmpty() ? null : pending.remove(rowKey);
    }
}
