package org.klaviyosync.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.klaviyosync.mapping.Fixtures.JSON;
import static org.klaviyosync.mapping.Fixtures.pg;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListReferencesTest {

    private final ListReferences lists = new ListReferences(JSON);

    private List<String> ok(Object value) {
        ListReferences.Parsed parsed = lists.parse("lists", value);
        assertTrue(parsed.ok(), () -> "unexpected problem: " + parsed.problem());
        return parsed.references();
    }

    private String problem(Object value) {
        ListReferences.Parsed parsed = lists.parse("lists", value);
        assertFalse(parsed.ok(), "expected a problem for " + value);
        assertEquals("lists", parsed.problem().field());
        assertTrue(parsed.references().isEmpty());
        assertTrue(parsed.problem().reason().startsWith("column 'lists' "), parsed.problem().reason());
        return parsed.problem().reason();
    }

    @Test
    void readsEveryForm() {
        assertEquals(List.of("List A", "List B"), ok("[\"List A\", \"List B\"]"));
        assertEquals(List.of("RYkk48", "Xmpet6"), ok(pg("jsonb", "[\"RYkk48\",\"Xmpet6\"]")));
        assertEquals(List.of("RYkk48"), ok(pg("json", "[\"RYkk48\"]")));
        assertEquals(List.of("a", "b"), ok(Fixtures.sqlArray(new String[] {"a", "b"})));
        assertEquals(List.of("a", "b"), ok(List.of("a", "b")));
        assertEquals(List.of("a"), ok(new String[] {"a"}));
        assertEquals(List.of(), ok("[]"));
    }

    @Test
    void nullMeansNoListsFromTheColumn() {
        assertEquals(List.of(), ok(null));
        assertEquals(List.of(), ok(pg("jsonb", null)));
        assertEquals(List.of(), ok("null"));
    }

    @Test
    void keepsOrderAndDropsRepeats() {
        assertEquals(List.of("b", "a", "c"), ok("[\"b\",\"a\",\"b\",\"c\",\"a\"]"));
    }

    @Test
    void emptyTextAndEmptyArraysMeanNoLists() {
        assertEquals(List.of(), ok(""));
        assertEquals(List.of(), ok("  "));
        assertEquals(List.of(), ok("[]"));
        assertEquals(List.of(), ok(null));
    }

    @Test
    void refusesWhatIsNotAnArrayOfNames() {
        assertTrue(problem("[\"a\",").contains("invalid JSON"));
        assertTrue(problem("List A").contains("invalid JSON"));
        assertTrue(problem("{\"a\":1}").contains("not an array"));
        assertTrue(problem("\"List A\"").contains("not an array"));
        assertTrue(problem("[\"a\", 1]").contains("element 1"));
        assertTrue(problem("[\"a\", null]").contains("null"));
        assertTrue(problem("[[\"a\"]]").contains("element 0"));
        assertTrue(problem("[\"a\", \"\"]").contains("empty"));
        assertTrue(problem("[\"  \"]").contains("empty"));
        assertTrue(problem(Arrays.asList("a", null)).contains("null"));
        assertTrue(problem(Fixtures.sqlArray(new Integer[] {1})).contains("element 0"));
        assertTrue(problem(pg("text", "a")).contains("has type text"));
        assertTrue(problem(42).contains("java.lang.Integer"));
    }

    @Test
    void staticListsComeFirst() {
        assertEquals(List.of("Census Uploads", "VIP", "Newsletter"),
                ListReferences.combine(List.of("Census Uploads", "VIP"), List.of("Newsletter", "VIP", "Census Uploads")));
        assertEquals(List.of("a"), ListReferences.combine(List.of("a", "a"), List.of()));
        assertEquals(List.of("x"), ListReferences.combine(List.of(), List.of("x")));
    }
}
