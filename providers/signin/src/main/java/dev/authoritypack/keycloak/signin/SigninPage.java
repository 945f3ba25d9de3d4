package dev.authoritypack.keycloak.signin;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.theme.FreeMarkerException;
import org.keycloak.theme.Theme;
import org.keycloak.theme.freemarker.FreeMarkerProvider;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders the pack's pages ({@code signin.ftl}, {@code mfa-*.ftl}) of the realm's login theme; when that theme
 * lacks the page (a realm on Keycloak's own theme), the page of the pack's {@code authority} theme.
 */
final class SigninPage {

    private SigninPage() {
    }

    static final String PACK_THEME = "authority";

    static Response render(KeycloakSession session, int status, String action, String forwardUrl, String csrfToken, String error) {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("csrfToken", csrfToken);
        attributes.put("signinAction", action);
        attributes.put("forgotPasswordUrl", action.replaceAll("/signin$", "/forgot-password"));
        attributes.put("forwardUrl", forwardUrl == null ? "" : forwardUrl);
        attributes.put("error", error == null ? "" : error);
        return render(session, "signin.ftl", status, attributes);
    }

    /** Renders a template of the realm's login theme with the pack's common attributes. */
    static Response render(KeycloakSession session, String template, int status, Map<String, Object> attributes) {
        RealmModel realm = session.getContext().getRealm();
        try {
            Theme theme = session.theme().getTheme(Theme.Type.LOGIN);
            if (theme.getTemplate(template) == null) {
                theme = session.theme().getTheme(PACK_THEME, Theme.Type.LOGIN);
            }
            attributes.put("realmName", realm.getDisplayName() == null ? realm.getName() : realm.getDisplayName());
            attributes.putIfAbsent("error", "");
            attributes.put("resourcesPath", session.getContext().getUri().getBaseUri().getPath().replaceAll("/$", "")
                    + "/resources/" + org.keycloak.common.Version.RESOURCES_VERSION + "/login/" + theme.getName());
            String html = session.getProvider(FreeMarkerProvider.class).processTemplate(attributes, template, theme);
            return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                    .header("Cache-Control", "no-store").entity(html).build();
        } catch (IOException | FreeMarkerException e) {
            throw new IllegalStateException("cannot render " + template + " of the realm's login theme; is it the authority theme?", e);
        }
    }
}
