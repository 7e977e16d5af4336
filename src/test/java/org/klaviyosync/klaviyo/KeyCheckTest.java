package org.klaviyosync.klaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyCheckTest {

    private final Fakes f = new Fakes();
    private final KeyCheck check = new KeyCheck(f.api);

    private static final String INVALID = Fakes.error(400, "invalid", "'scope-check' is not a valid type");
    private static final String FORBIDDEN = Fakes.error(403, "permission_denied",
            "You do not have permission to perform this action.");

    @Test
    void allScopesPresent() {
        f.transport.respond(200, "{\"data\":[]}").respond(200, "{\"data\":[]}").respond(400, INVALID).respond(400, INVALID);

        assertEquals(List.of(), check.problems());

        assertEquals("/api/lists?page%5Bsize%5D=1", f.transport.path(0));
        assertEquals("/api/profiles?page%5Bsize%5D=1", f.transport.path(1));
        assertEquals("/api/profile-import", f.transport.path(2));
        assertEquals("{\"data\":{\"type\":\"scope-check\"}}", f.transport.body(2));
        assertEquals("/api/lists", f.transport.path(3));
        assertEquals("POST", f.transport.request(3).method());
    }

    @Test
    void refusedKeyIsOneProblemAndStopsTheCheck() {
        f.transport.respond(401, Fakes.error(401, "not_authenticated", "Missing or invalid private key."));

        assertEquals(List.of("KLAVIYO_API_KEY was refused by Klaviyo (401 not_authenticated): check that it is a"
                + " private key (pk_...) of the right account"), check.problems());
        assertEquals(1, f.transport.requests.size());
    }

    @Test
    void missingScopesAreNamed() {
        f.transport.respond(200, "{\"data\":[]}").respond(403, FORBIDDEN).respond(400, INVALID).respond(403, FORBIDDEN);

        assertEquals(List.of(
                "KLAVIYO_API_KEY lacks the scope profiles:read (needed to follow bulk import jobs and read their errors)",
                "KLAVIYO_API_KEY lacks the scope lists:write (needed to create lists and add profiles to them)"),
                check.problems());
    }

    @Test
    void unexpectedAnswersAreReported() {
        f.transport.respond(200, "{\"data\":[]}").respond(200, "{\"data\":[]}").respond(415, "").respond(400, INVALID);

        List<String> problems = check.problems();

        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("profiles:write") && problems.get(0).contains("415"), problems.get(0));
    }
}
