package org.klaviyosync.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.klaviyosync.klaviyo.ConsentChange;
import org.klaviyosync.state.ConsentStates.Acknowledged;

/**
 * The marketing consent a run still has to change in Klaviyo ({@code emailConsent}, {@code smsConsent}),
 * one change per row key. A row's change is registered when the row goes in flight and taken, once,
 * when its first bulk import part is acknowledged: consent is changed only for an imported profile.
 *
 * <p>Only channels whose value differs from the consent the sync last got Klaviyo to acknowledge for
 * the row (loaded when the run opens) are kept: a row sent for another reason (another column,
 * {@code run --full}, replay, a changed sync file) does not send its unchanged consent again. The
 * channels Klaviyo acknowledges are collected, to be stored with the run's fingerprints.
 */
public final class ConsentChanges {

    private final Map<String, ConsentChange> pending = new ConcurrentHashMap<>();
    private volatile Map<String, Acknowledged> before = Map.of();
    private final List<Acknowledged> unrecorded = new ArrayList<>();

    /** The consent acknowledged for the sync before the run, by row key. */
    void acknowledgedBefore(Map<String, Acknowledged> acknowledged) {
        this.before = acknowledged;
    }

    /** Registers the row's change, without the channels whose value Klaviyo acknowledged already. */
    public void register(ConsentChange change) {
        if (change == null) {
            return;
        }
        Acknowledged known = before.get(change.rowKey());
        if (known != null) {
            Boolean email = change.emailConsent() != null && change.emailConsent().equals(known.email())
                    ? null : change.emailConsent();
            Boolean sms = change.smsConsent() != null && change.smsConsent().equals(known.sms())
                    ? null : change.smsConsent();
            change = new ConsentChange(change.rowKey(), change.email(), change.phoneNumber(), email, sms,
                    change.consentedAt());
        }
        if (change.any()) {
            pending.put(change.rowKey(), change);
        } else {
            pending.remove(change.rowKey());
        }
    }

    /** The row's change, removed; null when it has none or it was taken already. */
    public ConsentChange take(String rowKey) {
        return pending.isEmpty() ? null : pending.remove(rowKey);
    }

    /** Klaviyo acknowledged these channels of a row's change (null: that channel was not acknowledged). */
    public void acknowledged(String rowKey, Boolean email, Boolean sms) {
        if (email == null && sms == null) {
            return;
        }
        synchronized (unrecorded) {
            unrecorded.add(new Acknowledged(rowKey, email, sms));
        }
    }

    /** The acknowledged consent since the last call, to store. */
    public List<Acknowledged> drainAcknowledged() {
        synchronized (unrecorded) {
            List<Acknowledged> out = List.copyOf(unrecorded);
            unrecorded.clear();
            return out;
        }
    }
}
