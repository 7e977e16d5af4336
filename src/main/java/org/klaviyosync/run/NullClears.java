package org.klaviyosync.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The null values a run still has to clear in Klaviyo ({@code nulls=clear}), one profile-import
 * resource per row key. A row's resource is registered when the row goes in flight and taken, once,
 * when its first bulk import part is acknowledged.
 */
public final class NullClears {

    private final Map<String, ObjectNode> pending = new ConcurrentHashMap<>();

    public void register(String rowKey, ObjectNode clearResource) {
        if (clearResource != null) {
            pending.put(rowKey, clearResource);
        }
    }

    /** The row's resource, removed; null when it has nothing to clear or was taken already. */
    public ObjectNode take(String rowKey) {
        return pending.isEmpty() ? null : pending.remove(rowKey);
    }

    public int size() {
        return pending.size();
    }
}
