package dev.authoritypack.keycloak.oauth;

import dev.authoritypack.keycloak.common.Answers;

import dev.authoritypack.keycloak.common.SameOrigin;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserConsentModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.LoginProtocol;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.UserConsentManager;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Seed 001's consent answer: {@code POST /authorize} with the authorization request's parameters and
 * {@code consent_action=approve|deny}. Keycloak answers its consent screen at {@code /login-actions/consent},
 * where any field named {@code cancel} denies and every other POST approves; the pack maps the seed's explicit
 * values onto the same outcome and never reads an unknown value as approval.
 *
 * <p>The binding is Keycloak's own: the browser's authentication-session cookie (scoped to the issuer path) must
 * hold a sign-in of this client that is waiting at the consent step (the {@code OAUTH_GRANT} execution Keycloak
 * records when it shows the screen), for the same {@code redirect_uri}, {@code state} and PKCE challenge; and the
 * POST must not come from another site. Anything else grants nothing. Approval then does what Keycloak's
 * {@code LoginActionsService#processConsent} does with the public pieces it uses: the consent is stored
 * ({@link UserConsentManager}), the authentication session becomes a client session
 * ({@link AuthenticationProcessor#attachSession}) and the browser goes to the client with a code
 * ({@link AuthenticationManager#redirectAfterSuccessfulFlow}); denial is the protocol's {@code access_denied}.
 */
final class ConsentAction {

    static final String FIELD = "consent_action";

    private ConsentAction() {
    }

    static Response answer(KeycloakSession session, MultivaluedMap<String, String> form) {
        String action = form.getFirst(FIELD);
        if (!"approve".equals(action) && !"deny".equals(action)) {
            return error(400, "invalid_request", "consent_action must be approve or deny");
        }
        if (SameOrigin.crossSite(session.getContext().getUri().getBaseUri(), session.getContext().getRequestHeaders())) {
            return error(403, "cross_site_request", "The consent must be given on this site");
        }
        RealmModel realm = session.getContext().getRealm();
        String clientId = form.getFirst(OIDCLoginProtocol.CLIENT_ID_PARAM);
        ClientModel client = clientId == null ? null : realm.getClientByClientId(clientId);
        AuthenticationSessionModel pending = client == null ? null : pending(session, realm, client, form);
        if (pending == null) {
            return error(400, "invalid_request", "No consent is waiting for this authorization request in this browser; start at /authorize");
        }
        session.getContext().setAuthenticationSession(pending);
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection()).event(EventType.LOGIN)
                .client(client).user(pending.getAuthenticatedUser())
                .detail(Details.REDIRECT_URI, pending.getRedirectUri())
                .detail(Details.AUTH_METHOD, pending.getProtocol())
                .detail(Details.CODE_ID, pending.getParentSession().getId());
        if ("deny".equals(action)) {
            LoginProtocol protocol = session.getProvider(LoginProtocol.class, pending.getProtocol());
            protocol.setRealm(realm).setHttpHeaders(session.getContext().getRequestHeaders())
                    .setUriInfo(session.getContext().getUri()).setEventBuilder(event);
            Response denied = protocol.sendError(pending, LoginProtocol.Error.CONSENT_DENIED, null);
            event.error(Errors.REJECTED_BY_USER);
            return denied;
        }
        grant(session, realm, client, pending);
        event.detail(Details.CONSENT, Details.CONSENT_VALUE_CONSENT_GRANTED);
        ClientSessionContext clientSession = AuthenticationProcessor.attachSession(pending, null, session, realm,
                session.getContext().getConnection(), event);
        event.success();
        return AuthenticationManager.redirectAfterSuccessfulFlow(session, realm, clientSession.getClientSession().getUserSession(),
                clientSession, session.getContext().getHttpRequest(), session.getContext().getUri(), session.getContext().getConnection(),
                event, pending);
    }

    /** The browser's sign-in of this client waiting at the consent screen for exactly this request, or null. */
    private static AuthenticationSessionModel pending(KeycloakSession session, RealmModel realm, ClientModel client,
                                                      MultivaluedMap<String, String> form) {
        RootAuthenticationSessionModel root = new AuthenticationSessionManager(session).getCurrentRootAuthenticationSession(realm);
        if (root == null) {
            return null;
        }
        List<AuthenticationSessionModel> matches = new ArrayList<>();
        for (AuthenticationSessionModel candidate : root.getAuthenticationSessions().values()) {
            if (candidate.getClient() != null && candidate.getClient().getId().equals(client.getId())
                    && candidate.getAuthenticatedUser() != null
                    && AuthenticatedClientSessionModel.Action.OAUTH_GRANT.name().equals(candidate.getAuthNote(AuthenticationProcessor.CURRENT_AUTHENTICATION_EXECUTION))
                    && sameParameter(form, candidate, OIDCLoginProtocol.REDIRECT_URI_PARAM)
                    && sameParameter(form, candidate, OIDCLoginProtocol.STATE_PARAM)
                    && sameParameter(form, candidate, OIDCLoginProtocol.CODE_CHALLENGE_PARAM)) {
                matches.add(candidate);
            }
        }
        return matches.size() == 1 ? matches.get(0) : null; // two identical pending requests: which one is unclear
    }

    private static boolean sameParameter(MultivaluedMap<String, String> form, AuthenticationSessionModel authSession, String name) {
        String noted = authSession.getClientNote(name);
        String posted = form.getFirst(name);
        return Objects.equals(noted == null || noted.isEmpty() ? null : noted, posted == null || posted.isEmpty() ? null : posted);
    }

    /**
     * Stores the consent for the scopes shown on the consent screen, as Keycloak's consent action does
     * (LoginActionsService#processConsent), in the form every supported Keycloak line has: the requested client
     * scopes of the pending request, each granted once. The preview feature parameterized-scopes (26.5+: scopes with a
     * parameter, "always ask" scopes) is not supported here: docs/upgrading.md, "Keycloak lines".
     */
    private static void grant(KeycloakSession session, RealmModel realm, ClientModel client, AuthenticationSessionModel pending) {
        UserConsentModel consent = UserConsentManager.getConsentByClient(session, realm, pending.getAuthenticatedUser(), client.getId());
        if (consent == null) {
            consent = new UserConsentModel(client);
            UserConsentManager.addConsent(session, realm, pending.getAuthenticatedUser(), consent);
        }
        boolean changed = false;
        for (String scopeId : pending.getClientScopes()) {
            ClientScopeModel scope = KeycloakModelUtils.findClientScopeById(realm, client, scopeId);
            if (scope != null && scope.isDisplayOnConsentScreen() && !consent.isClientScopeGranted(scope)) {
                consent.addGrantedClientScope(scope);
                changed = true;
            }
        }
        if (changed) {
            UserConsentManager.updateConsent(session, realm, pending.getAuthenticatedUser(), consent);
        }
    }

    static Response error(int status, String error, String description) {
        return Answers.error(status, error, description).build();
    }
}
