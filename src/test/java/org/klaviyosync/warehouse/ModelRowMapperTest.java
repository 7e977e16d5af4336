package org.klaviyosync.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.klaviyosync.mapping.ColumnValueConverter;

/** DuckDB's own types, read through the mapper and converted, give the JSON PostgreSQL's would. */
class ModelRowMapperTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void duckDbStructsListsMapsJsonAndHugeIntegersBecomePlainJson() throws Exception {
        Map<String, Object> row;
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select {'b': 1, 'a': 'x'} as st, [{'k': 1}, {'k': 2}] as list_of_structs,"
                     + " map {'m': 2} as mp, '{\"z\": [1, 2]}'::json as j, 12345678901234567890::hugeint as h,"
                     + " ['x', 'y'] as names, timestamptz '2024-02-03 04:05:06+02' as tz")) {
            rs.next();
            row = new ModelRowMapper(json).mapRow(rs, 1);
        }
        ColumnValueConverter converter = new ColumnValueConverter(json);
        assertEquals("{\"a\":\"x\",\"b\":1}", converter.toJson("st", row.get("st")).value().toString());
        assertEquals("[{\"k\":1},{\"k\":2}]", converter.toJson("list_of_structs", row.get("list_of_structs")).value().toString());
        assertEquals("{\"m\":2}", converter.toJson("mp", row.get("mp")).value().toString());
        assertEquals("{\"z\":[1,2]}", converter.toJson("j", row.get("j")).value().toString());
        assertEquals(new BigInteger("12345678901234567890"), row.get("h"));
        assertEquals("\"12345678901234567890\"", converter.toJson("h", row.get("h")).value().toString());
        assertEquals("[\"x\",\"y\"]", converter.toJson("names", row.get("names")).value().toString());
        assertEquals("\"2024-02-03T02:05:06Z\"", converter.toJson("tz", row.get("tz")).value().toString());
    }

    @Test
    void columnsAreReadPerResultFirstOfACaseInsensitiveDuplicateWins() throws Exception {
        ModelRowMapper mapper = new ModelRowMapper(json);
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select 1 as id, 2 as \"ID\", 3 as \"KLAVIYO_SYNC_IDENTIFIER_ROWS\""
                    + " union all select 4, 5, 6 order by 1")) {
                rs.next();
                assertEquals(Map.of("id", 1, DuplicateIdentifierQuery.COLUMN, 3L), longs(mapper.mapRow(rs, 1)));
                rs.next();
                assertEquals(Map.of("id", 4, DuplicateIdentifierQuery.COLUMN, 6L), longs(mapper.mapRow(rs, 2)));
            }
            try (ResultSet rs = s.executeQuery("select 'x' as name, 7 as id")) {
                rs.next();
                Map<String, Object> row = mapper.mapRow(rs, 1);
                assertEquals(java.util.List.of("name", "id"), java.util.List.copyOf(row.keySet()));
                assertEquals("x", row.get("name"));
            }
        }
    }

    /** The row with the duplicate count as a long, whatever integer type the engine gave. */
    private static Map<String, Object> longs(Map<String, Object> row) {
        Map<String, Object> out = new java.util.HashMap<>(row);
        out.computeIfPresent(DuplicateIdentifierQuery.COLUMN, (k, v) -> ((Number) v).longValue());
        return out;
    }
}
