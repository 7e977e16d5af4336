package org.klaviyosync.e2e;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

/**
 * The benchmarks' model: {@code bench_people} with N generated rows, and the sync that sends it
 * (external id, four properties, one static list).
 */
final class BenchPeople {

    static final String MODEL = "select id, email, first_name, plan, score from bench_people";
    static final String LIST = "Bench";

    private BenchPeople() {
    }

    /** A fresh database holding {@code rows} people. */
    static TestWarehouse warehouse(int rows) throws SQLException {
        TestWarehouse warehouse = TestWarehouse.fresh();
        warehouse.execute("create table bench_people (id text, email text, first_name text, plan text, score int)",
                "insert into bench_people select 'p-' || g, 'person' || g || '@example.com', 'Name' || (g % 1000),"
                        + " 'basic', g from generate_series(1, " + rows + ") g",
                "analyze bench_people");
        return warehouse;
    }

    /** Writes the sync file for {@code syncId}. */
    static void sync(CliHarness cli, String syncId) throws IOException {
        cli.sync(syncId, "model", MODEL, "identifier", "external_id", "identifierColumn", "id",
                "properties", "email=email,first_name=first_name,plan=plan,score=score", "lists", LIST);
    }

    /**
     * Lifts the service's own pacing far above what the runs need, yet keeps it small: Camel's throttle
     * holds one permit object per request of its period, so a limit of millions would itself cost memory
     * and CPU.
     */
    static void liftServiceLimits(CliHarness cli) {
        for (String bucket : List.of("BULK_IMPORT", "BULK_JOB_READ", "LIST_WRITE", "LIST_REMOVE", "PROFILE_IMPORT", "READS")) {
            cli.env("KLAVIYO_LIMITS_" + bucket + "_PER_SECOND", "1000")
                    .env("KLAVIYO_LIMITS_" + bucket + "_PER_MINUTE", "6000");
        }
    }
}
