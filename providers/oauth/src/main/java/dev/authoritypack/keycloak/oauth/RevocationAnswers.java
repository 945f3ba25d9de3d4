package dev.authoritypack.keycloak.oauth;

import dev.authoritypack.keycloak.common.PackRealms;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import org.keycloak.headers.SecurityHeadersProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;

/**
 * RFC 7009 §2.2: revoking a token the server does not know (invalid, expired, already revoked) is a success,
 * {@code 200} with nothing to read. Keycloak's revocation endpoint answers {@code 200} with the body
 * {@code {"error":"invalid_token"}} (a success status with an error object); this filter removes that body, at
 * Keycloak's path and the documented routes alike. Every other answer of the endpoint is unchanged. OAuthRoutesIT
 * fails if a Keycloak upgrade changes the answer.
 */
@Provider
public class RevocationAnswers implements ContainerResponseFilter {

    /** Injected as into Keycloak's own error handler. */
    @Context
    KeycloakSession session;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (response.getStatus() == 200 && PackRealms.isApplied(session) && response.getEntity() instanceof OAuth2ErrorRepresentation error
                && "invalid_token".equals(error.getError())
                && (path.endsWith("/protocol/openid-connect/revoke") || path.endsWith("/" + DocumentedOAuthResourceFactory.ID + "/revoke"))) {
            response.setEntity(null);
            response.getHeaders().remove(HttpHeaders.CONTENT_TYPE);
            // as Keycloak's endpoint does for its own empty 200: its security-headers filter refuses an answer
            // without a media type otherwise
            session.getProvider(SecurityHeadersProvider.class).options().allowEmptyContentType();
        }
    }
}
