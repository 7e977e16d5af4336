package org.klaviyosync;

import java.nio.file.Path;
import org.klaviyosync.cli.Cli;

/** Entry point: {@code java -jar target/klaviyo-sync.jar [run|preview|check] ...}, from the project root. */
public final class KlaviyoSync {

    private KlaviyoSync() {
    }

    public static void main(String[] args) {
        int code = new Cli(Path.of("").toAbsolutePath(), System.getenv(), System.out, System.err).execute(args);
        System.exit(code);
    }
}
