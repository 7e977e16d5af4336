package org.klaviyosync.observe;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import org.klaviyosync.settings.ConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may reach Jolokia on the management port. Health and metrics stay open on every interface
 * (probes and scrapers need them); Jolokia can run a sync, so without credentials it answers only
 * to loopback clients, and with {@code MANAGEMENT_USER}/{@code MANAGEMENT_PASSWORD} it asks every
 * client for them (HTTP basic auth). Refusals say nothing about the service behind them.
 */
public final class JolokiaAccess {

    private static final Logger LOG = LoggerFactory.getLogger(JolokiaAccess.class);

    static final String REALM = "klaviyo-sync management";

    private final byte[] user;
    private final byte[] password;
    private boolean installed;

    private JolokiaAccess(String user, String password) {
        this.user = user == null ? null : user.getBytes(StandardCharsets.UTF_8);
        this.password = password == null ? null : password.getBytes(StandardCharsets.UTF_8);
    }

    /** Loopback only without credentials; basic auth when both are set; an error when only one is. */
    public static JolokiaAccess of(Optional<String> user, Optional<String> password) {
        if (user.isPresent() != password.isPresent()) {
            throw new ConfigurationException("set both MANAGEMENT_USER and MANAGEMENT_PASSWORD (environment) to reach"
                    + " Jolokia with credentials, or neither to keep it on loopback; only "
                    + (user.isPresent() ? "MANAGEMENT_USER" : "MANAGEMENT_PASSWORD") + " is set");
        }
        return new JolokiaAccess(user.orElse(null), password.orElse(null));
    }

    public boolean requiresCredentials() {
        return password != null;
    }

    /**
     * Guards Jolokia as soon as the management server serves it: when the routes start (the
     * server has started by then, and no sync can run before), or on {@link #guard(CamelContext)}.
     */
    public void guardWhenServing(CamelContext camel) {
        camel.getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextRoutesStartingEvent;
            }

            @Override
            public void notify(CamelEvent event) {
                guard(camel);
            }
        });
    }

    /** Puts the check in front of Jolokia on the context's management server, once; false if not serving yet. */
    public synchronized boolean guard(CamelContext camel) {
        if (installed) {
            return true;
        }
        ManagementHttpServer server = camel.hasService(ManagementHttpServer.class);
        if (server == null || !server.isJolokiaEnabled() || server.getRouter() == null) {
            return false;
        }
        guard(server.getRouter(), server.getJolokiaPath());
        installed = true;
        return true;
    }

    /** Puts the check in front of everything under {@code jolokiaPath} on the management router. */
    void guard(Router router, String jolokiaPath) {
        router.route(jolokiaPath + "*").order(Integer.MIN_VALUE).handler(this::handle);
        if (requiresCredentials()) {
            LOG.info("Jolokia ({}) asks every client for the management credentials (user '{}')", jolokiaPath,
                    new String(user, StandardCharsets.UTF_8));
        } else {
            LOG.info("Jolokia ({}) answers loopback clients only; set MANAGEMENT_USER and MANAGEMENT_PASSWORD to"
                    + " reach it from other hosts", jolokiaPath);
        }
    }

    void handle(RoutingContext ctx) {
        if (requiresCredentials()) {
            if (authenticated(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
                ctx.next();
            } else {
                ctx.response().setStatusCode(401)
                        .putHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"")
                        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                        .end("authentication required\n");
            }
        } else if (loopback(ctx.request().remoteAddress())) {
            ctx.next();
        } else {
            ctx.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .end("Jolokia answers on loopback only: connect from this host, or configure credentials\n");
        }
    }

    boolean authenticated(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(authorization.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = -1;
        for (int i = 0; i < decoded.length; i++) {
            if (decoded[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon < 0) {
            return false;
        }
        byte[] givenUser = Arrays.copyOfRange(decoded, 0, colon);
        byte[] givenPassword = Arrays.copyOfRange(decoded, colon + 1, decoded.length);
        // both compared in constant time, and both always compared
        boolean userMatches = MessageDigest.isEqual(givenUser, user);
        boolean passwordMatches = MessageDigest.isEqual(givenPassword, password);
        return userMatches & passwordMatches;
    }

    static boolean loopback(SocketAddress remote) {
        if (remote == null || remote.hostAddress() == null) {
            return false;
        }
        try {
            // a literal address: no name lookup
            return InetAddress.getByName(remote.hostAddress()).isLoopbackAddress();
        } catch (Exception e) {
            return false;
        }
    }
}
