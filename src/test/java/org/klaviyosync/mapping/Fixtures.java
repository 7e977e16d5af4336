package org.klaviyosync.mapping;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.klaviyosync.config.Identifier;
import org.klaviyosync.config.PropertyMappings;
import org.klaviyosync.config.SyncDefinition;
import org.postgresql.util.PGobject;

final class Fixtures {

    static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    static SyncDefinition sync(Identifier identifier, String identifierColumn, PropertyMappings properties,
            String listColumn, List<String> lists) {
        return new SyncDefinition("vip", Path.of("routes/vip.yaml"), "select * from customers",
                "select * from customers", Optional.empty(), identifier, identifierColumn, properties,
                listColumn, lists, false);
    }

    static PropertyMappings specific(String... fieldColumnPairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < fieldColumnPairs.length; i += 2) {
            map.put(fieldColumnPairs[i], fieldColumnPairs[i + 1]);
        }
        return PropertyMappings.specific(map);
    }

    /** A row keeping the given column order. */
    static Map<String, Object> row(Object... columnValuePairs) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columnValuePairs.length; i += 2) {
            row.put((String) columnValuePairs[i], columnValuePairs[i + 1]);
        }
        return row;
    }

    static PGobject pg(String type, String value) {
        PGobject o = new PGobject();
        o.setType(type);
        try {
            o.setValue(value);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return o;
    }

    /** A {@code java.sql.Array} whose {@code getArray()} returns {@code elements}. */
    static java.sql.Array sqlArray(Object[] elements) {
        return (java.sql.Array) Proxy.newProxyInstance(Fixtures.class.getClassLoader(),
                new Class<?>[] {java.sql.Array.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getArray":
                            return elements;
                        case "getBaseTypeName":
                            return "text";
                        case "toString":
                            return "array";
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            throw new SQLException(method.getName() + " is not supported");
                    }
                });
    }
}
