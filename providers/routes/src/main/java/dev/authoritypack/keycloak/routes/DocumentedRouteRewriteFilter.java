package dev.authoritypack.keycloak.routes;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.ext.Provider;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Serves the documented paths of {@link DocumentedRoute} by rewriting the request URI onto the Keycloak
 * endpoint (or pack realm resource) that does the work, before JAX-RS matches a resource.
 *
 * <p>Keycloak 26.7 has no SPI for host-root paths; a {@code @PreMatching} filter in a provider jar is picked
 * up by the Quarkus build (see KEYCLOAK-NOTES §9). It runs before the KeycloakSession exists, so it only
 * reads static configuration. Query strings, bodies, headers and cookies pass through unchanged, so Keycloak
 * sees exactly the request the client sent, at its own path. RoutesIT fails if an upgrade stops this working.
 */
@Provider
@PreMatching
public class DocumentedRouteRewriteFilter implements ContainerRequestFilter {

    /** Request property holding the {@link DocumentedRoute.Match}, for the response filter. */
    static final String MATCH_PROPERTY = DocumentedRoute.class.getName();

    @Override
    public void filter(ContainerRequestContext request) {
        String path = pathBelowBase(request.getUriInfo().getBaseUri(), request.getUriInfo().getRequestUri());
        Optional<DocumentedRoute.Match> found = DocumentedRoute.match(path, RouteSettings.current().hostRootRealm());
        if (found.isEmpty()) {
            return;
        }
        DocumentedRoute.Match match = found.get();
        if (!match.route().allows(request.getMethod())) {
            request.abortWith(methodNotAllowed(match.route()));
            return;
        }
        URI base = request.getUriInfo().getBaseUri();
        URI rewritten = UriBuilder.fromUri(base)
                .path(match.targetPath())
                .replaceQuery(request.getUriInfo().getRequestUri().getRawQuery())
                .build();
        request.setProperty(MATCH_PROPERTY, match);
        request.setRequestUri(base, rewritten);
    }

    /** The raw request path below Keycloak's base URI (http-relative-path), starting with {@code /}. */
    static String pathBelowBase(URI base, URI request) {
        String basePath = base.getRawPath() == null ? "" : base.getRawPath();
        String path = request.getRawPath() == null ? "/" : request.getRawPath();
        if (basePath.endsWith("/")) {
            basePath = basePath.substring(0, basePath.length() - 1);
        }
        if (!basePath.isEmpty() && path.startsWith(basePath)) {
            path = path.substring(basePath.length());
        }
        return path.startsWith("/") ? path : "/" + path;
    }

    private static Response methodNotAllowed(DocumentedRoute route) {
        TreeSet<String> allow = new TreeSet<>(route.methods());
        allow.add("OPTIONS");
        return Response.status(Response.Status.METHOD_NOT_ALLOWED)
                .header("Allow", String.join(", ", allow))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", "invalid_request",
                        "error_description", route.path() + " does not accept this method; use " + String.join(" or ", route.methods())))
                .build();
    }
}
