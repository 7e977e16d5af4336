package org.klaviyosync.mapping;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.klaviyosync.mapping.Fixtures.JSON;
import static org.klaviyosync.mapping.Fixtures.pg;
import static org.klaviyosync.mapping.Fixtures.specific;
import static org.klaviyosync.mapping.Fixtures.sync;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.klaviyosync.config.Identifier;

/** Rows mapped per second for a typical CRM row; on demand only ({@code -DexcludedTestGroups= -Dgroups=benchmark}). */
@Tag("benchmark")
class MappingThroughputTest {

    @Test
    void mapsTypicalRowsQuickly() {
        ProfilePayloadMapper mapper = new ProfilePayloadMapper(sync(Identifier.EXTERNAL_ID, "id",
                specific("email", "email", "first_name", "first", "last_name", "last", "location.city", "city",
                        "location.country", "country", "tier", "tier", "ltv", "ltv", "signed_up", "signed_up",
                        "prefs", "prefs"),
                "lists", List.of("Census Uploads")), JSON);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            rows.add(Fixtures.row("id", "crm-" + i, "email", "user" + i + "@example.com", "first", "Ann",
                    "last", "Lee", "city", "Lyon", "country", "France", "tier", i % 3 == 0 ? "gold" : "silver",
                    "ltv", new BigDecimal(i + ".25"), "signed_up", new Timestamp(1_700_000_000_000L + i),
                    "prefs", pg("jsonb", "{\"news\": true, \"sms\": false}"), "lists", "[\"VIP\"]"));
        }
        int total = 0;
        long start = 0;
        for (int round = 0; round < 30; round++) {
            if (round == 10) {
                start = System.nanoTime();
                total = 0;
            }
            for (Map<String, Object> row : rows) {
                assertTrue(mapper.map(row).valid());
                total++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d rows in %.2f s: %.0f rows/s%n", total, seconds, total / seconds);
    }
}
