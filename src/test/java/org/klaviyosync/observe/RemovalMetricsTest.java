package org.klaviyosync.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.e2e.SyncTestEnvironment;
import org.klaviyosync.run.RunOptions;
import org.klaviyosync.run.RunSummary;

/** The memberships a mirror sync removes are the {@code removed} outcome of the rows metric, apart from the rows. */
class RemovalMetricsTest {

    private static final String SYNC = "audience";

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.freshWarehouse().jobPollsUntilComplete(1);

    @Test
    void removedMembershipsAreCountedByTheRowsMetricAsTheirOwnOutcome() throws Exception {
        e2e.warehouse().execute("drop table if exists audience", "create table audience (id text, tier text)",
                "insert into audience values ('a1', 'x'), ('a2', 'x'), ('a3', 'x'), ('a4', 'x'), ('a5', 'x')");
        Path syncs = Files.createDirectories(e2e.work().resolve("syncs"));
        Files.writeString(syncs.resolve(SYNC + ".yaml"), """
                - templatedRoute:
                    routeTemplateRef: klaviyo-profile-sync
                    routeId: audience
                    parameters:
                      - name: syncId
                        value: audience
                      - name: model
                        value: "select id, tier from audience"
                      - name: identifier
                        value: external_id
                      - name: identifierColumn
                        value: id
                      - name: properties
                        value: "tier=tier"
                      - name: lists
                        value: Audience
                      - name: listMode
                        value: mirror
                """);
        try (ServiceHarness service = ServiceHarness.start(e2e.work(), Map.of("WAREHOUSE_JDBC_URL",
                e2e.warehouse().jdbcUrl(), "KLAVIYO_API_KEY", e2e.klaviyo().apiKey(), "KLAVIYO_BASE_URL",
                e2e.klaviyo().baseUrl()))) {
            assertEquals(5, service.app().runNow(SYNC, RunOptions.INCREMENTAL).sent());
            e2e.warehouse().execute("delete from audience where id = 'a5'");

            RunSummary run = service.app().runNow(SYNC, RunOptions.INCREMENTAL);

            assertEquals(1, run.removed(), run.toString());
            String metrics = service.get("/observe/metrics").body();
            assertEquals(1, ObserveEndToEndTest.sample(metrics, "klaviyosync_rows_settled_total",
                    "outcome=\"removed\"", "sync=\"" + SYNC + "\""));
            assertEquals(9, ObserveEndToEndTest.sample(metrics, "klaviyosync_rows_read_total", "sync=\"" + SYNC + "\""),
                    "5 + 4 rows read; the removal is not a row");
        }
    }
}
