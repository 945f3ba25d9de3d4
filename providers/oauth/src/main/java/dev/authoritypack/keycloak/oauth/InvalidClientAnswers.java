package dev.authoritypack.keycloak.oauth;

import dev.authoritypack.keycloak.common.PackRealms;

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
 * parser's exception text in the description. Why the client failed goes to the server's debug log only. Which
 * answers are client-authentication failures is decided by Keycloak's wording ({@link #clientAuthenticationFailed}).
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
    /**
     * How Keycloak 26.7's client authenticators ({@code ClientIdAndSecretAuthenticator}, {@code JWTClientAuthenticator},
     * {@code JWTClientSecretAuthenticator}) and its introspection endpoint word a failed client authentication. Only
     * these are converted: Keycloak also says {@code invalid_client} for things that are no authentication of the
     * caller (token exchange: "Audience not found", "Client disabled"; "Bearer-only not allowed"), which stay as they are.
     */
    private static final List<String> CLIENT_AUTHENTICATION_FAILED = List.of(
            "Invalid client or Invalid client credentials",
            "Invalid method used to get client secret",
            "Client authentication with",
            "Unable to load public key",
            "Missing client_id parameter",
            "Client authentication failed");

    /** Injected as into Keycloak's own error handler. */
    @Context
    KeycloakSession session;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if ((status != 401 && status != 400) || !PackRealms.isApplied(session) || !(response.getEntity() instanceof OAuth2ErrorRepresentation error)
                || !clientAuthenticationFailed(status, error)) {
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

    /** A 401 {@code invalid_client}, or an {@code invalid_client}/{@code unauthorized_client} in the wording above. */
    static boolean clientAuthenticationFailed(int status, OAuth2ErrorRepresentation error) {
        String description = error.getErrorDescription();
        boolean worded = description != null && CLIENT_AUTHENTICATION_FAILED.stream().anyMatch(description::startsWith);
        if ("invalid_client".equals(error.getError())) {
            return status == 401 || worded;
        }
        return "unauthorized_client".equals(error.getError()) && worded;
    }
}
