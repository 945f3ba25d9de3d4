package dev.authoritypack.keycloak.signin;

import dev.authoritypack.keycloak.common.RealmUrls;

import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.Response;
import org.keycloak.common.util.SecretGenerator;
import org.keycloak.models.KeycloakSession;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Binds the sign-in form to the browser that loaded it (login-CSRF protection of {@code POST /signin}), without
 * server state: {@code GET /signin} puts a random token in a cookie ({@code HttpOnly}, {@code SameSite=Strict},
 * scoped to the realm's path like Keycloak's own cookies) and in the form; the POST must present both, equal.
 * Another site can neither read the cookie nor make the browser send it with a cross-site POST.
 */
final class SigninCsrf {

    static final String COOKIE = "AUTHORITY_SIGNIN_CSRF";
    static final String FIELD = "csrf_token";

    private SigninCsrf() {
    }

    /** The token of this browser's cookie, when it has a well-formed one. */
    static Optional<String> current(KeycloakSession session) {
        Cookie cookie = session.getContext().getRequestHeaders().getCookies().get(COOKIE);
        return cookie == null || cookie.getValue() == null || !cookie.getValue().matches("[A-Za-z0-9]{32}")
                ? Optional.empty() : Optional.of(cookie.getValue());
    }

    /** The browser's token, or a new one; {@link #setCookie} puts it on the answer. */
    static String tokenFor(KeycloakSession session) {
        return current(session).orElseGet(() -> SecretGenerator.getInstance().randomString(32));
    }

    static Response.ResponseBuilder setCookie(Response.ResponseBuilder r, KeycloakSession session, String token) {
        URI base = session.getContext().getUri().getBaseUri();
        String path = RealmUrls.path(session, "");
        return r.header("Set-Cookie", COOKIE + "=" + token + "; Path=" + (path.endsWith("/") ? path : path + "/")
                + "; HttpOnly; SameSite=Strict" + ("https".equalsIgnoreCase(base.getScheme()) ? "; Secure" : ""));
    }

    /** The form's token equals the cookie's. */
    static boolean matches(KeycloakSession session, String presented) {
        Optional<String> expected = current(session);
        return expected.isPresent() && presented != null
                && MessageDigest.isEqual(expected.get().getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
