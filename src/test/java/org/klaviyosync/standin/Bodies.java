package org.klaviyosync.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
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

    // ---- the same checks on a document read as plain Java values (StandInJson.readCompact)

    /** The top-level {@code data} member of a document given as plain values; the document may hold nothing else. */
    static Object data(Object root) {
        if (!(root instanceof Map<?, ?> document)) {
            throw JsonApiErrors.invalid("/", "The request body must be a JSON:API document (a JSON object).");
        }
        unknownMembers(document, "", Set.of("data"));
        Object data = document.get("data");
        if (data == null) {
            throw JsonApiErrors.invalid("/data", "'data' is a required field.");
        }
        return data;
    }

    /** Throws 400 for the first member of {@code node} not in {@code allowed}. */
    static void unknownMembers(Map<?, ?> node, String pointer, Set<String> allowed) {
        for (Object key : node.keySet()) {
            String name = (String) key;
            if (!allowed.contains(name)) {
                throw JsonApiErrors.invalid(pointer + "/" + name, "'" + name + "' is not a valid field here.");
            }
        }
    }

    /** Throws 400 unless {@code data.type} equals {@code type}. */
    static void requireType(Map<?, ?> data, String pointer, String type) {
        Object t = data.get("type");
        if (t == null) {
            throw JsonApiErrors.invalid(pointer + "/type", "'type' is a required field.");
        }
        if (!type.equals(t)) {
            throw JsonApiErrors.invalid(pointer + "/type",
                    "The type '" + text(t) + "' is not valid here; expected '" + type + "'.");
        }
    }

    /** Object member or 400. */
    static Map<?, ?> object(Map<?, ?> parent, String name, String pointer) {
        if (!(parent.get(name) instanceof Map<?, ?> v)) {
            throw JsonApiErrors.invalid(pointer, "'" + name + "' is a required object.");
        }
        return v;
    }

    /** A value as {@link JsonNode#asText()} shows it in messages: containers as the empty string. */
    static String text(Object value) {
        if (value instanceof Map || value instanceof List) {
            return "";
        }
        return String.valueOf(value);
    }

    static StandInException many(List<ObjectNode> errors) {
        return new StandInException(400, errors);
    }
}
