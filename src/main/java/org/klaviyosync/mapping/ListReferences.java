package org.klaviyosync.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Reads the list column: the Klaviyo lists (names or ids) a row's profile is added to.
 *
 * <p>The value is a JSON array of strings, given as JSON text ({@code String}), a PostgreSQL
 * {@code json}/{@code jsonb} value, a {@code java.sql.Array} of text, a Java array or a
 * {@code Collection}. SQL NULL, JSON {@code null}, an empty array and empty (or blank) text mean no
 * lists from the column: such a row is upserted without joining a list. Malformed JSON,
 * anything but an array, and elements that are not strings or are blank are a problem naming the
 * column. Names are kept exactly as written (not trimmed); references keep their first position
 * and repeats are dropped. Thread-safe.
 */
public final class ListReferences {

    private final ColumnValueConverter converter;

    public ListReferences(ObjectMapper json) {
        this.converter = new ColumnValueConverter(json);
    }

    /**
     * The list references read from the list column.
     *
     * @param references the names or ids in order, without repeats; empty on a problem
     * @param problem    why the value is not a list of references; null when it is
     */
    public record Parsed(List<String> references, RowProblem problem) {

        public boolean ok() {
            return problem == null;
        }
    }

    /** Parses {@code value}, read from {@code column}. Never throws on bad data. */
    public Parsed parse(String column, Object value) {
        if (value == null) {
            return new Parsed(List.of(), null);
        }
        try {
            return fromElements(column, elements(column, value));
        } catch (ColumnValueConverter.Unsendable e) {
            return problem(column, "column '" + column + "' " + e.getMessage());
        } catch (RuntimeException e) {
            return problem(column, "column '" + column + "' could not be read as a list of Klaviyo lists: " + e);
        }
    }

    /** The sync's static lists first, then the column's, each reference once, in order. */
    public static List<String> combine(List<String> staticLists, List<String> columnLists) {
        if (columnLists.isEmpty() && staticLists.size() <= 1) {
            return List.copyOf(staticLists);
        }
        LinkedHashSet<String> all = new LinkedHashSet<>(staticLists);
        all.addAll(columnLists);
        return List.copyOf(all);
    }

    private Iterable<?> elements(String column, Object value) throws ColumnValueConverter.Unsendable {
        if (value instanceof String text) {
            return text.isBlank() ? List.of() : json(column, converter.parseJson(column, text));
        }
        String[] pg = ColumnValueConverter.pgObject(value);
        if (pg != null) {
            if (pg[1] == null) {
                return List.of();
            }
            if (!"json".equals(pg[0]) && !"jsonb".equals(pg[0])) {
                throw new ColumnValueConverter.Unsendable(
                        "has type " + pg[0] + "; expected a JSON array of list names or ids");
            }
            return json(column, converter.parseJson(column, pg[1]));
        }
        if (value instanceof JsonNode node) {
            return json(column, converter.toJson(column, node));
        }
        if (value instanceof java.sql.Array sqlArray) {
            Object array;
            try {
                array = sqlArray.getArray();
            } catch (SQLException e) {
                throw new ColumnValueConverter.Unsendable("could not be read as an array: " + e.getMessage());
            }
            return array == null ? List.of() : javaArray(array);
        }
        if (value instanceof Collection<?> collection) {
            return collection;
        }
        if (value instanceof Object[]) {
            return javaArray(value);
        }
        throw new ColumnValueConverter.Unsendable("has type " + value.getClass().getName()
                + "; expected a JSON array of list names or ids");
    }

    private static List<Object> javaArray(Object array) throws ColumnValueConverter.Unsendable {
        if (!(array instanceof Object[] objects)) {
            throw new ColumnValueConverter.Unsendable("is an array of " + array.getClass().getComponentType()
                    + "; expected an array of list names or ids");
        }
        return java.util.Arrays.asList(objects);
    }

    private static Iterable<?> json(String column, ConvertedValue converted) throws ColumnValueConverter.Unsendable {
        if (!converted.ok()) {
            // the converter's reason already starts with "column 'x' "
            String reason = converted.problem().reason();
            String prefix = "column '" + column + "' ";
            throw new ColumnValueConverter.Unsendable(reason.startsWith(prefix) ? reason.substring(prefix.length()) : reason);
        }
        JsonNode node = converted.value();
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ColumnValueConverter.Unsendable("holds JSON " + node.getNodeType().name().toLowerCase(Locale.ROOT)
                    + ", not an array of list names or ids");
        }
        List<Object> values = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            values.add(element.isTextual() ? element.textValue() : element);
        }
        return values;
    }

    private static Parsed fromElements(String column, Iterable<?> elements) {
        LinkedHashSet<String> references = new LinkedHashSet<>();
        int index = 0;
        for (Object element : elements) {
            if (!(element instanceof String reference)) {
                String what = element == null || (element instanceof JsonNode n && n.isNull())
                        ? "null" : element instanceof JsonNode n ? "JSON " + n.getNodeType().name().toLowerCase(Locale.ROOT)
                        : element.getClass().getSimpleName();
                return problem(column, "column '" + column + "' element " + index + " is " + what
                        + ", not a list name or id");
            }
            if (reference.isBlank()) {
                return problem(column, "column '" + column + "' element " + index
                        + " is an empty list name or id");
            }
            references.add(reference);
            index++;
        }
        return new Parsed(List.copyOf(references), null);
    }

    private static Parsed problem(String column, String reason) {
        return new Parsed(List.of(), new RowProblem(column, reason));
    }
}
