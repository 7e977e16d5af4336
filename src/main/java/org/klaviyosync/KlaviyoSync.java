package org.klaviyosync;

import java.nio.file.Path;
import java.util.TimeZone;
import org.klaviyosync.cli.Cli;
import org.klaviyosync.warehouse.DriverFolder;

/** Entry point: {@code java -jar target/klaviyo-sync.jar [run|preview|check] ...}, from the project root. */
public final class KlaviyoSync {

    private KlaviyoSync() {
    }

    public static void main(String[] args) {
        // Timestamps without a zone are read as UTC wall-clock time; pin the JVM so that
        // timestamptz values convert to the same instants whatever the host's zone.
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
        Path root = Path.of("").toAbsolutePath();
        // java -jar ignores the class path: drivers of other warehouses come from drivers/ (or DRIVERS_DIR)
        DriverFolder.load(DriverFolder.location(System.getenv(), root));
        int code = new Cli(root, System.getenv(), System.out, System.err).execute(args);
        System.exit(code);
    }
}
