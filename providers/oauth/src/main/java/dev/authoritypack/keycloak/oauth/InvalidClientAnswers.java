package dev.authoritypack.keycloak.oauth;


import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;

import java.util.List;

/**
 * A client that fails to authenticate gets {@code 401 invalid_client} with {@code WWW-Authenticate} (RFC 6749
 * §5.2, docs/routes.md). Keycloak's client authenticators ({@code ClientIdAndSecretAuthenticator}, the JWT ones)
 * answer {@code unauthorized_client} instead, which RFC 6749 reserves for an authenticated client that may not
 * use a grant; Keycloak's introspection endpoint already converts them, its token, revocation and device
 * endpoints do not. This response filter converts only those client-authentication answers, at Keycloak's own
 * paths and at the documented routes alike (both end in the same endpoints), and leaves every other
 * {@code unauthorized_client} (a grant the client may not use) as it is. The {@code WWW-Authenticate} header of
 * these answers is set in Vert.x by routes' {@code DocumentedRouteRerouter}: a header set here does not reach answers
 * that Keycloak throws as exceptions. RouteTableIT and OAuthRoutesIT fail if a
 * Keycloak upgrade changes the wording this relies on.
 */
@Provider
public class InvalidClientAnswers implements ContainerResponseFilter {

    /** Descriptions Keycloak 26.7 gives when client authentication itself failed. */
    private static final List<String> CLIENT_AUTHENTICATION_FAILED = List.of(
            "Invalid client or Invalid client credentials",
            "Invalid method used to get client secret",
            "Client authentication with");

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if ((status != 401 && status != 400) || !(response.getEntity() instanceof OAuth2ErrorRepresentation error)
                || !"unauthorized_client".equals(error.getError()) || error.getErrorDescription() == null
                || CLIENT_AUTHENTICATION_FAILED.stream().noneMatch(error.getErrorDescription()::startsWith)) {
            return;
        }
        response.setStatus(401);
        response.setEntity(new OAuth2ErrorRepresentation("invalid_client", error.getErrorDescription()), null, MediaType.APPLICATION_JSON_TYPE);
        // WWW-Authenticate is added for every such 401 by DocumentedRouteRerouter, in Vert.x
    }
}
