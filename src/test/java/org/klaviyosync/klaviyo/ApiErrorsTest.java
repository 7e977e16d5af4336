package org.klaviyosync.klaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiErrorsTest {

    private static List<ApiError> parse(String body) {
        return ApiErrors.parse(body.getBytes(StandardCharsets.UTF_8), Fakes.JSON);
    }

    @Test
    void readsJsonApiErrorsWithLenientStatus() {
        List<ApiError> errors = parse("{\"errors\":["
                + "{\"id\":\"1\",\"status\":400,\"code\":\"invalid\",\"title\":\"Invalid input.\",\"detail\":\"bad include\","
                + "\"source\":{\"parameter\":\"include\"},\"meta\":{}},"
                + "{\"id\":\"2\",\"status\":\"409\",\"code\":\"duplicate_profile\",\"title\":\"Conflict.\",\"detail\":\"dup\","
                + "\"source\":{\"pointer\":\"/data/attributes\"},\"meta\":{\"duplicate_profile_id\":\"01H\"}},"
                + "{\"code\":\"x\",\"title\":\"no status\"}]}");

        assertEquals(3, errors.size());
        assertEquals(400, errors.get(0).status());
        assertEquals("include", errors.get(0).parameter());
        assertEquals(409, errors.get(1).status());
        assertEquals("/data/attributes", errors.get(1).pointer());
        assertEquals("01H", errors.get(1).meta().get("duplicate_profile_id"));
        assertEquals(0, errors.get(2).status());
        assertNull(errors.get(2).detail());
        assertEquals("no status", errors.get(2).message());
    }

    @Test
    void nonJsonBodyBecomesOneTruncatedError() {
        String html = "<html>" + "x".repeat(2000) + "</html>";

        List<ApiError> errors = parse(html);

        assertEquals(1, errors.size());
        assertTrue(errors.get(0).detail().startsWith("<html>xxx"));
        assertEquals(ApiErrors.MAX_RAW_TEXT + 3, errors.get(0).detail().length());
    }

    @Test
    void emptyBodyHasNoErrors() {
        assertEquals(List.of(), ApiErrors.parse(new byte[0], Fakes.JSON));
        assertEquals(List.of(), ApiErrors.parse(null, Fakes.JSON));
    }

    @Test
    void summaryHidesKeys() {
        String s = ApiErrors.summarize(400, parse("{\"errors\":[{\"code\":\"invalid\",\"detail\":\"key pk_live123 bad\"}]}"));
        assertEquals("HTTP 400 invalid: key pk_*** bad", s);
    }
}
