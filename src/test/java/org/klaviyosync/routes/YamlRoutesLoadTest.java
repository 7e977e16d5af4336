package org.klaviyosync.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;

/**
 * Every file under {@code routes/} and {@code routes/syncs/} parses with Camel's YAML DSL (and so
 * with the snakeyaml-engine the build resolves): the Klaviyo routes, the delivery error
 * configuration, the sync template and each sample sync instantiated from it.
 */
class YamlRoutesLoadTest {

    @Test
    void everyRouteFileLoadsAndDeclaresTheExpectedRoutesTemplateAndConfiguration() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(context).loadRoutes(RouteFiles.resources(context, RouteFiles.all()));
            Model model = context.getCamelContextExtension().getContextPlugin(Model.class);

            Set<String> templates = model.getRouteTemplateDefinitions().stream().map(RouteTemplateDefinition::getId)
                    .collect(Collectors.toSet());
            assertTrue(templates.contains("klaviyo-profile-sync"), templates.toString());
            // the schedule is a route of its own, Quartz -> the sync's direct endpoint
            RouteTemplateDefinition schedule = model.getRouteTemplateDefinition("klaviyo-sync-schedule");
            assertNotNull(schedule, templates.toString());
            assertTrue(schedule.getRoute().getInput().getEndpointUri().startsWith("quartz:klaviyo-sync/"),
                    schedule.getRoute().getInput().getEndpointUri());

            assertNotNull(model.getRouteConfigurationDefinition("klaviyo-delivery-errors"),
                    "the delivery error configuration the bulk import route refers to");

            Map<String, RouteDefinition> routes = model.getRouteDefinitions().stream()
                    .collect(Collectors.toMap(RouteDefinition::getId, r -> r));
            for (String id : List.of("klaviyo-api", "klaviyo-bulk-import-queue", "klaviyo-bulk-import-submitters",
                    "klaviyo-bulk-import", "klaviyo-dead-letter")) {
                assertTrue(routes.containsKey(id), id + " in " + routes.keySet());
            }
            assertEquals("klaviyo-delivery-errors", routes.get("klaviyo-bulk-import").getRouteConfigurationId());

            RouteTemplateDefinition template = model.getRouteTemplateDefinition("klaviyo-profile-sync");
            assertEquals("direct:klaviyo-sync-{{syncId}}", template.getRoute().getInput().getEndpointUri(),
                    "every run, scheduled or on demand, enters the pipeline through one direct endpoint");
            // each sample sync file becomes a route of the template, with its own parameters
            for (String sync : List.of("active-customers-by-email", "customers-by-external-id")) {
                RouteDefinition route = routes.get(sync);
                assertNotNull(route, sync + " in " + routes.keySet());
                assertEquals(sync, route.getTemplateParameters().get("syncId"));
                assertEquals(template.getRoute().getInput().getEndpointUri(), route.getInput().getEndpointUri(),
                        sync + " starts as the template does");
            }
            assertEquals("email", routes.get("active-customers-by-email").getTemplateParameters().get("identifier"));
            assertEquals("external_id", routes.get("customers-by-external-id").getTemplateParameters().get("identifier"));
        }
    }

    @Test
    void theFilesFoundAreTheProjectsRouteFiles() {
        List<Path> files = RouteFiles.all();
        Set<String> names = files.stream().map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        assertTrue(names.containsAll(Set.of("klaviyo-api.yaml", "klaviyo-bulk-import.yaml",
                "klaviyo-delivery-errors.yaml", "klaviyo-profile-sync.yaml", "klaviyo-sync-schedule.yaml",
                "active-customers-by-email.yaml",
                "customers-by-external-id.yaml")), names.toString());
    }
}
