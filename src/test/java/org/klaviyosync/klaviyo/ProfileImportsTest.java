package org.klaviyosync.klaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ProfileImportsTest {

    private final Fakes f = new Fakes();
    private final ProfileImports imports = new ProfileImports(f.api, Fakes.JSON);

    private static ObjectNode profile() {
        ObjectNode p = Fakes.JSON.createObjectNode();
        p.put("type", "profile");
        p.putObject("attributes").put("email", "a@example.com").putNull("first_name");
        return p;
    }

    @Test
    void createdAndUpdated() {
        f.transport.respond(201, "{\"data\":{\"type\":\"profile\",\"id\":\"01NEW\"}}")
                .respond(200, "{\"data\":{\"type\":\"profile\",\"id\":\"01OLD\"}}");

        ProfileUpsert created = imports.upsert(profile());
        ProfileUpsert updated = imports.upsert(profile());

        assertEquals(ProfileUpsert.Outcome.CREATED, created.outcome());
        assertEquals("01NEW", created.profileId());
        assertEquals(ProfileUpsert.Outcome.UPDATED, updated.outcome());
        assertEquals("/api/profile-import", f.transport.path(0));
        assertEquals(RateLimitBucket.PROFILE_IMPORT, f.transport.request(0).bucket());
        assertEquals("{\"data\":{\"type\":\"profile\",\"attributes\":{\"email\":\"a@example.com\",\"first_name\":null}}}",
                f.transport.body(0));
    }

    @Test
    void duplicateProfileIsRejected() {
        f.transport.respond(409, "{\"errors\":[{\"id\":\"x\",\"status\":409,\"code\":\"duplicate_profile\",\"title\":\"Conflict.\","
                + "\"detail\":\"A profile already exists with one of these identifiers.\",\"source\":{\"pointer\":\"/data/attributes\"},"
                + "\"links\":{},\"meta\":{\"duplicate_profile_id\":\"01DUP\"}}]}");

        ProfileUpsert r = imports.upsert(profile());

        assertTrue(r.isRejected());
        assertEquals("duplicate_profile", r.code());
        assertEquals("A profile already exists with one of these identifiers.", r.detail());
        assertEquals("01DUP", r.duplicateProfileId());
        assertEquals(409, r.status());
    }

    @Test
    void invalidProfileIsRejected() {
        f.transport.respond(400, Fakes.error(400, "invalid", "Invalid phone number format"));

        ProfileUpsert r = imports.upsert(profile());

        assertEquals("invalid", r.code());
        assertEquals("Invalid phone number format", r.detail());
    }
}
