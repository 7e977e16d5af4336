package org.klaviyosync.standin;

import com.fasterxml.jackson.databind.JsonNode;

/** A successful answer: status and JSON:API document (null for 204). */
record ApiResponse(int status, JsonNode body) {

    static ApiResponse ok(JsonNode body) {
        return new ApiResponse(200, body);
    }

    static ApiResponse noContent() {
        return new ApiResponse(204, null);
    }
}
