package org.klaviyosync.klaviyo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ListDirectoryTest {

    private final Fakes f = new Fakes();
    private final ListCreationBudget budget = new ListCreationBudget(ListCreationBudget.KLAVIYO_DAILY_CAP, f.clock);
    private final ListDirectory lists = new ListDirectory(f.api, Fakes.JSON, budget);

    private static String page(String next, String... idAndNames) {
        StringBuilder sb = new StringBuilder("{\"data\":[");
        for (int i = 0; i < idAndNames.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"type\":\"list\",\"id\":\"").append(idAndNames[i]).append("\",\"attributes\":{\"name\":")
                    .append(quote(idAndNames[i + 1])).append("}}");
        }
        sb.append("],\"links\":{\"self\":\"x\"");
        if (next != null) {
            sb.append(",\"next\":\"").append(next).append('"');
        }
        return sb.append("}}").toString();
    }

    private static String quote(String s) {
        return Fakes.JSON.getNodeFactory().textNode(s).toString();
    }

    @Test
    void resolvesANameWithQuotesAndBackslashAcrossThreePages() {
        String name = "VIP \"gold\" a\\b";
        f.transport
                .respond(200, page("https://a.klaviyo.com/api/lists?filter=x&page%5Bcursor%5D=c2", "AAAAAA", "VIP \"gold\" a\\b2"))
                .respond(200, page("https://a.klaviyo.com/api/lists?filter=x&page%5Bcursor%5D=c3", "BBBBBB", "other"))
                .respond(200, page(null, "Xy12Ab", name));

        ListResolution r = lists.resolve(name, false);

        assertTrue(r.isResolved(), r.rejection());
        assertEquals("Xy12Ab", r.listId());
        assertFalse(r.created());
        assertEquals("/api/lists?filter=equals%28name%2C%22VIP%20%5C%22gold%5C%22%20a%5C%5Cb%22%29&page%5Bsize%5D=10",
                f.transport.path(0));
        assertEquals("/api/lists?filter=x&page%5Bcursor%5D=c2", f.transport.path(1));
        assertEquals("/api/lists?filter=x&page%5Bcursor%5D=c3", f.transport.path(2));
        assertEquals(RateLimitBucket.LIST_READ, f.transport.request(0).bucket());

        assertEquals(r, lists.resolve(name, false), "cached");
        assertEquals(3, f.transport.requests.size());
    }

    @Test
    void sixCharacterReferenceIsTriedAsAnId() {
        f.transport.respond(200, "{\"data\":{\"type\":\"list\",\"id\":\"Y6nRLr\",\"attributes\":{\"name\":\"N\"}}}");

        ListResolution r = lists.resolve("Y6nRLr", false);

        assertEquals("Y6nRLr", r.listId());
        assertEquals("/api/lists/Y6nRLr", f.transport.path(0));
    }

    @Test
    void sixCharacterReferenceThatIsNoIdIsAName() {
        f.transport.respond(404, Fakes.error(404, "not_found", "no list")).respond(200, page(null, "QQQQQQ", "Promo1"));

        assertEquals("QQQQQQ", lists.resolve("Promo1", false).listId());
        assertTrue(f.transport.path(1).startsWith("/api/lists?filter=equals%28name%2C%22Promo1%22%29"));
    }

    @Test
    void anUnknownReferenceShapedLikeAnIdIsRejectedNeverCreated() {
        f.transport.respond(404, Fakes.error(404, "not_found", "no list")).respond(200, page(null));

        ListResolution r = lists.resolve("XyZ7k2", true);

        assertFalse(r.isResolved());
        assertTrue(r.rejection().startsWith("no list with id or name 'XyZ7k2'"), r.rejection());
        assertEquals(2, f.transport.requests.size(), "looked up as an id and as a name, no creation");
        assertEquals("GET", f.transport.request(1).method());
        assertEquals(0, budget.used());
    }

    @Test
    void plainNamesAreCreatedWhenMissingEvenWithSixLetters() {
        for (String name : new String[] {"Summer", "VIP", "SUMMER", "summer"}) {
            Fakes g = new Fakes();
            ListDirectory directory = new ListDirectory(g.api, Fakes.JSON,
                    new ListCreationBudget(ListCreationBudget.KLAVIYO_DAILY_CAP, g.clock));
            if (name.length() == 6) {
                g.transport.respond(404, Fakes.error(404, "not_found", "no list"));
            }
            g.transport.respond(200, page(null)).respond(201, "{\"data\":{\"type\":\"list\",\"id\":\"NewL1d\"}}");

            ListResolution r = directory.resolve(name, true);

            assertTrue(r.created(), name + ": " + r.rejection());
            assertEquals("NewL1d", r.listId());
        }
    }

    @Test
    void theShapeOfAListIdIsNarrow() {
        for (String id : new String[] {"RYkk48", "Y6nRLr", "VRgFBd", "Xmpet6", "XyZ7k2"}) {
            assertTrue(ListDirectory.looksLikeListId(id), id);
        }
        for (String name : new String[] {"Summer", "VIP", "SUMMER", "summer", "Promos", "ABC123", "abc123", "Xmpet",
                "Xmpet67", "Xm-et6", "Émpet6", "Xmpét6"}) {
            assertFalse(ListDirectory.looksLikeListId(name), name);
        }
    }

    @Test
    void severalListsWithTheNameAreAmbiguous() {
        f.transport.respond(200, page(null, "AAAAAA", "News", "BBBBBB", "News", "CCCCCC", "news"));

        ListResolution r = lists.resolve("News", true);

        assertFalse(r.isResolved());
        assertEquals("list name 'News' is ambiguous: 2 lists have this name (ids AAAAAA, BBBBBB); use a list id",
                r.rejection());
    }

    @Test
    void missingListIsRejectedWhenCreationIsOff() {
        f.transport.respond(200, page(null));

        ListResolution r = lists.resolve("Newsletter", false);

        assertEquals("list 'Newsletter' does not exist in Klaviyo and createLists is false", r.rejection());
        assertNull(r.listId());
    }

    @Test
    void missingListIsCreated() throws Exception {
        f.transport.respond(200, page(null)).respond(201, "{\"data\":{\"type\":\"list\",\"id\":\"NewL1d\"}}");

        ListResolution r = lists.resolve("Newsletter", true);

        assertEquals("NewL1d", r.listId());
        assertTrue(r.created());
        assertEquals("POST", f.transport.request(1).method());
        assertEquals("/api/lists", f.transport.path(1));
        assertEquals(RateLimitBucket.LIST_WRITE, f.transport.request(1).bucket());
        JsonNode body = Fakes.JSON.readTree(f.transport.body(1));
        assertEquals("{\"data\":{\"type\":\"list\",\"attributes\":{\"name\":\"Newsletter\"}}}", body.toString());
        assertEquals(1, budget.used());
    }

    @Test
    void dailyCapStopsCreation() {
        ListCreationBudget spent = new ListCreationBudget(ListCreationBudget.KLAVIYO_DAILY_CAP, f.clock);
        for (int i = 0; i < 150; i++) {
            assertTrue(spent.tryAcquire());
        }
        ListDirectory directory = new ListDirectory(f.api, Fakes.JSON, spent);
        f.transport.respond(200, page(null));

        ListResolution r = directory.resolve("Newsletter", true);

        assertEquals("Klaviyo's daily cap of 150 list creations is reached; list 'Newsletter' was not created",
                r.rejection());
        assertEquals(1, f.transport.requests.size(), "no POST");

        f.clock.advance(Duration.ofHours(24).plusSeconds(1));
        assertTrue(spent.tryAcquire(), "the window slides");
    }

    @Test
    void lostCreationAnswerLooksTheNameUpBeforeCreatingAgain() {
        f.transport.respond(200, page(null))
                .fail(new IOException("connection reset"))
                .respond(200, page(null, "MadeIt", "Newsletter"));

        ListResolution r = lists.resolve("Newsletter", true);

        assertEquals("MadeIt", r.listId());
        assertEquals(3, f.transport.requests.size());
        assertEquals("GET", f.transport.request(2).method());
    }

    @Test
    void lostCreationThatDidNotHappenIsRetried() {
        f.transport.respond(200, page(null))
                .respond(503, "")
                .respond(200, page(null))
                .respond(201, "{\"data\":{\"type\":\"list\",\"id\":\"Second\"}}");

        ListResolution r = lists.resolve("Newsletter", true);

        assertEquals("Second", r.listId());
        assertEquals(2, budget.used());
    }

    @Test
    void authProblemsPropagate() {
        f.transport.respond(401, Fakes.error(401, "not_authenticated", "bad key"));
        assertThrows(KlaviyoAuthException.class, () -> lists.resolve("Newsletter", true));
    }
}
