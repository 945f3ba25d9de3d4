package dev.authoritypack.keycloak.oauth;

import org.keycloak.OAuth2Constants;
import org.keycloak.OAuthErrorException;
import org.keycloak.protocol.oidc.endpoints.request.AuthorizationEndpointRequest;
import org.keycloak.protocol.oidc.utils.OIDCResponseType;
import org.keycloak.representations.idm.ClientPolicyExecutorConfigurationRepresentation;
import org.keycloak.services.clientpolicy.ClientPolicyContext;
import org.keycloak.services.clientpolicy.ClientPolicyEvent;
import org.keycloak.services.clientpolicy.ClientPolicyException;
import org.keycloak.services.clientpolicy.context.AuthorizationRequestContext;
import org.keycloak.services.clientpolicy.executor.ClientPolicyExecutorProvider;

/**
 * Requires PKCE on authorization-code requests, accepting {@code S256} and {@code plain} as docs/routes.md documents.
 *
 * <p>Keycloak's own {@code pkce-enforcer} accepts S256 only. This executor checks presence and method; the
 * challenge format and the {@code code_verifier} at the token endpoint are checked by Keycloak's PKCE code,
 * which runs whenever a challenge was sent.
 */
final class PkceRequiredExecutor implements ClientPolicyExecutorProvider<ClientPolicyExecutorConfigurationRepresentation> {

    @Override
    public String getProviderId() {
        return PkceRequiredExecutorFactory.PROVIDER_ID;
    }

    @Override
    public void executeOnEvent(ClientPolicyContext context) throws ClientPolicyException {
        if (context.getEvent() != ClientPolicyEvent.AUTHORIZATION_REQUEST) {
            return;
        }
        AuthorizationRequestContext authz = (AuthorizationRequestContext) context;
        // parsed here from the request: the context's getter is getparsedResponseType() up to 26.4 and
        // getParsedResponseType() from 26.5 (docs/upgrading.md, "Keycloak lines")
        String requested = authz.getAuthorizationEndpointRequest().getResponseType();
        if (requested == null || !OIDCResponseType.parse(requested).hasResponseType(OIDCResponseType.CODE)) {
            return; // implicit flows have no code to protect
        }
        check(authz.getAuthorizationEndpointRequest());
    }

    static void check(AuthorizationEndpointRequest request) throws ClientPolicyException {
        if (request.getCodeChallenge() == null || request.getCodeChallenge().isBlank()) {
            throw new ClientPolicyException(OAuthErrorException.INVALID_REQUEST,
                    "PKCE is required for public clients: send code_challenge and code_challenge_method (S256 or plain)");
        }
        String method = request.getCodeChallengeMethod();
        if (method != null && !OAuth2Constants.PKCE_METHOD_S256.equals(method) && !OAuth2Constants.PKCE_METHOD_PLAIN.equals(method)) {
            throw new ClientPolicyException(OAuthErrorException.INVALID_REQUEST,
                    "code_challenge_method must be S256 or plain");
        }
    }
}
