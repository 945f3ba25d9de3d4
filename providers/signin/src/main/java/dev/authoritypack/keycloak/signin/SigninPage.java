package dev.authoritypack.keycloak.signin;

import dev.authoritypack.keycloak.common.PackPage;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;

import java.util.HashMap;
import java.util.Map;

/**
 * The sign-in page ({@code signin.ftl} of the realm's login theme, through {@link PackPage}) with its form
 * token, forward target and social sign-in buttons.
 */
final class SigninPage {

    private SigninPage() {
    }

    /** {@code error}: none (null), a message key ({@link PackPage#key}) or a text already in the page's language. */
    static Response render(KeycloakSession session, int status, String action, String forwardUrl, String csrfToken, String error) {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("csrfToken", csrfToken);
        attributes.put("signinAction", action);
        attributes.put("forgotPasswordUrl", action.replaceAll("/signin$", "/forgot-password"));
        attributes.put("forwardUrl", forwardUrl == null ? "" : forwardUrl);
        attributes.put("error", error == null ? "" : error);
        attributes.put("socialProviders", SocialSignin.buttons(session, forwardUrl));
        return PackPage.render(session, "signin.ftl", status, attributes);
    }
}
