package org.klaviyosync.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Each kind of sync declares its parameters twice, in its route template (what Camel applies) and
 * in Java (what start-up validates), and docs/syncs.md tables them: these tests hold the three
 * equal, name for name, in order, with the same defaults and required-ness.
 */
class SyncTemplateParametersTest {

    /** One parameter as a template declares it. */
    private record TemplateParameter(String name, Optional<String> defaultValue, String description) {
    }

    @Test
    void everyKindsTemplateDeclaresTheParametersItsJavaDeclarationValidates() throws Exception {
        for (SyncKind kind : SyncKinds.all()) {
            List<TemplateParameter> template = templateParameters(kind.templateId());
            assertEquals(kind.parameters().stream().map(ParameterDeclaration::key).toList(),
                    template.stream().map(TemplateParameter::name).toList(), kind.templateId() + ": parameter names");
            for (int i = 0; i < template.size(); i++) {
                TemplateParameter t = template.get(i);
                ParameterDeclaration p = kind.parameters().get(i);
                assertFalse(t.description() == null || t.description().isBlank(),
                        kind.templateId() + " " + t.name() + " has a description");
                // Camel requires a parameter without a default; an optional one without a default is declared ""
                assertEquals(p.required(), t.defaultValue().isEmpty(), kind.templateId() + " " + t.name() + " required");
                if (!p.required()) {
                    assertEquals(p.defaultValue().orElse(""), t.defaultValue().get(),
                            kind.templateId() + " " + t.name() + " default");
                }
            }
        }
    }

    @Test
    void docsTableEachKindsParametersWithTheirRequiredness() throws Exception {
        List<String> doc = Files.readAllLines(Path.of("docs/syncs.md"), StandardCharsets.UTF_8);
        for (SyncKind kind : SyncKinds.all()) {
            Map<String, String> table = docsTable(doc, kind.templateId());
            assertEquals(kind.parameters().stream().map(ParameterDeclaration::key).toList(), List.copyOf(table.keySet()),
                    "docs/syncs.md table of " + kind.templateId());
            for (ParameterDeclaration p : kind.parameters()) {
                assertEquals(p.required(), table.get(p.key()).equals("yes"),
                        "docs/syncs.md: " + kind.templateId() + " " + p.key() + " required");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<TemplateParameter> templateParameters(String templateId) throws Exception {
        Path file = Path.of("routes", templateId + ".yaml");
        List<Object> entries = (List<Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(file, StandardCharsets.UTF_8));
        for (Object entry : entries) {
            Map<String, Object> template = (Map<String, Object>) ((Map<String, Object>) entry).get("routeTemplate");
            if (template != null && templateId.equals(template.get("id"))) {
                List<TemplateParameter> out = new ArrayList<>();
                for (Object o : (List<Object>) template.get("parameters")) {
                    Map<String, Object> p = (Map<String, Object>) o;
                    out.add(new TemplateParameter((String) p.get("name"),
                            Optional.ofNullable(p.get("defaultValue")).map(String::valueOf), (String) p.get("description")));
                }
                return out;
            }
        }
        throw new AssertionError(file + " holds no routeTemplate " + templateId);
    }

    /** The first two columns (parameter, required) of the table under the heading naming the template. */
    private static Map<String, String> docsTable(List<String> doc, String templateId) {
        int heading = -1;
        for (int i = 0; i < doc.size(); i++) {
            if (doc.get(i).startsWith("## ") && doc.get(i).contains("`" + templateId + "`")) {
                heading = i;
            }
        }
        assertTrue(heading >= 0, "docs/syncs.md has a heading naming `" + templateId + "`");
        Map<String, String> rows = new LinkedHashMap<>();
        for (int i = heading + 1; i < doc.size() && !doc.get(i).startsWith("## "); i++) {
            String line = doc.get(i);
            if (line.startsWith("| `")) {
                String[] cells = line.split("\\|");
                rows.put(cells[1].trim().replace("`", ""), cells[2].trim());
            }
        }
        return rows;
    }
}
