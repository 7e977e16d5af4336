package org.klaviyosync.run;

import java.util.Map;
import java.util.Set;
import org.klaviyosync.state.AcknowledgedFingerprints;
import org.klaviyosync.state.StoredRejection;

/**
 * Decides, per valid row, whether it goes to Klaviyo: a row whose content equals what Klaviyo last
 * acknowledged is unchanged; a row whose content equals what Klaviyo last rejected stays rejected
 * (it is sent again when it changes, or on replay); everything else is sent.
 */
public final class ChangeDetector {

    public enum Verdict { SEND, UNCHANGED, STILL_REJECTED }

    private final boolean sendAll;
    private final AcknowledgedFingerprints acknowledged;
    private final Map<String, StoredRejection> rejections;
    private final Set<String> forced;

    private ChangeDetector(boolean sendAll, AcknowledgedFingerprints acknowledged,
            Map<String, StoredRejection> rejections, Set<String> forced) {
        this.sendAll = sendAll;
        this.acknowledged = acknowledged;
        this.rejections = rejections;
        this.forced = forced;
    }

    /** Every row is sent (full run, changed mapping, first run). */
    public static ChangeDetector sendEverything() {
        return new ChangeDetector(true, AcknowledgedFingerprints.empty(), Map.of(), Set.of());
    }

    /** Rows are compared with what is stored; {@code forced} identifiers are sent anyway. */
    public static ChangeDetector incremental(AcknowledgedFingerprints acknowledged,
            Map<String, StoredRejection> rejections, Set<String> forced) {
        return new ChangeDetector(false, acknowledged, Map.copyOf(rejections), Set.copyOf(forced));
    }

    public boolean sendsEverything() {
        return sendAll;
    }

    public Verdict verdict(String identifierValue, long fingerprint) {
        if (sendAll || forced.contains(identifierValue)) {
            return Verdict.SEND;
        }
        StoredRejection rejected = rejections.get(identifierValue);
        if (rejected != null && rejected.fingerprint() == fingerprint) {
            return Verdict.STILL_REJECTED;
        }
        return acknowledged.matches(identifierValue, fingerprint) ? Verdict.UNCHANGED : Verdict.SEND;
    }

    /** The stored rejection of a row judged {@link Verdict#STILL_REJECTED}. */
    public StoredRejection rejection(String identifierValue) {
        return rejections.get(identifierValue);
    }

    public int acknowledgedCount() {
        return acknowledged.size();
    }
}
