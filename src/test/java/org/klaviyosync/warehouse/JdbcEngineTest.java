package org.klaviyosync.warehouse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JdbcEngineTest {

    @Test
    void detectsTheEngineFromTheUrl() {
        assertEquals(JdbcEngine.POSTGRESQL, JdbcEngine.of("jdbc:postgresql://db:5432/analytics"));
        assertEquals(JdbcEngine.POSTGRESQL, JdbcEngine.of("jdbc:postgresql://cluster.redshift.amazonaws.com:5439/dev"));
        assertEquals(JdbcEngine.MARIADB, JdbcEngine.of("jdbc:mariadb://db:3306/shop"));
        assertEquals(JdbcEngine.MARIADB, JdbcEngine.of("jdbc:mysql://db:3306/shop?permitMysqlScheme"));
        assertEquals(JdbcEngine.MYSQL, JdbcEngine.of("jdbc:mysql://db:3306/shop"));
        assertEquals(JdbcEngine.DUCKDB, JdbcEngine.of("jdbc:duckdb:"));
        assertEquals(JdbcEngine.OTHER, JdbcEngine.of("jdbc:sqlserver://db:1433;databaseName=shop"));
        assertEquals(JdbcEngine.OTHER, JdbcEngine.of("jdbc:snowflake://acme.snowflakecomputing.com/"));
        assertEquals(JdbcEngine.OTHER, JdbcEngine.of(null));
    }

    @Test
    void eachDriverGetsTheFetchSizeThatMakesItStream() {
        assertEquals(500, JdbcEngine.POSTGRESQL.statementFetchSize(500));
        assertEquals(500, JdbcEngine.MARIADB.statementFetchSize(500), "Connector/J 3 refuses Integer.MIN_VALUE");
        assertEquals(Integer.MIN_VALUE, JdbcEngine.MYSQL.statementFetchSize(500), "MySQL's row-by-row streaming");
        assertEquals(500, JdbcEngine.DUCKDB.statementFetchSize(500));
        assertEquals(500, JdbcEngine.OTHER.statementFetchSize(500));
        assertThrows(IllegalArgumentException.class, () -> JdbcEngine.MARIADB.statementFetchSize(0));
    }

    @Test
    void poolPropertiesStreamAndOpenDuckDbFilesReadOnly() {
        assertEquals(Map.of("defaultRowFetchSize", "700", "ApplicationName", "klaviyo-sync"),
                JdbcEngine.POSTGRESQL.modelPoolProperties("jdbc:postgresql://db/x", 700));
        assertEquals(Map.of("jdbc_stream_results", "true"), JdbcEngine.DUCKDB.modelPoolProperties("jdbc:duckdb:", 700));
        assertEquals(Map.of("jdbc_stream_results", "true", "duckdb.read_only", "true"),
                JdbcEngine.DUCKDB.modelPoolProperties("jdbc:duckdb:/data/warehouse.duckdb", 700));
        assertTrue(JdbcEngine.MARIADB.modelPoolProperties("jdbc:mariadb://db/x", 700).isEmpty());
    }

    @Test
    void readOnlyEverywhereExceptAnInMemoryDuckDb() {
        assertTrue(JdbcEngine.POSTGRESQL.readOnlyConnections("jdbc:postgresql://db/x"));
        assertTrue(JdbcEngine.MARIADB.readOnlyConnections("jdbc:mariadb://db/x"));
        assertTrue(JdbcEngine.DUCKDB.readOnlyConnections("jdbc:duckdb:/data/w.duckdb"));
        assertFalse(JdbcEngine.DUCKDB.readOnlyConnections("jdbc:duckdb:"));
        assertFalse(JdbcEngine.DUCKDB.readOnlyConnections("jdbc:duckdb::memory:"));
        assertEquals("SET SESSION TRANSACTION READ ONLY", JdbcEngine.MARIADB.modelConnectionInitSql());
        assertEquals("SET SESSION TRANSACTION READ ONLY", JdbcEngine.MYSQL.modelConnectionInitSql());
        assertNull(JdbcEngine.POSTGRESQL.modelConnectionInitSql());
    }
}
