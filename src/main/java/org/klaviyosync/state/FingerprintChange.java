package org.klaviyosync.state;

/**
 * A change to a sync's stored fingerprints, made once Klaviyo has answered for the row.
 *
 * @param identifierValue the row's identifier
 * @param kind            what happened to the row
 * @param fingerprint     the content sent (unused for {@link Kind#FORGET})
 * @param code            Klaviyo's error code, for {@link Kind#REJECTED}
 * @param detail          Klaviyo's error detail, for {@link Kind#REJECTED}
 * @param rowFingerprint  the fingerprint the warehouse computed of the model row that gave this content, or null
 *                        when the warehouse computed none
 */
public record FingerprintChange(String identifierValue, Kind kind, long fingerprint, String code, String detail,
        Long rowFingerprint) {

    public enum Kind {
        /** Klaviyo acknowledged this content: the row is unchanged until it differs. */
        ACKNOWLEDGED,
        /** Klaviyo rejected this content: not sent again until it differs, or on replay. */
        REJECTED,
        /** The outcome is unknown (deferred): drop what is stored so that the row is sent again. */
        FORGET,
        /**
         * Klaviyo already holds this content (acknowledged in an earlier run) and the model row that
         * gives it now has another row fingerprint (a column outside the payload changed): the row
         * fingerprint is recorded, so the warehouse can tell the row unchanged without it being read.
         */
        ROW_FINGERPRINT
    }

    public FingerprintChange(String identifierValue, Kind kind, long fingerprint, String code, String detail) {
        this(identifierValue, kind, fingerprint, code, detail, null);
    }

    public static FingerprintChange acknowledged(String identifierValue, long fingerprint) {
        return acknowledged(identifierValue, fingerprint, null);
    }

    /** As above, with the warehouse's fingerprint of the model row (null: none). */
    public static FingerprintChange acknowledged(String identifierValue, long fingerprint, Long rowFingerprint) {
        return new FingerprintChange(identifierValue, Kind.ACKNOWLEDGED, fingerprint, null, null, rowFingerprint);
    }

    public static FingerprintChange rejected(String identifierValue, long fingerprint, String code, String detail) {
        return new FingerprintChange(identifierValue, Kind.REJECTED, fingerprint, code, detail);
    }

    public static FingerprintChange forget(String identifierValue) {
        return new FingerprintChange(identifierValue, Kind.FORGET, 0L, null, null);
    }

    /** The model row giving the acknowledged content {@code fingerprint} now has {@code rowFingerprint}. */
    public static FingerprintChange rowFingerprint(String identifierValue, long fingerprint, long rowFingerprint) {
        return new FingerprintChange(identifierValue, Kind.ROW_FINGERPRINT, fingerprint, null, null, rowFingerprint);
    }
}
