package org.klaviyosync.klaviyo;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One profile a bulk import job could not import.
 *
 * @param originalPayload the profile as submitted (map back with
 *                        {@link ProfilePointers#identifierOf(JsonNode, String)}), or null
 */
public record ImportError(String id, String code, String title, String detail, String pointer,
                          JsonNode originalPayload) {
}
