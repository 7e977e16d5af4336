package org.klaviyosync.standin;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An error answer: the HTTP status, the JSON:API error objects and any extra response headers. */
final class StandInException extends RuntimeException {

    private final int status;
    private final List<ObjectNode> errors;
    private final Map<String, String> headers = new LinkedHashMap<>();

    StandInException(int status, List<ObjectNode> errors) {
        super(status + " " + errors);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    StandInException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    int status() {
        return status;
    }

    List<ObjectNode> errors() {
        return errors;
    }

    Map<String, String> headers() {
        return headers;
    }
}
