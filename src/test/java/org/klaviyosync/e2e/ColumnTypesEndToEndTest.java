package org.klaviyosync.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.klaviyosync.standin.StandInProfile;

/**
 * Every PostgreSQL type a model can return, through the whole pipeline (camel-sql, the mapper,
 * bulk import over HTTP) to the stand-in: each column's JSON form as Klaviyo stores it, and the
 * types that cannot be sent making their row invalid with the column named. The table of forms is
 * docs/data-types.md.
 */
class ColumnTypesEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** column -> SQL expression -> expected JSON form. */
    private static final String[][] SENDABLE = {
        {"c_smallint", "7::smallint", "7"},
        {"c_integer", "-42::integer", "-42"},
        {"c_bigint", "9007199254740992::bigint", "9007199254740992"},
        {"c_bigint_beyond", "9007199254740993::bigint", "\"9007199254740993\""},
        {"c_numeric", "12.50::numeric", "12.50"},
        {"c_numeric_integral", "1000::numeric(10,0)", "1000"},
        {"c_numeric_huge", "123456789012345678901234567890::numeric", "\"123456789012345678901234567890\""},
        {"c_real", "1.5::real", "1.5"},
        {"c_double", "2.25::double precision", "2.25"},
        {"c_money", "12.34::money", "12.34"},
        {"c_boolean", "true", "true"},
        {"c_text", "'caf\u00e9 \u2603 \"q\" \\\\'::text", "\"caf\u00e9 \u2603 \\\"q\\\" \\\\\\\\\""},
        {"c_varchar", "'v'::varchar(10)", "\"v\""},
        {"c_char", "'ab'::char(4)", "\"ab  \""},
        {"c_date", "date '2024-05-01'", "\"2024-05-01\""},
        {"c_time", "time '12:30:01'", "\"12:30:01\""},
        {"c_timetz", "timetz '12:30:00+02'", "\"10:30:00\""},
        {"c_timestamp", "timestamp '2024-05-01 12:30:00.25'", "\"2024-05-01T12:30:00.250Z\""},
        {"c_timestamptz", "timestamptz '2024-05-01 12:30:00+02'", "\"2024-05-01T10:30:00Z\""},
        {"c_interval", "interval '1 year 2 months 3 days 04:05:06.5'", "\"P1Y2M3DT4H5M6.5S\""},
        {"c_interval_zero", "interval '0'", "\"PT0S\""},
        {"c_json", "'{\"b\":1,\"a\":[1,null,\"x\"]}'::json", "{\"a\":[1,null,\"x\"],\"b\":1}"},
        {"c_jsonb", "'{\"n\":{\"big\":12345678901234567890}}'::jsonb", "{\"n\":{\"big\":\"12345678901234567890\"}}"},
        {"c_jsonb_array", "'[1,\"two\"]'::jsonb", "[1,\"two\"]"},
        {"c_int_array", "array[1,null,3]", "[1,null,3]"},
        {"c_int_array_2d", "array[[1,2],[3,4]]", "[[1,2],[3,4]]"},
        {"c_text_array", "array['x',null,'\u00fc']", "[\"x\",null,\"\u00fc\"]"},
        {"c_bool_array", "array[true,false]", "[true,false]"},
        {"c_numeric_array", "array[1.5::numeric, 2]", "[1.5,2]"},
        {"c_date_array", "array[date '2024-01-01']", "[\"2024-01-01\"]"},
        {"c_timestamptz_array", "array[timestamptz '2024-01-01 00:00+02']", "[\"2023-12-31T22:00:00Z\"]"},
        {"c_jsonb_elements", "array['{\"a\":1}'::jsonb, '[2]'::jsonb]", "[{\"a\":1},[2]]"},
        {"c_empty_array", "'{}'::int[]", "[]"},
        {"c_uuid", "'8c4f1a1e-5d3a-4c1b-9f5e-2a7b6c8d9e0f'::uuid", "\"8c4f1a1e-5d3a-4c1b-9f5e-2a7b6c8d9e0f\""},
        {"c_inet", "'10.0.0.1'::inet", "\"10.0.0.1\""},
        {"c_cidr", "'10.0.0.0/8'::cidr", "\"10.0.0.0/8\""},
        {"c_macaddr", "'08:00:2b:01:02:03'::macaddr", "\"08:00:2b:01:02:03\""},
        {"c_enum", "'happy'::mood", "\"happy\""},
        {"c_range", "int4range(1,10)", "\"[1,10)\""},
        {"c_composite", "row(1,'x')::pair", "\"(1,x)\""},
        {"c_xml", "'<a>x</a>'::xml", "\"<a>x</a>\""},
        {"c_bit1", "B'1'::bit(1)", "true"},
        {"c_bit", "B'101'::bit(3)", "\"101\""},
        {"c_varbit", "B'10'::varbit", "\"10\""},
        {"c_tsvector", "to_tsvector('simple','hello world')", "\"'hello':1 'world':2\""},
        {"c_point", "point(1,2)", "\"(1.0,2.0)\""},
        {"c_hstore", "'b=>2, a=>1'::hstore", "{\"a\":\"1\",\"b\":\"2\"}"},
    };

    /** column -> SQL expression of a value that cannot be sent. */
    private static final String[][] UNSENDABLE = {
        {"c_bytea", "'\\x0102'::bytea", "bytea"},
        {"c_numeric_nan", "'NaN'::numeric", "NaN"},
        {"c_numeric_infinity", "'Infinity'::numeric", "Infinity"},
        {"c_double_infinity", "'-Infinity'::double precision", "-Infinity"},
        {"c_real_nan", "'NaN'::real", "NaN"},
    };

    @RegisterExtension
    static final SyncTestEnvironment e2e = SyncTestEnvironment.freshWarehouse();

    @BeforeAll
    static void start() throws Exception {
        e2e.warehouse().execute("create extension if not exists hstore",
                "create type mood as enum ('happy', 'sad')",
                "create type pair as (a int, b text)");
    }

    @Test
    void everyTypeReachesKlaviyoInItsDocumentedFormOrMakesItsRowInvalid() throws Exception {
        StringBuilder model = new StringBuilder("select 'all-types' as id");
        for (String[] c : SENDABLE) {
            model.append(", ").append(c[1]).append(" as ").append(c[0]);
        }
        for (String[] bad : UNSENDABLE) {
            model.append("\nunion all select 'bad-").append(bad[0]).append("'");
            for (String[] c : SENDABLE) {
                model.append(", null");
            }
        }
        // the unsendable columns: null in the good row, a bad value in their own row
        StringBuilder sql = new StringBuilder("select m.*");
        for (String[] bad : UNSENDABLE) {
            sql.append(", case when m.id = 'bad-").append(bad[0]).append("' then ").append(bad[1])
                    .append(" end as ").append(bad[0]);
        }
        sql.append(" from (").append(model).append(") m");

        e2e.cli().sync("types", "model", sql.toString(), "identifier", "external_id", "identifierColumn", "id",
                "properties", "*", "lists", "types");

        CliHarness.Result r = e2e.cli().run("run", "--json", "types");

        assertEquals(0, r.exitCode(), r.err());
        JsonNode run = JSON.readTree(r.out().strip());
        assertEquals(1 + UNSENDABLE.length, run.get("read").asInt(), r.out());
        assertEquals(1, run.get("sent").asInt(), r.out());
        assertEquals(UNSENDABLE.length, run.get("invalid").asInt(), r.out());

        StandInProfile p = e2e.klaviyo().profileByExternalId("all-types").orElseThrow();
        Map<String, String> expected = new TreeMap<>();
        Map<String, String> actual = new TreeMap<>();
        for (String[] c : SENDABLE) {
            expected.put(c[0], JSON.readTree(c[2]).toString());
            actual.put(c[0], JSON.valueToTree(p.property(c[0])).toString());
        }
        assertEquals(expected, actual);
        for (String[] bad : UNSENDABLE) {
            assertTrue(p.property(bad[0]) == null, "a null " + bad[0] + " is left out");
        }

        Map<String, String[]> invalid = new LinkedHashMap<>();
        try (Connection c = e2e.warehouse().dataSource().getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select identifier_value, field, reason from klaviyo_sync.row_results"
                        + " where run_id = " + run.get("runId").asLong() + " and outcome = 'invalid'")) {
            while (rs.next()) {
                invalid.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
            }
        }
        for (String[] bad : UNSENDABLE) {
            String[] result = invalid.get("bad-" + bad[0]);
            assertTrue(result != null, "row bad-" + bad[0] + " is invalid: " + invalid.keySet());
            assertEquals(bad[0], result[0]);
            assertTrue(result[1].contains("column '" + bad[0] + "'") && result[1].contains(bad[2]), result[1]);
            assertTrue(e2e.klaviyo().profileByExternalId("bad-" + bad[0]).isEmpty());
        }
    }
}
