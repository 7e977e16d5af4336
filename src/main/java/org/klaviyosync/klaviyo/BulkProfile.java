package org.klaviyosync.klaviyo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * One profile for a bulk import, tied to the warehouse row it came from. The profile is kept as
 * its serialized JSON (a few hundred bytes), not as a tree, so that full batches and pending jobs
 * stay small in memory.
 *
 * @param rowKey the row's key, used to report rejections
 * @param json   UTF-8 JSON of the JSON:API profile resource {@code {"type":"profile","attributes":{...}}}
 */
public record BulkProfile(String rowKey, byte[] json) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public BulkProfile {
        Objects.requireNonNull(rowKey, "rowKey");
        Objects.requireNonNull(json, "json");
    }

    public BulkProfile(String rowKey, ObjectNode profile) {
        this(rowKey, serialize(Objects.requireNonNull(profile, "profile")));
    }

    /** The row keys of {@code profiles}, in order. */
    public static List<String> rowKeys(List<BulkProfile> profiles) {
        return profiles.stream().map(BulkProfile::rowKey).toList();
    }

    private static byte[] serialize(ObjectNode profile) {
        try {
            return JSON.writeValueAsBytes(profile);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("profile cannot be written as JSON", e);
        }
    }
}
