package org.klaviyosync;

import java.nio.file.Path;
import java.util.TimeZone;
import org.klaviyosync.cli.Cli;

/** Entry point: {@code java -jar target/klaviyo-sync.jar [run|preview|check] ...}, from the project root. */
public final class KlaviyoSync {

    private KlaviyoSync() {
    }

    public static void main(String[] args) {
        // Timestamps without a zone are read as UTC wall-clock time; pin the JVM so that
        // timestamptz values convert to the same instants whatever the host's zone.
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        int code = new Cli(Path.of("").toAbsolutePath(), System.getenv(), System.out, System.err).execute(args);
        System.exit(code);
    }
}
