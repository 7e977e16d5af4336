package org.klaviyosync.klaviyo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/** A transport that answers from a script and records what was sent. */
final class ScriptedTransport implements KlaviyoTransport {

    private interface Step {
        KlaviyoResponse run() throws IOException;
    }

    private final Deque<Step> script = new ArrayDeque<>();
    final List<KlaviyoRequest> requests = new ArrayList<>();

    ScriptedTransport respond(int status, String body) {
        return respond(status, Map.of(), body);
    }

    ScriptedTransport respond(int status, Map<String, String> headers, String body) {
        KlaviyoResponse r = new KlaviyoResponse(status, headers,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        script.add(() -> r);
        return this;
    }

    ScriptedTransport fail(IOException e) {
        script.add(() -> {
            throw e;
        });
        return this;
    }

    @Override
    public KlaviyoResponse exchange(KlaviyoRequest request) throws IOException {
        requests.add(request);
        Step step = script.poll();
        if (step == null) {
            throw new AssertionError("unexpected request " + request.method() + " " + request.pathAndQuery());
        }
        return step.run();
    }

    int remaining() {
        return script.size();
    }

    KlaviyoRequest request(int i) {
        return requests.get(i);
    }

    String path(int i) {
        return requests.get(i).pathAndQuery();
    }

    String body(int i) {
        byte[] b = requests.get(i).body();
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
