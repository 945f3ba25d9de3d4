package dev.authoritypack.keycloak.signin;

import dev.authoritypack.keycloak.routes.SameOrigin;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.resource.RealmResourceProvider;

import java.net.URI;
import java.util.Map;

/**
 * {@code POST /signout}: ends the SSO session with Keycloak's own logout (its tokens stop being active), expires
 * the cookies and redirects to the sign-in page.
 *
 * <p>Cross-site requests are refused by an Origin check (Referer when a client sends no Origin): browsers send
 * {@code Origin} on every cross-site POST, so a page elsewhere cannot sign the user out. A request with neither
 * header (curl, a server) cannot come from a browser and is accepted.
 */
class SignoutResource implements RealmResourceProvider {

    private final KeycloakSession session;

    SignoutResource(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public Object getResource() {
        return this;
    }

    @POST
    public Response signout() {
        HttpHeaders headers = session.getContext().getRequestHeaders();
        if (SameOrigin.crossSite(session.getContext().getUri().getBaseUri(), headers)) {
            return Response.status(Response.Status.FORBIDDEN).type(MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store")
                    .entity(Map.of("error", "cross_site_request", "error_description", "Sign-out must come from this site"))
                    .build();
        }
        RealmModel realm = session.getContext().getRealm();
        AuthenticationManager.AuthResult auth = AuthenticationManager.authenticateIdentityCookie(session, realm, false);
        if (auth != null && auth.session() != null) {
            AuthenticationManager.backchannelLogout(session, realm, auth.session(), session.getContext().getUri(),
                    session.getContext().getConnection(), headers, true);
        }
        AuthenticationManager.expireIdentityCookie(session);
        AuthenticationManager.expireRememberMeCookie(session);
        URI signin = session.getContext().getUri().getBaseUriBuilder().path("realms").path(realm.getName()).path("signin").build();
        return Response.status(Response.Status.FOUND).location(signin).header("Cache-Control", "no-store").build();
    }

    @Override
    public void close() {
    }
}
