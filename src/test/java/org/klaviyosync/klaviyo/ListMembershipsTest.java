package org.klaviyosync.klaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListMembershipsTest {

    private final Fakes f = new Fakes();
    private final ListMemberships memberships = new ListMemberships(f.api, Fakes.JSON);

    @Test
    void addsInChunksOfAThousand() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            ids.add(String.format("01PROFILE%017d", i));
        }
        ids.add(ids.get(0));
        f.transport.respond(204, null).respond(204, null).respond(204, null);

        ListMembershipResult r = memberships.add("Y6nRLr", ids);

        assertTrue(r.isComplete());
        assertEquals(2500, r.added());
        assertEquals(3, f.transport.requests.size());
        assertEquals("/api/lists/Y6nRLr/relationships/profiles", f.transport.path(0));
        assertEquals(RateLimitBucket.LIST_WRITE, f.transport.request(0).bucket());
        JsonNode first = Fakes.JSON.readTree(f.transport.body(0));
        assertEquals(1000, first.path("data").size());
        assertEquals("{\"type\":\"profile\",\"id\":\"01PROFILE00000000000000000\"}", first.path("data").get(0).toString());
        assertEquals(500, Fakes.JSON.readTree(f.transport.body(2)).path("data").size());
    }

    @Test
    void refusedChunkIsReported() {
        f.transport.respond(404, Fakes.error(404, "not_found", "List not found"));

        ListMembershipResult r = memberships.add("Gone12", List.of("01A", "01B"));

        assertEquals(0, r.added());
        assertEquals(List.of("01A", "01B"), r.failedProfileIds());
        assertTrue(r.errors().get(0).contains("List not found"), r.errors().get(0));
    }
}
