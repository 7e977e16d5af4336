package org.klaviyosync.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Small strict checks on JSON:API request documents. */
final class Bodies {

    private Bodies() {
    }

    /** The top-level {@code data} member; the document may hold nothing else. */
    static JsonNode data(ApiRequest req) {
        JsonNode root = req.json();
        if (root == null || !root.isObject()) {
            throw JsonApiErrors.invalid("/", "The request body must be a JSON:API document (a JSON object).");
        }
        unknownMembers(root, "", Set.of("data"));
        JsonNode data = root.get("data");
        if (data == null || data.isNull()) {
            throw JsonApiErrors.invalid("/data", "'data' is a required field.");
        }
        return data;
    }

    /** Throws 400 for the first member of {@code node} not in {@code allowed}. */
    static void unknownMembers(JsonNode node, String pointer, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw JsonApiErrors.invalid(pointer + "/" + name, "'" + name + "' is not a valid field here.");
            }
        }
    }

    /** Throws 400 unless {@code data.type} equals {@code type}. */
    static void requireType(JsonNode data, String pointer, String type) {
        JsonNode t = data.get("type");
        if (t == null || t.isNull()) {
            throw JsonApiErrors.invalid(pointer + "/type", "'type' is a required field.");
        }
        if (!t.isTextual() || !t.asText().equals(type)) {
            throw JsonApiErrors.invalid(pointer + "/type",
                    "The type '" + t.asText() + "' is not valid here; expected '" + type + "'.");
        }
    }

    /** Object member or 400. */
    static ObjectNode object(JsonNode parent, String name, String pointer) {
        JsonNode v = parent.get(name);
        if (v == null || !v.isObject()) {
            throw JsonApiErrors.invalid(pointer, "'" + name + "' is a required object.");
        }
        return (ObjectNode) v;
    }

    static StandInException many(List<ObjectNode> errors) {
        return new StandInException(400, errors);
    }
}
