package org.klaviyosync.pipeline;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.klaviyosync.klaviyo.KlaviyoRequest;
import org.klaviyosync.klaviyo.KlaviyoResponse;
import org.klaviyosync.klaviyo.KlaviyoTransport;

/**
 * Sends Klaviyo requests through the {@code klaviyo-api} route (throttle, camel-http). The API key
 * lives only here and in the request's Authorization header, which the route removes again after
 * the call; it is never a route property, so JMX and route dumps never show it.
 */
public final class CamelKlaviyoTransport implements KlaviyoTransport {

    public static final String ENDPOINT = "direct:klaviyo-api";

    private final Supplier<CamelContext> camel;
    private final String baseUrl;
    private final String authorization;
    private volatile ProducerTemplate producer;

    public CamelKlaviyoTransport(Supplier<CamelContext> camel, String baseUrl, String apiKey) {
        this.camel = camel;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authorization = "Klaviyo-API-Key " + apiKey;
    }

    @Override
    public KlaviyoResponse exchange(KlaviyoRequest request) throws IOException {
        Exchange result = producer().send(ENDPOINT, exchange -> {
            Message in = exchange.getIn();
            in.setHeader("klaviyoRateLimit", request.bucket().rateLimit().id());
            in.setHeader(Exchange.HTTP_METHOD, request.method());
            in.setHeader(Exchange.HTTP_URI, baseUrl + request.pathAndQuery());
            in.setHeader("Authorization", authorization);
            if (request.body() != null) {
                in.setHeader(Exchange.CONTENT_TYPE, "application/vnd.api+json");
                in.setBody(request.body());
            } else {
                in.setBody(null);
            }
        });
        if (result.getException() != null) {
            Throwable e = result.getException();
            if (e instanceof IOException io) {
                throw io;
            }
            throw new IOException("no answer from Klaviyo: " + e.getMessage(), e);
        }
        Message out = result.getMessage();
        Integer status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status == null) {
            throw new IOException("no HTTP status from Klaviyo for " + request.method() + " " + request.pathAndQuery());
        }
        Map<String, String> headers = new HashMap<>();
        for (String name : new String[] {"Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset",
            "Content-Type", "Location"}) {
            String v = out.getHeader(name, String.class);
            if (v != null) {
                headers.put(name, v);
            }
        }
        byte[] body = out.getBody(byte[].class);
        return new KlaviyoResponse(status, headers, body);
    }

    private ProducerTemplate producer() {
        ProducerTemplate p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = camel.get().createProducerTemplate();
                }
                p = producer;
            }
        }
        return p;
    }
}
