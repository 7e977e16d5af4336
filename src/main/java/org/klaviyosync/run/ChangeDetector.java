package org.klaviyosync.run;

import java.util.Map;
import java.util.Set;
import org.klaviyosync.state.AcknowledgedFingerprints;
import org.klaviyosync.state.StoredRejection;

/**
 * Decides, per valid row, whether it goes to Klaviyo: a row whose content equals what Klaviyo last
 * acknowledged is unchanged; a row whose content equals what Klaviyo last rejected stays rejected
 * (it is sent again when it changes, or on replay); everything else is sent.
 *
 * <p>When the fingerprints live in the warehouse itself ({@link #inWarehouse}), the model query
 * compares them: rows whose model row is unchanged never leave the warehouse, and each row that
 * does comes with the fingerprint acknowledged for it, which this compares instead of a set loaded
 * at run start.
 */
public final class ChangeDetector {

    public enum Verdict { SEND, UNCHANGED, STILL_REJECTED }

    private final boolean sendAll;
    private final AcknowledgedFingerprints acknowledged;
    private final Map<String, StoredRejection> rejections;
    private final Set<String> forced;
    private final boolean inWarehouse;

    private ChangeDetector(boolean sendAll, AcknowledgedFingerprints acknowledged,
            Map<String, StoredRejection> rejections, Set<String> forced) {
        this(sendAll, acknowledged, rejections, forced, false);
    }

    private ChangeDetector(boolean sendAll, AcknowledgedFingerprints acknowledged,
            Map<String, StoredRejection> rejections, Set<String> forced, boolean inWarehouse) {
        this.inWarehouse = inWarehouse;
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

    /**
     * Rows are compared in the warehouse, which holds the fingerprints: each row read comes with the
     * fingerprint acknowledged for it ({@link #verdict(String, long, Long)}).
     */
    public static ChangeDetector inWarehouse(Map<String, StoredRejection> rejections) {
        return new ChangeDetector(false, AcknowledgedFingerprints.empty(), Map.copyOf(rejections), Set.of(), true);
    }

    public boolean sendsEverything() {
        return sendAll;
    }

    /** Whether the model query compares rows with the stored fingerprints (see the class comment). */
    public boolean comparesInWarehouse() {
        return inWarehouse;
    }

    public Verdict verdict(String identifierValue, long fingerprint) {
        return verdict(identifierValue, fingerprint, null);
    }

    /**
     * @param acknowledgedInWarehouse the fingerprint acknowledged for the row as the warehouse read
     *                                it with the row (null: none); used only when comparing there
     */
    public Verdict verdict(String identifierValue, long fingerprint, Long acknowledgedInWarehouse) {
        if (sendAll || forced.contains(identifierValue)) {
            return Verdict.SEND;
        }
        StoredRejection rejected = rejections.get(identifierValue);
        if (rejected != null && rejected.fingerprint() == fingerprint) {
            return Verdict.STILL_REJECTED;
        }
        if (inWarehouse) {
            return acknowledgedInWarehouse != null && acknowledgedInWarehouse == fingerprint ? Verdict.UNCHANGED
                    : Verdict.SEND;
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
