package dev.authoritypack.keycloak.legacylogin;

import org.keycloak.representations.JsonWebToken;

import java.util.Arrays;

/**
 * Who called {@code /api/login}, as its verified Auth0 access token says: the Auth0 application ({@code azp}, else
 * {@code client_id}) and whether it is a machine token ({@code gty: client-credentials}) or a user's.
 *
 * @param token   the verified Auth0 access token
 * @param client  the Auth0 application, or {@code null}
 * @param machine whether the token was issued to the application itself (client credentials)
 */
record Auth0Caller(JsonWebToken token, String client, boolean machine) {

    static Auth0Caller of(JsonWebToken token) {
        String client = token.getIssuedFor() != null ? token.getIssuedFor() : claim(token, "client_id");
        return new Auth0Caller(token, client, "client-credentials".equals(claim(token, "gty")));
    }

    /** A machine token of an allow-listed Auth0 application that carries the required scope. */
    boolean allowedMachine(LegacyLoginSettings settings) {
        String scope = claim(token, "scope");
        return client != null && settings.allowedClients().contains(client)
                && scope != null && Arrays.asList(scope.split(" ")).contains(settings.requiredScope());
    }

    /**
     * Whether the token's {@code email} claim is {@code email} (in any case) and the same token says Auth0 verified
     * it ({@code email_verified: true}): open sign-up lets anyone claim any address.
     */
    boolean verifiedEmail(String email) {
        String tokenEmail = claim(token, "email");
        Object verified = token.getOtherClaims().get("email_verified");
        return tokenEmail != null && tokenEmail.equalsIgnoreCase(email) && (Boolean.TRUE.equals(verified) || "true".equals(verified));
    }

    /** The token's {@code sub}: the Auth0 user, or {@code <app>@clients} for a machine token. */
    String subject() {
        return token.getSubject();
    }

    private static String claim(JsonWebToken token, String name) {
        Object v = token.getOtherClaims().get(name);
        return v == null ? null : v.toString();
    }
}
