package org.klaviyosync.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shipped application.properties and routes/ state no setting's default a second time: a key
 * of the file is a declared setting at its declared default, and a route's placeholder of a setting
 * carries no inline default ({@code {{klaviyo.submit-queue:4}}}).
 */
class ShippedConfigurationTest {

    /** Placeholders the application works out itself and gives Camel, not settings. */
    private static final List<String> DERIVED = List.of("state.purge-scheduled", "state.purge-interval-ms");

    @Test
    void everyKeyOfApplicationPropertiesIsADeclaredSettingAtItsDefault() throws IOException {
        Properties file = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("application.properties"), StandardCharsets.UTF_8)) {
            file.load(r);
        }
        for (String key : file.stringPropertyNames()) {
            if (key.startsWith("camel.") && SettingCatalog.byKey(key).isEmpty()) {
                continue;
            }
            Setting<?> s = SettingCatalog.byKey(key).orElseThrow(() -> new AssertionError(key + " is no setting"));
            assertEquals(s.defaultValue().orElseThrow(), s.parse(file.getProperty(key).trim()), key
                    + ": the shipped file states the declared default or nothing");
        }
        assertEquals(List.of(), Settings.load(Path.of("application.properties"), Map.of()).unknown());
    }

    @Test
    void theRoutesPlaceholdersNameSettingsWithoutDefaultsOfTheirOwn() throws IOException {
        Pattern placeholder = Pattern.compile("\\{\\{([a-z][a-z0-9-]*(?:\\.[a-z0-9-]+)+)(:[^}]*)?}}");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("routes"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                Matcher m = placeholder.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) {
                    String key = m.group(1);
                    found.add(key);
                    if (DERIVED.contains(key)) {
                        continue;
                    }
                    assertTrue(SettingCatalog.byKey(key).isPresent(), f + ": {{" + key + "}} is no declared setting");
                    assertEquals(null, m.group(2), f + ": {{" + key + m.group(2) + "}} states a default of its own;"
                            + " the declaration's reaches Camel (Settings.camelProperties)");
                }
            }
        }
        assertTrue(found.containsAll(List.of("klaviyo.submit-queue", "klaviyo.connect-timeout-ms",
                "warehouse.fetch-size")), found.toString());
    }
}
