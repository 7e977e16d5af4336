package org.klaviyosync.routes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/** The project's YAML route files, as Camel resources (tests run from the project root). */
final class RouteFiles {

    static final Path ROUTES = Path.of("routes");
    static final Path SYNCS = ROUTES.resolve("syncs");

    private RouteFiles() {
    }

    /** routes/*.yaml then routes/syncs/*.yaml, each folder sorted by name. */
    static List<Path> all() {
        List<Path> files = new ArrayList<>(yamlIn(ROUTES));
        files.addAll(yamlIn(SYNCS));
        return files;
    }

    static List<Path> named(String... fileNames) {
        return Stream.of(fileNames).map(ROUTES::resolve).toList();
    }

    /** The route builders of the named files of routes/, to add to {@code context}. */
    static RoutesBuilder[] builders(CamelContext context, String... fileNames) throws Exception {
        return PluginHelper.getRoutesLoader(context).findRoutesBuilders(resources(context, named(fileNames)))
                .toArray(RoutesBuilder[]::new);
    }

    static List<Resource> resources(CamelContext context, List<Path> files) {
        return files.stream()
                .map(f -> PluginHelper.getResourceLoader(context).resolveResource("file:" + f.toAbsolutePath()))
                .toList();
    }

    private static List<Path> yamlIn(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
