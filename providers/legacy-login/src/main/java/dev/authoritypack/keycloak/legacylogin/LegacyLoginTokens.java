package dev.authoritypack.keycloak.legacylogin;

import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.UserSessionManager;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;

/**
 * The realm token of {@code /api/login}: a real Keycloak access token, issued by Keycloak's {@link TokenManager} for
 * the configured client and bound to a new user session (so it is introspectable, revocable, ends with sign-out and
 * shows in the admin console), signed with the realm's active key.
 */
final class LegacyLoginTokens {

    private LegacyLoginTokens() {
    }

    static AccessTokenResponse issue(KeycloakSession session, RealmModel realm, ClientModel client, UserModel user, EventBuilder event) {
        AuthenticationSessionManager authSessions = new AuthenticationSessionManager(session);
        RootAuthenticationSessionModel root = authSessions.createAuthenticationSession(realm, false);
        AuthenticationSessionModel authSession = root.createAuthenticationSession(client);
        authSession.setAuthenticatedUser(user);
        authSession.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        authSession.setClientNote(OIDCLoginProtocol.ISSUER, Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, "openid");
        UserSessionModel userSession = new UserSessionManager(session).createUserSession(root.getId(), realm, user, user.getUsername(),
                session.getContext().getConnection().getRemoteAddr(), "legacy-login", false, null, null,
                UserSessionModel.SessionPersistenceState.PERSISTENT);
        // the client session is created here, before Keycloak's attach looks it up: for a session made in this
        // transaction that lookup misses the cache and asks the database for a row that cannot exist yet
        // (profiled: a quarter of this route's time)
        session.sessions().createClientSession(realm, client, userSession);
        ClientSessionContext context = TokenManager.attachAuthenticationSession(session, userSession, authSession);
        authSessions.removeAuthenticationSession(realm, authSession, false);
        return new TokenManager().responseBuilder(realm, client, event, session, userSession, context)
                .generateAccessToken().build();
    }
}
