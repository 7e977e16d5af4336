package org.klaviyosync.klaviyo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One profile for a bulk import, tied to the warehouse row it came from.
 *
 * @param rowKey  the row's key, used to report rejections
 * @param profile JSON:API profile resource {@code {"type":"profile","attributes":{...}}}
 */
public record BulkProfile(String rowKey, ObjectNode profile) {

    public BulkProfile {
        Objects.requireNonNull(rowKey, "rowKey");
        Objects.requireNonNull(profile, "profile");
    }
}
