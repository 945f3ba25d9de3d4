package dev.authoritypack.keycloak.routes;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.theme.FreeMarkerException;
import org.keycloak.theme.Theme;
import org.keycloak.theme.freemarker.FreeMarkerProvider;

import java.io.IOException;
import java.util.Map;

/**
 * The pack's pages (seed 001: sign-in, MFA, password reset, email verification): templates of the realm's login
 * theme, rendered with Keycloak's {@link FreeMarkerProvider}; when that theme lacks the page (a realm on
 * Keycloak's own theme), the page of the pack's {@code authority} theme. Also the content negotiation these pages
 * share: JSON when the request prefers it over HTML.
 */
public final class PackPage {

    public static final String PACK_THEME = "authority";

    private PackPage() {
    }

    /** Renders a template with the pack's common attributes ({@code realmName}, {@code resourcesPath}, {@code error}). */
    public static Response render(KeycloakSession session, String template, int status, Map<String, Object> attributes) {
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

    /** Whether the request prefers {@code application/json} over HTML (a bare {@code *}{@code /*} gets HTML). */
    public static boolean prefersJson(HttpHeaders headers) {
        for (MediaType type : headers.getAcceptableMediaTypes()) { // sorted by preference (q) by JAX-RS
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !type.isWildcardType()) {
                return true;
            }
            if (type.isCompatible(MediaType.TEXT_HTML_TYPE) && !type.isWildcardType()) {
                return false;
            }
        }
        return false;
    }
}
