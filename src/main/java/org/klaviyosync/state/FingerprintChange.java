package org.klaviyosync.state;

/**
 * A change to a sync's stored fingerprints, made once Klaviyo has answered for the row.
 *
 * @param identifierValue the row's identifier
 * @param kind            what happened to the row
 * @param fingerprint     the content sent (unused for {@link Kind#FORGET})
 * @param code            Klaviyo's error code, for {@link Kind#REJECTED}
 * @param detail          Klaviyo's error detail, for {@link Kind#REJECTED}
 */
public record FingerprintChange(String identifierValue, Kind kind, long fingerprint, String code, String detail) {

    public enum Kind {
        /** Klaviyo acknowledged this content: the row is unchanged until it differs. */
        ACKNOWLEDGED,
        /** Klaviyo rejected this content: not sent again until it differs, or on replay. */
        REJECTED,
        /** The outcome is unknown (deferred): drop what is stored so that the row is sent again. */
        FORGET
    }

    public static FingerprintChange acknowledged(String identifierValue, long fingerprint) {
        return new FingerprintChange(identifierValue, Kind.ACKNOWLEDGED, fingerprint, null, null);
    }

    public static FingerprintChange rejected(String identifierValue, long fingerprint, String code, String detail) {
        return new FingerprintChange(identifierValue, Kind.REJECTED, fingerprint, code, detail);
    }

    public static FingerprintChange forget(String identifierValue) {
        return new FingerprintChange(identifierValue, Kind.FORGET, 0L, null, null);
    }
}
