package dev.authoritypack.keycloak.signin;

import dev.authoritypack.keycloak.routes.PackPage;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;

import java.util.HashMap;
import java.util.Map;

/**
 * Renders the pack's pages ({@code signin.ftl}, {@code mfa-*.ftl}) of the realm's login theme; when that theme
 * lacks the page (a realm on Keycloak's own theme), the page of the pack's {@code authority} theme.
 */
final class SigninPage {

    private SigninPage() {
    }

    static Response render(KeycloakSession session, int status, String action, String forwardUrl, String csrfToken, String error) {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("csrfToken", csrfToken);
        attributes.put("signinAction", action);
        attributes.put("forgotPasswordUrl", action.replaceAll("/signin$", "/forgot-password"));
        attributes.put("forwardUrl", forwardUrl == null ? "" : forwardUrl);
        attributes.put("error", error == null ? "" : error);
        attributes.put("socialProviders", SocialSignin.buttons(session, forwardUrl));
        return render(session, "signin.ftl", status, attributes);
    }

    /** Renders a template of the realm's login theme with the pack's common attributes. */
    static Response render(KeycloakSession session, String template, int status, Map<String, Object> attributes) {
        return PackPage.render(session, template, status, attributes);
    }
}
