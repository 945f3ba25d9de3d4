package dev.authoritypack.keycloak.routes;

import io.vertx.ext.web.RoutingContext;

import java.util.Optional;

/**
 * The documented route a Vert.x request names, matched once per path and kept on the routing context: the pack's
 * handlers (CORS, rate limits, the re-router) all ask for it, and a re-routed request (a new path) is matched again.
 */
public final class RouteOfRequest {

    private static final String KEY = RouteOfRequest.class.getName();

    private record Matched(String path, Optional<DocumentedRoute.Match> match) {
    }

    private RouteOfRequest() {
    }

    /** The route of the request's current path (host-root paths only for the default realm), or empty. */
    public static Optional<DocumentedRoute.Match> of(RoutingContext rc) {
        String path = rc.normalizedPath();
        Matched kept = rc.get(KEY);
        if (kept != null && kept.path().equals(path)) {
            return kept.match();
        }
        Optional<DocumentedRoute.Match> match = path == null ? Optional.empty()
                : DocumentedRoute.match(path, RouteSettings.current().hostRootRealm());
        rc.put(KEY, new Matched(path, match));
        return match;
    }
}
