package dev.authoritypack.keycloak.common;

import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.inject.spi.CDI;
import org.jboss.logging.Logger;

/**
 * A note from JAX-RS code to the pack's Vert.x handlers about the current request, kept on its routing context
 * (Quarkus makes the request's {@link RoutingContext} a CDI bean). Used where a handler must finish what a resource
 * or filter decided: CORS for the pack's own answers ({@link Answers#markPackAnswer()}), the client-authentication
 * challenge. Outside a Vert.x request it does nothing.
 */
public final class VertxRequest {

    private static final Logger LOG = Logger.getLogger(VertxRequest.class);
    /**
     * Set by the re-router (routes: DocumentedRouteRerouter) on a request that came to a documented path at the host
     * root, not under the realm's issuer: an answer that names an address of the same route keeps that base.
     */
    public static final String HOST_ROOT = "dev.authoritypack.hostRoot";

    private VertxRequest() {
    }

    public static void put(String key, Object value) {
        try {
            var current = CDI.current().select(RoutingContext.class);
            if (current.isResolvable()) {
                current.get().put(key, value);
            }
        } catch (RuntimeException e) {
            LOG.debugf("no routing context to note %s on: %s", key, e.toString());
        }
    }

    /** The note under {@code key}, or {@code null} (none, or outside a Vert.x request). */
    public static Object get(String key) {
        try {
            var current = CDI.current().select(RoutingContext.class);
            return current.isResolvable() ? current.get().get(key) : null;
        } catch (RuntimeException e) {
            LOG.debugf("no routing context to read %s from: %s", key, e.toString());
            return null;
        }
    }
}
