package dev.authoritypack.keycloak.signin;

import dev.authoritypack.keycloak.common.KeycloakLines;
import dev.authoritypack.keycloak.common.PackRealmResource;

import dev.authoritypack.keycloak.common.Answers;
import dev.authoritypack.keycloak.common.RealmUrls;

import dev.authoritypack.keycloak.common.SameOrigin;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * {@code POST /signout}: ends the SSO session with Keycloak's own logout (its tokens stop being active), expires
 * the cookies and redirects to the sign-in page.
 *
 * <p>Cross-site requests are refused by an Origin check (Referer when a client sends no Origin): browsers send
 * {@code Origin} on every cross-site POST, so a page elsewhere cannot sign the user out. A request with neither
 * header (curl, a server) cannot come from a browser and is accepted.
 */
class SignoutResource extends PackRealmResource {

    SignoutResource(KeycloakSession session) {
        super(session);
    }

    @POST
    public Response signout() {
        HttpHeaders headers = session.getContext().getRequestHeaders();
        if (SameOrigin.crossSite(session.getContext().getUri().getBaseUri(), headers)) {
            return Answers.error(403, "cross_site_request", "Sign-out must come from this site").build();
        }
        RealmModel realm = session.getContext().getRealm();
        AuthenticationManager.AuthResult auth = AuthenticationManager.authenticateIdentityCookie(session, realm, false);
        if (auth != null && KeycloakLines.session(auth) != null) {
            AuthenticationManager.backchannelLogout(session, realm, KeycloakLines.session(auth), session.getContext().getUri(),
                    session.getContext().getConnection(), headers, true);
        }
        AuthenticationManager.expireIdentityCookie(session);
        AuthenticationManager.expireRememberMeCookie(session);
        return Answers.redirect(RealmUrls.path(session, "signin"), false);
    }
}
