package dev.authoritypack.keycloak.oauth;

import dev.authoritypack.keycloak.common.BasicClientId;
import dev.authoritypack.keycloak.common.VertxRequest;
import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.OAuth2Constants;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.JsonWebToken;

/**
 * The {@code WWW-Authenticate} challenge of a failed client authentication, naming the method the client is
 * registered for ({@code Basic} for a client secret; {@code private_key_jwt}, {@code client_secret_jwt} or
 * {@code tls_client_auth} for Keycloak's other client authenticators; {@code Basic} when the client is unknown), so a
 * developer sees what the server expects. Kept on the Vert.x routing context, where routes'
 * {@code DocumentedRouteRerouter} writes it on the 401.
 */
public final class ClientChallenge {

    /** Routing-context key of the challenge. */
    public static final String KEY = "dev.authoritypack.keycloak.clientChallenge";

    private ClientChallenge() {
    }

    /** The challenge for the client the current request names (by Basic header, client assertion or client_id). */
    static String of(KeycloakSession session) {
        RealmModel realm = session.getContext().getRealm();
        String realmName = realm == null ? "" : realm.getName();
        String clientId = clientId(session);
        ClientModel client = realm == null || clientId == null ? null : realm.getClientByClientId(clientId);
        String scheme = client == null ? "Basic" : scheme(client.getClientAuthenticatorType());
        return scheme + " realm=\"" + realmName.replaceAll("[^A-Za-z0-9._~-]", "_") + "\"";
    }

    /** RFC 6749 §2.3 / OpenID Connect Core §9 names of Keycloak's client authenticators. */
    static String scheme(String authenticatorType) {
        if (authenticatorType == null) {
            return "Basic";
        }
        return switch (authenticatorType) {
            case "client-jwt" -> "private_key_jwt";
            case "client-secret-jwt" -> "client_secret_jwt";
            case "client-x509" -> "tls_client_auth";
            default -> "Basic";
        };
    }

    private static String clientId(KeycloakSession session) {
        String authorization = session.getContext().getRequestHeaders().getHeaderString("Authorization");
        if (BasicClientId.isBasic(authorization)) {
            return BasicClientId.of(authorization); // a Basic header, readable or not, is the client's only word
        }
        MultivaluedMap<String, String> form = session.getContext().getHttpRequest().getDecodedFormParameters();
        String assertion = form.getFirst(OAuth2Constants.CLIENT_ASSERTION);
        if (assertion != null) {
            try {
                return new JWSInput(assertion).readJsonContent(JsonWebToken.class).getSubject();
            } catch (Exception unreadable) { // any parser failure: the assertion names no client
                return form.getFirst(OAuth2Constants.CLIENT_ID);
            }
        }
        return form.getFirst(OAuth2Constants.CLIENT_ID);
    }

    /** Keeps the challenge for the current Vert.x request; a no-op outside one. */
    static void remember(KeycloakSession session) {
        String challenge;
        try {
            challenge = of(session);
        } catch (RuntimeException unreadable) { // the request names no client we can read: the default challenge stays
            return;
        }
        VertxRequest.put(KEY, challenge);
    }
}
