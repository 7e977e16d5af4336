package org.klaviyosync.klaviyo;

/**
 * What a list reference resolved to: a list id, or the reason it cannot be used.
 *
 * @param reference what the sync definition named (a list id or a list name)
 * @param listId    Klaviyo's list id, or null when rejected
 * @param created   true when the list was created during this resolution
 * @param rejection human reason, or null when resolved
 */
public record ListResolution(String reference, String listId, boolean created, String rejection) {

    public static ListResolution found(String reference, String listId) {
        return new ListResolution(reference, listId, false, null);
    }

    public static ListResolution created(String reference, String listId) {
        return new ListResolution(reference, listId, true, null);
    }

    public static ListResolution rejected(String reference, String reason) {
        return new ListResolution(reference, null, false, reason);
    }

    public boolean isResolved() {
        return listId != null;
    }
}
