package org.klaviyosync.standin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.UUID;

/** Builds JSON:API error objects shaped like Klaviyo's: id, status (int), code, title, detail, source, links, meta. */
final class JsonApiErrors {

    /** Source used when an error is not about one body member or parameter (Klaviyo answers this way too). */
    static final String GENERIC_POINTER = "/data/";

    private JsonApiErrors() {
    }

    static ObjectNode error(int status, String code, String title, String detail, String sourceKey, String sourceValue) {
        ObjectNode e = StandInJson.object();
        e.put("id", UUID.randomUUID().toString());
        e.put("status", status);
        e.put("code", code);
        e.put("title", title);
        e.put("detail", detail);
        ObjectNode source = e.putObject("source");
        source.put(sourceKey == null ? "pointer" : sourceKey, sourceKey == null ? GENERIC_POINTER : sourceValue);
        e.putObject("links");
        e.putObject("meta");
        return e;
    }

    static ObjectNode invalidAt(String pointer, String detail) {
        return error(400, "invalid", "Invalid input.", detail, "pointer", pointer);
    }

    static StandInException invalid(String pointer, String detail) {
        return new StandInException(400, List.of(invalidAt(pointer, detail)));
    }

    static StandInException invalidParameter(String parameter, String detail) {
        return new StandInException(400, List.of(error(400, "invalid", "Invalid input.", detail, "parameter", parameter)));
    }

    static StandInException notFound(String detail) {
        return new StandInException(404, List.of(error(404, "not_found", "Not found.", detail, null, null)));
    }

    static StandInException notFoundAt(String pointer, String detail) {
        return new StandInException(404, List.of(error(404, "not_found", "Not found.", detail, "pointer", pointer)));
    }

    static StandInException notAuthenticated(String detail) {
        return new StandInException(401, List.of(error(401, "not_authenticated",
                "Authentication credentials were not provided.", detail, null, null)));
    }

    static StandInException permissionDenied(String detail) {
        return new StandInException(403, List.of(error(403, "permission_denied",
                "You do not have permission to perform this action.", detail, null, null)));
    }

    static StandInException methodNotAllowed(String method, String allow) {
        return new StandInException(405, List.of(error(405, "method_not_allowed", "Method not allowed.",
                "Method \"" + method + "\" not allowed.", null, null))).header("Allow", allow);
    }

    static StandInException tooLarge(long limitBytes) {
        return new StandInException(413, List.of(error(413, "request_too_large", "Request entity too large.",
                "The request body exceeds the limit of " + limitBytes + " bytes for this endpoint.", null, null)));
    }

    static StandInException unsupportedMediaType(String contentType) {
        return new StandInException(415, List.of(error(415, "unsupported_media_type", "Unsupported media type.",
                "Unsupported media type \"" + contentType + "\" in request. Use application/vnd.api+json.",
                null, null)));
    }

    static StandInException throttled(int retryAfterSeconds) {
        return new StandInException(429, List.of(error(429, "throttled", "Request was throttled.",
                "Request was throttled. Expected available in " + retryAfterSeconds + " seconds.", null, null)))
                .header("Retry-After", Integer.toString(retryAfterSeconds));
    }

    static StandInException serverError(int status) {
        String code = status == 503 ? "service_unavailable" : "error";
        String title = status == 503 ? "Service unavailable." : "A server error occurred.";
        return new StandInException(status, List.of(error(status, code, title,
                "The request could not be completed. Please try again later.", null, null)));
    }

    static ObjectNode body(List<ObjectNode> errors) {
        ObjectNode root = StandInJson.object();
        ArrayNode arr = root.putArray("errors");
        errors.forEach(arr::add);
        return root;
    }
}
