package org.klaviyosync.klaviyo;

/**
 * The result of one {@code POST /api/profile-import}.
 *
 * @param profileId          Klaviyo's profile id, or null when rejected
 * @param status             HTTP status of the answer
 * @param code               Klaviyo's error code when rejected (e.g. {@code duplicate_profile}), else null
 * @param detail             Klaviyo's reason when rejected, else null
 * @param duplicateProfileId {@code meta.duplicate_profile_id} of a 409, else null
 */
public record ProfileUpsert(Outcome outcome, String profileId, int status, String code, String detail,
                            String duplicateProfileId) {

    public enum Outcome { CREATED, UPDATED, REJECTED }

    public boolean isRejected() {
        return outcome == Outcome.REJECTED;
    }
}
