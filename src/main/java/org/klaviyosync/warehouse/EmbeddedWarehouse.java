package org.klaviyosync.warehouse;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default: a real PostgreSQL started from the project's dependencies when no
 * WAREHOUSE_JDBC_URL is set, its data kept in a local folder between runs.
 */
public final class EmbeddedWarehouse implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedWarehouse.class);

    private final EmbeddedPostgres postgres;

    private EmbeddedWarehouse(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedWarehouse start(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            boolean existing = Files.exists(dataDir.resolve("PG_VERSION"));
            LOG.info("Starting the embedded PostgreSQL warehouse (data in {}, {})", dataDir,
                    existing ? "kept from an earlier run" : "new");
            EmbeddedPostgres pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .start();
            return new EmbeddedWarehouse(pg);
        } catch (IOException e) {
            throw new IllegalStateException("the embedded PostgreSQL did not start (data folder " + dataDir + "): "
                    + e.getMessage() + ". Set WAREHOUSE_JDBC_URL to use your own database instead.", e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public String user() {
        return "postgres";
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
