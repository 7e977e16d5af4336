package org.klaviyosync.standin;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * A request that passed routing, auth, scope and header checks.
 *
 * @param method     HTTP method
 * @param path       request path
 * @param pathParams groups of the route's pattern (e.g. the list id)
 * @param params     decoded query parameters
 * @param body       raw body bytes
 * @param json       parsed body, or null for requests without a body and for routes that take plain values
 * @param value      for routes that take plain values, the body as {@link StandInJson#parseCompact} reads
 *                   it (may be null, for a JSON {@code null}); otherwise null
 * @param baseUrl    {@code http://127.0.0.1:PORT}
 */
record ApiRequest(String method, String path, List<String> pathParams, Map<String, String> params,
                  byte[] body, JsonNode json, Object value, String baseUrl) {

    String pathParam(int i) {
        return pathParams.get(i);
    }

    String param(String name) {
        return params.get(name);
    }
}
