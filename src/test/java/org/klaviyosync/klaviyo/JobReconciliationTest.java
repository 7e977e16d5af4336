package org.klaviyosync.klaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobReconciliationTest {

    private static final List<String> EMAILS = List.of("ann@shop.com", "bob@shop.com", "cy@shop.com");

    private static JobState complete(int total, int completed, int failed) {
        return new JobState("01JOB", JobState.COMPLETE, total, completed, failed, null, null);
    }

    private static ImportError echoing(String attribute, String value) throws Exception {
        JsonNode payload = Fakes.JSON.readTree("{\"type\":\"profile\",\"attributes\":{\"" + attribute + "\":\""
                + value + "\"}}");
        return new ImportError("e", "invalid", "Invalid input.", "rejected", "/data", payload);
    }

    private static ImportError pointingAt(int index) {
        return new ImportError("e", "invalid", "Invalid input.", "rejected",
                "/data/attributes/profiles/data/" + index + "/attributes/email", null);
    }

    @Test
    void anErrorEchoingARowsIdentifierRejectsThatRowAndTheRestAddUp() throws Exception {
        JobReconciliation r = JobReconciliation.of(EMAILS, "email", complete(3, 2, 1),
                List.of(echoing("email", "bob@shop.com")));
        assertTrue(r.accountsForEveryRow(), r.mismatch());
        assertTrue(r.errorOf("bob@shop.com").isPresent());
        assertFalse(r.errorOf("ann@shop.com").isPresent());
    }

    @Test
    void emailsMatchIgnoringCaseOtherIdentifiersOnlyExactly() throws Exception {
        JobReconciliation email = JobReconciliation.of(EMAILS, "email", complete(3, 2, 1),
                List.of(echoing("email", "Cy@Shop.com")));
        assertTrue(email.errorOf("cy@shop.com").isPresent(), "same address, other case");

        JobReconciliation externalId = JobReconciliation.of(List.of("crm-1", "crm-2"), "external_id",
                complete(2, 1, 1), List.of(echoing("external_id", "CRM-1")));
        assertFalse(externalId.accountsForEveryRow());
        assertTrue(externalId.mismatch().contains("1 import error matches none of its rows"), externalId.mismatch());
    }

    @Test
    void aPointerNamesTheRowByItsIndexInTheJobAsSubmitted() {
        JobReconciliation r = JobReconciliation.of(EMAILS, "email", complete(3, 2, 1), List.of(pointingAt(2)));
        assertTrue(r.accountsForEveryRow(), r.mismatch());
        assertTrue(r.errorOf("cy@shop.com").isPresent());

        JobReconciliation outside = JobReconciliation.of(EMAILS, "email", complete(3, 2, 1), List.of(pointingAt(3)));
        assertFalse(outside.accountsForEveryRow(), "index 3 is no profile of a job of 3");
    }

    @Test
    void anErrorForAnotherProfileIsAMismatch() throws Exception {
        JobReconciliation r = JobReconciliation.of(EMAILS, "email", complete(3, 2, 1),
                List.of(echoing("email", "stranger@elsewhere.test")));
        assertFalse(r.accountsForEveryRow());
        assertFalse(r.errorOf("ann@shop.com").isPresent());
    }

    @Test
    void countsThatDoNotAddUpAreAMismatch() throws Exception {
        JobReconciliation shortCount = JobReconciliation.of(EMAILS, "email", complete(3, 2, 0), List.of());
        assertEquals("completed_count 2 + failed_count 0 is not total_count 3", shortCount.mismatch());

        JobReconciliation otherTotal = JobReconciliation.of(EMAILS, "email", complete(4, 4, 0), List.of());
        assertEquals("total_count 4 but it carried 3 rows", otherTotal.mismatch());

        JobReconciliation unitemised = JobReconciliation.of(EMAILS, "email", complete(3, 1, 2),
                List.of(echoing("email", "ann@shop.com")));
        assertEquals("failed_count 2 but 1 row has an import error", unitemised.mismatch());
        assertTrue(unitemised.errorOf("ann@shop.com").isPresent(), "the matched error still names its row");
    }
}
