package dev.authoritypack.keycloak.routes;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Applies the response headers a documented route promises (for example {@code Cache-Control: public,
 * max-age=3600} on discovery and JWKS, which Keycloak's well-known resource fixes to {@code no-cache}).
 * Only requests the rewrite filter matched are touched, and only successful answers are made cacheable.
 */
@Provider
public class DocumentedRouteHeadersFilter implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(DocumentedRouteRewriteFilter.MATCH_PROPERTY) instanceof DocumentedRoute.Match match)) {
            return;
        }
        String cacheControl = match.route().cacheControl();
        if (cacheControl != null && response.getStatus() == 200) {
            response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, cacheControl);
            response.getHeaders().remove("Pragma");
        }
    }
}
