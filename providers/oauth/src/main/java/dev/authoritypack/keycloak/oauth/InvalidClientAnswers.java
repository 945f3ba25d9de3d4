package dev.authoritypack.keycloak.oauth;

import dev.authoritypack.keycloak.common.Answers;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;

import java.util.List;

/**
 * One answer for every client that fails to authenticate, at every route that authenticates clients (documented
 * routes at both bases and Keycloak's own paths of the same endpoints): {@code 401 invalid_client}, a fixed
 * description, and {@code WWW-Authenticate} naming the method the client is registered for (RFC 6749 §5.2). Keycloak
 * answers differently by method: its secret authenticator says {@code unauthorized_client} (which RFC 6749 reserves
 * for an authenticated client that may not use a grant), its JWT authenticators {@code 400 invalid_client} with the
 * parser's exception text in the description. Why the client failed goes to the server's debug log only.
 *
 * <p>Every other {@code unauthorized_client} (a grant the client may not use) stays as it is. The challenge header is
 * written in Vert.x by routes' {@code DocumentedRouteRerouter} from {@link ClientChallenge}: a header set here does
 * not reach answers that Keycloak throws as exceptions. InvalidClientIT fails if a Keycloak upgrade changes the
 * answers this relies on.
 */
@Provider
public class InvalidClientAnswers implements ContainerResponseFilter {

    public static final String DESCRIPTION = "Client authentication failed";
    private static final Logger LOG = Logger.getLogger(InvalidClientAnswers.class);
    /** Descriptions Keycloak 26.7 gives with {@code unauthorized_client} when client authentication itself failed. */
    private static final List<String> CLIENT_AUTHENTICATION_FAILED = List.of(
            "Invalid client or Invalid client credentials",
            "Invalid method used to get client secret",
            "Client authentication with");

    /** Injected as into Keycloak's own error handler. */
    @Context
    KeycloakSession session;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if ((status != 401 && status != 400) || !(response.getEntity() instanceof OAuth2ErrorRepresentation error)
                || !clientAuthenticationFailed(error)) {
            return;
        }
        LOG.debugf("client authentication failed at %s: %s %s", request.getUriInfo().getPath(), error.getError(), error.getErrorDescription());
        response.setStatus(401);
        response.setEntity(new OAuth2ErrorRepresentation("invalid_client", DESCRIPTION), null, MediaType.APPLICATION_JSON_TYPE);
        response.getHeaders().putSingle("Cache-Control", Answers.NO_STORE);
        if (session != null) {
            ClientChallenge.remember(session);
        }
    }

    static boolean clientAuthenticationFailed(OAuth2ErrorRepresentation error) {
        if ("invalid_client".equals(error.getError())) {
            return true;
        }
        return "unauthorized_client".equals(error.getError()) && error.getErrorDescription() != null
                && CLIENT_AUTHENTICATION_FAILED.stream().anyMatch(error.getErrorDescription()::startsWith);
    }
}
