package dev.authoritypack.keycloak.signin;

import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.resources.LoginActionsService;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * How the pack's routes drive the realm's browser flow, as Keycloak's authorization endpoint and
 * {@link LoginActionsService} do: start an authentication session of this browser, run the flow's steps for it
 * with a translated request, and let the flow end in the account client's redirect, which the caller replaces by
 * its own target. Used by the password sign-in ({@code /signin}), the social sign-in, the second factor
 * ({@code /mfa/verify}) and account linking.
 */
public final class SigninFlow {

    /** Auth-session note with the allowed forward target, read again after the second factor. */
    public static final String FORWARD_NOTE = "authority.signin.forward";

    private SigninFlow() {
    }

    /** The realm's browser flow, run for a pending authentication session with the given (translated) request. */
    public static AuthenticationProcessor processor(KeycloakSession session, RealmModel realm, AuthenticationSessionModel authSession,
                                             HttpRequest request, String route) {
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection()).event(EventType.LOGIN)
                .detail("signin_route", route);
        return new AuthenticationProcessor()
                .setAuthenticationSession(authSession)
                .setFlowId(realm.getBrowserFlow().getId())
                .setFlowPath(LoginActionsService.AUTHENTICATE_PATH)
                .setBrowserFlow(true)
                .setConnection(session.getContext().getConnection())
                .setEventBuilder(event)
                .setRealm(realm)
                .setSession(session)
                .setUriInfo(session.getContext().getUri())
                .setRequest(request);
    }

    /**
     * A new authentication session of this browser (Keycloak's auth-session cookie) for the client, set up as an
     * OIDC code request would leave it, whose completed flow redirects to {@code redirect}: what Keycloak's
     * authorization endpoint does before it runs the browser flow. Shared by the password and the social sign-in.
     */
    public static AuthenticationSessionModel startAuthenticationSession(KeycloakSession session, ClientModel client, String redirect) {
        RealmModel realm = session.getContext().getRealm();
        AuthenticationSessionModel authSession = new AuthenticationSessionManager(session)
                .createAuthenticationSession(realm, true).createAuthenticationSession(client);
        authSession.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        authSession.setAction(AuthenticationSessionModel.Action.AUTHENTICATE.name());
        authSession.setRedirectUri(redirect);
        authSession.setClientNote(OIDCLoginProtocol.REDIRECT_URI_PARAM, redirect);
        authSession.setClientNote(OIDCLoginProtocol.RESPONSE_TYPE_PARAM, "code");
        authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, "openid");
        authSession.setClientNote(OIDCLoginProtocol.ISSUER, Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        return authSession;
    }

    /** Where the flow sends a completed sign-in (the account client's redirect), replaced by the forward target. */
    public static String accountRedirect(KeycloakSession session) {
        return Urls.accountBase(session.getContext().getUri().getBaseUri()).build(session.getContext().getRealm().getName()).toString();
    }
}
