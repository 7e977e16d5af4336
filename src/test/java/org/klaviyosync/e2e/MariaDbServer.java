package org.klaviyosync.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real MariaDB server from the machine's packages (Debian's {@code mariadb-server}, which
 * {@code .ci/run} installs), started for the tests: a data directory initialised by
 * {@code mariadb-install-db} in a temporary folder, TCP on a free local port, root without a
 * password. {@link #start()} gives the reason instead of a server when it cannot start, so the
 * tests are skipped with that reason, never passed silently.
 */
public final class MariaDbServer implements AutoCloseable {

    private static final String[] SEARCH_PATH = {"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin",
        "/usr/local/mysql/bin"};

    /** A started server, or why there is none. */
    public record Start(MariaDbServer server, String reason) {
    }

    private final Path dir;
    private final int port;
    private final Process process;

    private MariaDbServer(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    public static Start start() {
        Optional<Path> server = find("mariadbd").or(() -> find("mysqld"));
        Optional<Path> install = find("mariadb-install-db").or(() -> find("mysql_install_db"));
        if (server.isEmpty() || install.isEmpty()) {
            return new Start(null, "MariaDB is not installed (no mariadbd/mariadb-install-db on "
                    + String.join(":", SEARCH_PATH) + "); install it with `apt-get install -y mariadb-server`"
                    + " (.ci/run does)");
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("klaviyo-sync-mariadb");
            Path data = dir.resolve("data");
            List<String> init = new ArrayList<>(List.of(install.get().toString(), "--no-defaults",
                    "--datadir=" + data, "--auth-root-authentication-method=normal", "--skip-test-db"));
            if (isRoot()) {
                init.add("--user=root");
            }
            Process p = new ProcessBuilder(init).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("install.log").toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return new Start(null, "mariadb-install-db failed: " + tail(dir.resolve("install.log")));
            }
            int port = freePort();
            List<String> run = new ArrayList<>(List.of(server.get().toString(), "--no-defaults", "--datadir=" + data,
                    "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + dir.resolve("mariadb.sock"),
                    "--pid-file=" + dir.resolve("mariadb.pid"), "--skip-log-bin", "--innodb-buffer-pool-size=32M",
                    "--log-error=" + dir.resolve("server.log")));
            if (isRoot()) {
                run.add("--user=root");
            }
            Process process = new ProcessBuilder(run).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile()).start();
            MariaDbServer started = new MariaDbServer(dir, port, process);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close));
            String notReady = started.awaitReady(Duration.ofSeconds(60));
            if (notReady != null) {
                started.close();
                return new Start(null, "MariaDB did not start: " + notReady + "; " + tail(dir.resolve("server.log")));
            }
            return new Start(started, null);
        } catch (IOException | InterruptedException e) {
            return new Start(null, "MariaDB could not be started: " + e);
        }
    }

    /** A JDBC URL for {@code database} on this server (root, no password). */
    public String jdbcUrl(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database + "?user=root";
    }

    /** Creates {@code database} (dropping an old one) and runs {@code sql} in it. */
    public void createDatabase(String database, String... sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl("")); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + database);
            s.execute("create database " + database + " character set utf8mb4");
            s.execute("use " + database);
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    private String awaitReady(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        SQLException last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                return "the server exited with code " + process.exitValue();
            }
            try (Connection c = DriverManager.getConnection(jdbcUrl("") + "&connectTimeout=1000")) {
                return null;
            } catch (SQLException e) {
                last = e;
            }
            process.waitFor(200, TimeUnit.MILLISECONDS);
        }
        return "no answer on port " + port + " within " + timeout.toSeconds() + " s: " + (last == null ? "" : last.getMessage());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        deleteQuietly(dir);
    }

    private static Optional<Path> find(String name) {
        for (String folder : SEARCH_PATH) {
            Path p = Path.of(folder, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            });
        } catch (IOException ignored) {
            // as above
        }
    }
}
