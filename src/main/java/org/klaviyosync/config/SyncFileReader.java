package org.klaviyosync.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads the {@code templatedRoute} entries of the sync files, as Camel will, so that the
 * validator can name the file and the parameter of every problem before Camel starts.
 */
public final class SyncFileReader {

    /** One {@code templatedRoute} as written: its file, route id and raw parameter values. */
    public record SyncFile(Path file, String templateRef, String routeId, Map<String, String> parameters) {
    }

    public record Result(List<SyncFile> syncs, List<String> problems) {
    }

    public Result read(Path syncsDir) {
        List<SyncFile> syncs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(syncsDir)) {
            problems.add(syncsDir + ": the syncs folder does not exist; create it and put one sync file (*.yaml) in it,"
                    + " or point syncs.dir (SYNCS_DIR) at yours");
            return new Result(syncs, problems);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(syncsDir)) {
            files = s.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            problems.add(syncsDir + ": cannot list sync files: " + e.getMessage());
            return new Result(syncs, problems);
        }
        for (Path file : files) {
            readFile(file, syncs, problems);
        }
        return new Result(syncs, problems);
    }

    /**
     * A problem for each sync file ({@code templatedRoute}) put directly in {@code routesDir}, the
     * folder of the pipeline's own routes, instead of {@code syncsDir}: Camel would load it with
     * the routes and fail on it with a message that does not say where sync files go.
     */
    public List<String> misplaced(Path routesDir, Path syncsDir) {
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(routesDir) || routesDir.toAbsolutePath().normalize().equals(syncsDir.toAbsolutePath().normalize())) {
            return problems;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(routesDir)) {
            files = s.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            return problems;
        }
        for (Path file : files) {
            Object doc;
            try {
                doc = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException | YamlEngineException e) {
                continue; // not a sync file we can read; Camel reports what it makes of it
            }
            if (doc instanceof List<?> entries && entries.stream()
                    .anyMatch(entry -> entry instanceof Map<?, ?> m && m.containsKey("templatedRoute"))) {
                problems.add(file + ": a sync file (templatedRoute) directly in " + routesDir + ", which holds the"
                        + " pipeline's own routes; sync files go in " + syncsDir + " (syncs.dir, SYNCS_DIR), one sync"
                        + " per file: move it there");
            }
        }
        return problems;
    }

    private void readFile(Path file, List<SyncFile> syncs, List<String> problems) {
        Object doc;
        try {
            doc = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            problems.add(file + ": cannot read: " + e.getMessage());
            return;
        } catch (YamlEngineException e) {
            problems.add(file + ": not valid YAML: " + e.getMessage().replace('\n', ' '));
            return;
        }
        if (!(doc instanceof List<?> entries)) {
            problems.add(file + ": expected a YAML list with one '- templatedRoute:' entry");
            return;
        }
        int found = 0;
        for (Object entry : entries) {
            if (entry instanceof Map<?, ?> m && m.get("templatedRoute") instanceof Map<?, ?> tr) {
                found++;
                if (found > 1) {
                    problems.add(file + ": holds more than one templatedRoute; put each sync in a file of its own");
                    return;
                }
                Map<String, String> params = new LinkedHashMap<>();
                Object rawParams = tr.get("parameters");
                if (rawParams instanceof List<?> list) {
                    for (Object p : list) {
                        if (p instanceof Map<?, ?> pm && pm.get("name") != null) {
                            String name = String.valueOf(pm.get("name"));
                            Object value = pm.get("value");
                            if (params.put(name, value == null ? null : String.valueOf(value)) != null) {
                                problems.add(file + ": parameter '" + name + "' is given twice; keep one");
                            }
                        } else {
                            problems.add(file + ": every parameter needs 'name' and 'value', found " + p);
                        }
                    }
                } else if (rawParams != null) {
                    problems.add(file + ": 'parameters' must be a list of name/value pairs");
                }
                Object ref = tr.get("routeTemplateRef");
                Object routeId = tr.get("routeId");
                syncs.add(new SyncFile(file, ref == null ? null : String.valueOf(ref),
                        routeId == null ? null : String.valueOf(routeId), params));
            }
        }
        if (found == 0) {
            problems.add(file + ": no '- templatedRoute:' entry; a sync file instantiates one of the templates "
                    + SyncKinds.templateIds());
        }
    }
}
