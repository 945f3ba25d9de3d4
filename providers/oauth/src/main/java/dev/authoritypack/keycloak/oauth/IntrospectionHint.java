package dev.authoritypack.keycloak.oauth;

import jakarta.ws.rs.core.MultivaluedMap;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.representations.JsonWebToken;
import org.keycloak.util.TokenUtil;

import java.util.List;

/**
 * {@code token_type_hint} of an introspection request, corrected from the token itself. RFC 7662 §2.1: the hint is
 * optional, and a server that does not find the token under it searches its other token types. Keycloak picks its
 * introspection provider by the hint alone (access token when absent), so a refresh token without a hint, or with
 * {@code access_token}, reads as inactive. Keycloak's tokens name their kind in their {@code typ} claim
 * ({@link TokenUtil#TOKEN_TYPE_REFRESH}, {@link TokenUtil#TOKEN_TYPE_OFFLINE}, {@link TokenUtil#TOKEN_TYPE_BEARER}):
 * read without verification here, only to pick the provider — which then verifies everything. One call to
 * Keycloak's endpoint whatever the hint; a token that is not a readable JWT keeps the hint it came with.
 */
final class IntrospectionHint {

    static final String PARAM = "token_type_hint";

    private IntrospectionHint() {
    }

    /**
     * Sets the form's hint to the kind the token says it is; a hint Keycloak has no provider for (anything but
     * {@code access_token} and {@code refresh_token}) is dropped rather than refused, as RFC 7662 lets a server ignore it.
     */
    static void correct(MultivaluedMap<String, String> form) {
        String kind = kind(form.getFirst("token"));
        if (kind != null) {
            form.putSingle(PARAM, kind);
        } else if (form.containsKey(PARAM) && !List.of("access_token", "refresh_token").contains(form.getFirst(PARAM))) {
            form.remove(PARAM);
        }
    }

    /** {@code refresh_token} or {@code access_token} for a Keycloak token of that kind, else {@code null}. */
    static String kind(String token) {
        if (token == null || token.isBlank() || token.length() > 16_384) {
            return null;
        }
        String typ;
        try {
            typ = new JWSInput(token).readJsonContent(JsonWebToken.class).getType();
        } catch (Exception unreadable) { // not a JWT, or not JSON inside: Keycloak answers it as it comes
            return null;
        }
        if (TokenUtil.TOKEN_TYPE_REFRESH.equals(typ) || TokenUtil.TOKEN_TYPE_OFFLINE.equals(typ)) {
            return "refresh_token";
        }
        return TokenUtil.TOKEN_TYPE_BEARER.equals(typ) ? "access_token" : null;
    }
}
