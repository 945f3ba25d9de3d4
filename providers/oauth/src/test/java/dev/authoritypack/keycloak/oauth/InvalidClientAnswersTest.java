package dev.authoritypack.keycloak.oauth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class InvalidClientAnswersTest {

    @Test
    void challengesNameTheRegisteredMethod() {
        assertEquals("Basic", ClientChallenge.scheme("client-secret"));
        assertEquals("private_key_jwt", ClientChallenge.scheme("client-jwt"));
        assertEquals("client_secret_jwt", ClientChallenge.scheme("client-secret-jwt"));
        assertEquals("tls_client_auth", ClientChallenge.scheme("client-x509"));
        assertEquals("Basic", ClientChallenge.scheme(null));
    }

    @Test
    void onlyClientAuthenticationFailuresAreConverted() {
        java.util.function.BiFunction<String, String, org.keycloak.representations.idm.OAuth2ErrorRepresentation> e =
                org.keycloak.representations.idm.OAuth2ErrorRepresentation::new;
        org.junit.jupiter.api.Assertions.assertTrue(InvalidClientAnswers.clientAuthenticationFailed(400,
                e.apply("invalid_client", "Client authentication with signed JWT failed: com.fasterxml.jackson.core.JsonParseException: x")));
        org.junit.jupiter.api.Assertions.assertTrue(InvalidClientAnswers.clientAuthenticationFailed(400, e.apply("invalid_client", "Unable to load public key")));
        org.junit.jupiter.api.Assertions.assertTrue(InvalidClientAnswers.clientAuthenticationFailed(401, e.apply("invalid_client", "anything")));
        org.junit.jupiter.api.Assertions.assertTrue(InvalidClientAnswers.clientAuthenticationFailed(401,
                e.apply("unauthorized_client", "Invalid client or Invalid client credentials")));
        // token exchange and bearer-only clients: invalid_client, but no failed authentication of the caller
        assertFalse(InvalidClientAnswers.clientAuthenticationFailed(400, e.apply("invalid_client", "Audience not found")));
        assertFalse(InvalidClientAnswers.clientAuthenticationFailed(400, e.apply("invalid_client", "Client disabled")));
        assertFalse(InvalidClientAnswers.clientAuthenticationFailed(400, e.apply("invalid_client", "Bearer-only not allowed")));
        // a grant the authenticated client may not use stays unauthorized_client
        assertFalse(InvalidClientAnswers.clientAuthenticationFailed(400, e.apply("unauthorized_client", "Client not allowed for direct access grants")));
    }
}
