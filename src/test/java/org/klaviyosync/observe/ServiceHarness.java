package org.klaviyosync.observe;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.klaviyosync.app.SyncApplication;
import org.klaviyosync.settings.Settings;

/**
 * Starts the application in-process with the management server on a free port (one-shot mode,
 * so no schedule fires on its own) and talks to that server over HTTP.
 */
final class ServiceHarness implements AutoCloseable {

    record Answer(int status, String body, String challenge) {
        Answer(int status, String body) {
            this(status, body, null);
        }
    }

    private final SyncApplication app;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServiceHarness(SyncApplication app, int port) {
        this.app = app;
        this.port = port;
    }

    static ServiceHarness start(Path work, Map<String, String> extraEnv, String... syncFiles) throws Exception {
        Path syncs = Files.createDirectories(work.resolve("syncs"));
        for (String f : syncFiles) {
            Files.copy(Path.of("routes/syncs").resolve(f), syncs.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        int port = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("SYNCS_DIR", syncs.toString());
        env.put("DRY_RUN_DIR", work.resolve("dry-run").toString());
        env.put("KLAVIYO_JOB_POLL_INTERVAL_MS", "20");
        env.put("MANAGEMENT_ENABLED", "true");
        env.put("PROGRESS_INTERVAL_SECONDS", "1");
        env.put("MANAGEMENT_PORT", Integer.toString(port));
        env.putAll(extraEnv);
        Path root = Path.of("").toAbsolutePath();
        SyncApplication app = SyncApplication.prepare(Settings.load(root.resolve("application.properties"), env), root,
                SyncApplication.Mode.ONE_SHOT);
        try {
            app.start();
        } catch (Exception e) {
            app.close();
            throw e;
        }
        return new ServiceHarness(app, port);
    }

    SyncApplication app() {
        return app;
    }

    Answer get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    Answer post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    /** A request to {@code host} (an address of this machine) on the management port, with an Authorization header. */
    Answer get(String host, String path, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                .timeout(Duration.ofSeconds(60)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r.headers().firstValue("WWW-Authenticate").orElse(null));
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        app.close();
    }
}
