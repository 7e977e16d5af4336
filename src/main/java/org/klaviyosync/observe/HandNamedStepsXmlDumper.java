package org.klaviyosync.observe;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.OptionalIdentifiedDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RoutesDefinition;
import org.apache.camel.model.TryDefinition;
import org.apache.camel.spi.ModelToXMLDumper;
import org.apache.camel.support.PluginHelper;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Route XML dumps that say which step ids were given in the route files: Camel's dumpers drop the
 * model's {@code customId} flag, and Hawtio's route diagram labels a step with its id only when the
 * dumped element carries {@code customId="true"} (otherwise it shows the step's type and bean, e.g.
 * {@code Process ref:runStarter}). Every element whose id was given by hand gets the flag back, so
 * the diagram of a sync reads as its pipeline ({@code open-the-run}, {@code stream-the-model}, ...).
 * Everything else is the dump of the dumper Camel resolved.
 */
public final class HandNamedStepsXmlDumper implements ModelToXMLDumper {

    private final ModelToXMLDumper dumper;

    private HandNamedStepsXmlDumper(ModelToXMLDumper dumper) {
        this.dumper = dumper;
    }

    /** Makes the context's XML dumps (JMX dumpRoutesAsXml, dumpRouteAsXml, ...) mark hand-given ids. */
    public static void install(CamelContext context) {
        ModelToXMLDumper resolved = PluginHelper.getModelToXMLDumper(context);
        if (!(resolved instanceof HandNamedStepsXmlDumper)) {
            context.getCamelContextExtension().addContextPlugin(ModelToXMLDumper.class,
                    new HandNamedStepsXmlDumper(resolved));
        }
    }

    @Override
    public String dumpModelAsXml(CamelContext context, NamedNode definition) throws Exception {
        return markHandNamed(dumper.dumpModelAsXml(context, definition), definition);
    }

    @Override
    public String dumpModelAsXml(CamelContext context, NamedNode definition, boolean resolvePlaceholders,
            boolean generatedIds, boolean sourceLocation) throws Exception {
        return markHandNamed(dumper.dumpModelAsXml(context, definition, resolvePlaceholders, generatedIds,
                sourceLocation), definition);
    }

    @Override
    public String dumpBeansAsXml(CamelContext context, List<Object> beans) throws Exception {
        return dumper.dumpBeansAsXml(context, beans);
    }

    @Override
    public String dumpDataFormatsAsXml(CamelContext context, Map<String, Object> dataFormats) throws Exception {
        return dumper.dumpDataFormatsAsXml(context, dataFormats);
    }

    private static String markHandNamed(String xml, NamedNode definition) throws Exception {
        Set<String> handNamed = new HashSet<>();
        if (definition instanceof RoutesDefinition routes) {
            routes.getRoutes().forEach(route -> collect(route, handNamed));
        } else if (definition instanceof OptionalIdentifiedDefinition<?> node) {
            collect(node, handNamed);
        }
        if (xml == null || handNamed.isEmpty()) {
            return xml;
        }
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        NodeList elements = doc.getElementsByTagNameNS("*", "*");
        boolean marked = false;
        for (int i = 0; i < elements.getLength(); i++) {
            Element e = (Element) elements.item(i);
            if (handNamed.contains(e.getAttribute("id"))) {
                e.setAttribute("customId", "true");
                marked = true;
            }
        }
        if (!marked) {
            return xml;
        }
        Transformer out = TransformerFactory.newInstance().newTransformer();
        out.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, xml.startsWith("<?xml") ? "no" : "yes");
        StringWriter text = new StringWriter();
        out.transform(new DOMSource(doc), new StreamResult(text));
        return text.toString();
    }

    private static void collect(OptionalIdentifiedDefinition<?> node, Set<String> handNamed) {
        if (node.hasCustomIdAssigned() && node.getId() != null) {
            handNamed.add(node.getId());
        }
        if (node instanceof RouteDefinition route) {
            if (route.getInput() != null) {
                collect(route.getInput(), handNamed);
            }
            route.getOutputs().forEach(output -> collect(output, handNamed));
        } else if (node instanceof ProcessorDefinition<?> step) {
            step.getOutputs().forEach(output -> collect(output, handNamed));
            if (step instanceof ChoiceDefinition choice) {
                choice.getWhenClauses().forEach(clause -> collect(clause, handNamed));
                if (choice.getOtherwise() != null) {
                    collect(choice.getOtherwise(), handNamed);
                }
            } else if (step instanceof TryDefinition attempt) {
                attempt.getCatchClauses().forEach(clause -> collect(clause, handNamed));
                if (attempt.getFinallyClause() != null) {
                    collect(attempt.getFinallyClause(), handNamed);
                }
            }
        }
    }
}
