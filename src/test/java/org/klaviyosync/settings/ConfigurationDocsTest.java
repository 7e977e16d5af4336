package org.klaviyosync.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The settings table of docs/configuration.md is the declarations rendered: this test fails when
 * they differ. To regenerate it after changing a declaration:
 * {@code mvn -B -o test -Dtest=ConfigurationDocsTest -Dsettings.docs.write=true}.
 */
class ConfigurationDocsTest {

    static final Path DOC = Path.of("docs/configuration.md");
    static final String BEGIN = "<!-- settings table: generated from org.klaviyosync.settings by ConfigurationDocsTest;"
            + " do not edit -->";
    static final String END = "<!-- end of the settings table -->";

    /** The table, one row per setting in declaration order. */
    static String table() {
        StringBuilder t = new StringBuilder();
        t.append("| environment variable | `application.properties` | default | accepts | meaning |\n");
        t.append("|---|---|---|---|---|\n");
        for (Setting<?> s : SettingCatalog.all()) {
            String key = switch (s.source()) {
                case FILE_OR_ENVIRONMENT -> "`" + s.key() + "`";
                case ENVIRONMENT -> "(environment only)";
                case SECRET -> "(environment only, secret)";
            };
            String shown = s.defaultShown();
            String defaultCell = shown.isEmpty() ? "" : s.defaultValue().isPresent()
                    && shown.equals(String.valueOf(s.defaultValue().get())) ? "`" + shown + "`" : shown;
            t.append("| `").append(s.envName()).append("` | ").append(key).append(" | ").append(defaultCell)
                    .append(" | ").append(s.allowed()).append(" | ").append(s.description()).append(" |\n");
        }
        return t.toString();
    }

    @Test
    void theDocumentedTableIsTheDeclarationsRendered() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertTrue(begin >= 0 && end > begin, DOC + " must hold the markers " + BEGIN + " and " + END);
        String documented = doc.substring(begin + BEGIN.length() + 1, end);
        String rendered = table();
        if (Boolean.getBoolean("settings.docs.write") && !documented.equals(rendered)) {
            Files.writeString(DOC, doc.substring(0, begin + BEGIN.length() + 1) + rendered + doc.substring(end),
                    StandardCharsets.UTF_8);
            documented = rendered;
        }
        assertEquals(rendered, documented, DOC + " is out of date with the setting declarations; regenerate it with"
                + " mvn -B -o test -Dtest=ConfigurationDocsTest -Dsettings.docs.write=true");
    }

    @Test
    void everySettingIsDescribed() {
        for (Setting<?> s : SettingCatalog.all()) {
            assertTrue(!s.description().isBlank() && !s.description().contains("|"), s.key());
        }
    }
}
