package org.klaviyosync.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Method;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.camel.component.sql.RowMapperFactory;
import org.springframework.jdbc.core.ColumnMapRowMapper;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.JdbcUtils;

/**
 * Reads a model row as Spring's {@link ColumnMapRowMapper} does (column label to value, in column
 * order; of columns whose labels differ only in case the first is kept), then
 * turns the few engine-specific values into the plain Java values the mapping package already
 * knows, so that every engine gives the same JSON as PostgreSQL:
 *
 * <ul>
 *   <li>a column the driver reports as type {@code JSON} that arrives as text (MariaDB 10.5.2+ and
 *       MySQL through their drivers) becomes a parsed Jackson {@link JsonNode}, like PostgreSQL's
 *       {@code json}/{@code jsonb}; text that does not parse stays text;</li>
 *   <li>DuckDB's {@code org.duckdb.JsonNode} (its JSON type) becomes a parsed {@link JsonNode};</li>
 *   <li>a {@link java.sql.Struct} that can give its fields by name ({@code getMap()}, as DuckDB's
 *       {@code STRUCT} does) becomes a {@link Map}; a {@link java.sql.Array} becomes a
 *       {@link List}; both recursively, so a list of structs becomes a list of objects.</li>
 * </ul>
 *
 * Everything else is left to {@code mapping.ColumnValueConverter}. The labels and types of a
 * result's columns are read once per result, not once per row; the row is a plain
 * {@link LinkedHashMap} (a consumer looking a column up without regard to case compares the
 * labels itself). The helper columns of {@link DuplicateIdentifierQuery} keep their names
 * whatever case the engine reports them in. A row that {@link UnchangedRowsQuery} found unchanged
 * in the warehouse, or for a bucket of them, is read no further and given as {@link UnchangedRows}.
 * Also a camel-sql {@link RowMapperFactory}, referenced by
 * the sync route's model query. Thread-safe.
 */
public final class ModelRowMapper implements RowMapper<Map<String, Object>>, RowMapperFactory {

    private static final String DUCKDB_JSON = "org.duckdb.JsonNode";
    private static final int MAX_DEPTH = 100;

    private static final ClassValue<Method> STRUCT_MAP = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                Method m = type.getMethod("getMap");
                return Map.class.isAssignableFrom(m.getReturnType()) ? m : null;
            } catch (NoSuchMethodException e) {
                return null;
            }
        }
    };

    /**
     * What a row standing for rows found unchanged in the warehouse becomes: how many they are, and
     * no column (an empty map, so it passes where rows do).
     */
    public static final class UnchangedRows extends java.util.AbstractMap<String, Object> {

        private static final UnchangedRows ONE = new UnchangedRows(1);
        private final long count;

        private UnchangedRows(long count) {
            this.count = count;
        }

        public long count() {
            return count;
        }

        @Override
        public Set<Map.Entry<String, Object>> entrySet() {
            return java.util.Collections.emptySet();
        }
    }

    private final ObjectMapper json;
    /** The columns of the result read last (a run reads one result on one thread). */
    private volatile Columns last;

    /** A result's column labels (null: a later duplicate, left out) and which are of type JSON. */
    private record Columns(ResultSet rs, String[] labels, boolean[] json, int unchanged, int unchangedRows) {

        static Columns of(ResultSet rs) throws SQLException {
            ResultSetMetaData meta = rs.getMetaData();
            int n = meta.getColumnCount();
            String[] labels = new String[n];
            boolean[] json = new boolean[n];
            Set<String> seen = new HashSet<>();
            int unchanged = 0;
            int unchangedRows = 0;
            for (int i = 0; i < n; i++) {
                String label = JdbcUtils.lookupColumnName(meta, i + 1);
                if (label.equalsIgnoreCase(UnchangedRowsQuery.UNCHANGED)) {
                    unchanged = i + 1;
                } else if (label.equalsIgnoreCase(UnchangedRowsQuery.UNCHANGED_ROWS)) {
                    unchangedRows = i + 1;
                }
                if (label.regionMatches(true, 0, DuplicateIdentifierQuery.HELPER_PREFIX, 0,
                        DuplicateIdentifierQuery.HELPER_PREFIX.length())) {
                    label = label.toLowerCase(Locale.ROOT);
                }
                if (seen.add(label.toLowerCase(Locale.ROOT))) {
                    labels[i] = label;
                }
                String type = meta.getColumnTypeName(i + 1);
                json[i] = type != null && type.toLowerCase(Locale.ROOT).equals("json");
            }
            return new Columns(rs, labels, json, unchanged, unchangedRows);
        }
    }

    public ModelRowMapper(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public Map<String, Object> mapRow(ResultSet rs, int rowNumber) throws SQLException {
        Columns columns = last;
        if (columns == null || columns.rs() != rs) {
            columns = Columns.of(rs);
            last = columns;
        }
        if (columns.unchangedRows() > 0) {
            long rows = rs.getLong(columns.unchangedRows());
            if (!rs.wasNull()) {
                return new UnchangedRows(rows);
            }
        }
        if (columns.unchanged() > 0 && rs.getBoolean(columns.unchanged())) {
            return UnchangedRows.ONE;
        }
        String[] labels = columns.labels();
        Map<String, Object> row = new LinkedHashMap<>(labels.length * 2);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] != null) {
                row.put(labels[i], columnValue(rs, i + 1, columns.json()[i]));
            }
        }
        return row;
    }

    private Object columnValue(ResultSet rs, int index, boolean jsonType) throws SQLException {
        Object value = JdbcUtils.getResultSetValue(rs, index);
        if (value instanceof String text) {
            return jsonType ? parsedOr(text, text) : text;
        }
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof java.util.Date) {
            return value;
        }
        return plain(value, 0);
    }

    /** The plain Java form of a driver-specific value (see the class comment); other values as they are. */
    Object plain(Object value, int depth) throws SQLException {
        if (value == null || depth > MAX_DEPTH) {
            return value;
        }
        if (value.getClass().getName().equals(DUCKDB_JSON)) {
            String text = value.toString();
            return parsedOr(text, text);
        }
        if (value instanceof java.sql.Struct struct) {
            Method getMap = STRUCT_MAP.get(struct.getClass());
            if (getMap == null) {
                return value;
            }
            Map<?, ?> fields;
            try {
                fields = (Map<?, ?>) getMap.invoke(struct);
            } catch (ReflectiveOperationException e) {
                throw new SQLException("could not read the fields of a " + struct.getSQLTypeName() + " value", e);
            }
            return plainMap(fields, depth);
        }
        if (value instanceof java.sql.Array array) {
            Object elements = array.getArray();
            String base = array.getBaseTypeName();
            boolean jsonElements = base != null && base.toLowerCase(Locale.ROOT).matches("_?jsonb?");
            return elements instanceof Object[] objects ? arrayList(objects, jsonElements, depth) : elements;
        }
        if (value instanceof Map<?, ?> map) {
            return plainMap(map, depth);
        }
        if (value instanceof Collection<?> collection && !(value instanceof JsonNode)) {
            List<Object> list = new ArrayList<>(collection.size());
            for (Object element : collection) {
                list.add(plain(element, depth + 1));
            }
            return list;
        }
        return value;
    }

    /** Elements of a SQL array, nested arrays included; json/jsonb elements are parsed. */
    private List<Object> arrayList(Object[] objects, boolean jsonElements, int depth) throws SQLException {
        List<Object> list = new ArrayList<>(objects.length);
        for (Object element : objects) {
            if (element instanceof Object[] nested) {
                list.add(arrayList(nested, jsonElements, depth + 1));
            } else if (jsonElements && element != null) {
                String text = element.toString();
                list.add(parsedOr(text, text));
            } else {
                list.add(plain(element, depth + 1));
            }
        }
        return list;
    }

    private Map<String, Object> plainMap(Map<?, ?> fields, int depth) throws SQLException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : fields.entrySet()) {
            out.put(String.valueOf(e.getKey()), plain(e.getValue(), depth + 1));
        }
        return out;
    }

    private Object parsedOr(String text, Object fallback) {
        try {
            JsonNode node = json.readTree(text);
            return node == null || node.isMissingNode() ? fallback : node;
        } catch (java.io.IOException e) {
            return fallback;
        }
    }

    @Override
    public RowMapper<?> newColumnRowMapper() {
        return this;
    }

    @Override
    public RowMapper<?> newBeanRowMapper(Class<?> type) {
        throw new UnsupportedOperationException("models are read as rows of columns, not as beans");
    }
}
