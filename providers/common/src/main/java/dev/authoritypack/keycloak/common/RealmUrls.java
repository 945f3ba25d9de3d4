package dev.authoritypack.keycloak.common;

import org.keycloak.models.KeycloakSession;

/**
 * Addresses of the current realm's routes under its issuer ({@code /realms/{realm}/…}) on the host the request
 * came to. Pages link there even when served at the host root: the realm's cookies are scoped to
 * {@code /realms/{realm}/}.
 */
public final class RealmUrls {

    private RealmUrls() {
    }

    /** The raw path of a route of the current realm, for links and redirects on the same host. */
    public static String path(KeycloakSession session, String route) {
        return session.getContext().getUri().getBaseUriBuilder().path("realms").path(session.getContext().getRealm().getName())
                .path(route).build().getRawPath();
    }

    /** The absolute URL of a route of the current realm. */
    public static String url(KeycloakSession session, String route) {
        return session.getContext().getUri().getBaseUriBuilder().path("realms").path(session.getContext().getRealm().getName())
                .path(route).build().toString();
    }
}
