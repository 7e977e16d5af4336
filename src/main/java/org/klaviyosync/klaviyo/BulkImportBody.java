package org.klaviyosync.klaviyo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The JSON:API body of a profile bulk import job: its profiles, and the list they join when there is one. */
public final class BulkImportBody {

    private BulkImportBody() {
    }

    /**
     * The bytes of {@link #tree}, written around the profiles' own serialized JSON without parsing or
     * copying it into a tree.
     */
    public static byte[] bytes(ObjectMapper json, List<BulkProfile> batch, String listId) {
        byte[] head = "{\"data\":{\"type\":\"profile-bulk-import-job\",\"attributes\":{\"profiles\":{\"data\":["
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail;
        try {
            tail = (listId == null ? "]}}}}"
                    : "]}},\"relationships\":{\"lists\":{\"data\":[{\"type\":\"list\",\"id\":"
                            + json.writeValueAsString(listId) + "}]}}}}").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("list id cannot be written as JSON", e);
        }
        int size = head.length + tail.length + Math.max(0, batch.size() - 1);
        for (BulkProfile p : batch) {
            size += p.json().length;
        }
        byte[] out = new byte[size];
        int at = 0;
        System.arraycopy(head, 0, out, at, head.length);
        at += head.length;
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            byte[] profile = batch.get(i).json();
            System.arraycopy(profile, 0, out, at, profile.length);
            at += profile.length;
        }
        System.arraycopy(tail, 0, out, at, tail.length);
        return out;
    }

    /** The body as a tree (what a dry run shows), joining {@code listId} when not null. */
    public static ObjectNode tree(ObjectMapper json, List<BulkProfile> batch, String listId) {
        ObjectNode root = json.createObjectNode();
        ObjectNode data = root.putObject("data");
        data.put("type", "profile-bulk-import-job");
        ArrayNode profiles = data.putObject("attributes").putObject("profiles").putArray("data");
        for (BulkProfile p : batch) {
            profiles.addRawValue(new RawValue(new String(p.json(), StandardCharsets.UTF_8)));
        }
        if (listId != null) {
            ObjectNode list = data.putObject("relationships").putObject("lists").putArray("data").addObject();
            list.put("type", "list");
            list.put("id", listId);
        }
        return root;
    }
}
