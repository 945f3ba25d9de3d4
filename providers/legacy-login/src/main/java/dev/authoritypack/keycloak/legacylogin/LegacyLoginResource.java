package dev.authoritypack.keycloak.legacylogin;

import dev.authoritypack.keycloak.common.PackRealmResource;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.broker.oidc.OIDCIdentityProviderConfig;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.representations.JsonWebToken;
import org.keycloak.services.Urls;

/**
 * {@code POST /api/login} (docs/legacy-login.md): an Auth0 access token (Bearer) and a Base64 email in, a real Keycloak
 * access token for that user out — issued by Keycloak's {@code TokenManager} for the realm client configured as
 * {@code authority.legacy-login.client}, bound to a new user session (so it is introspectable, revocable, ends
 * with sign-out, shows in the admin console) and signed with the realm's active key.
 *
 * <p>Who may log in whom: a machine token ({@code gty=client-credentials}) whose Auth0 client is on the realm's
 * allow-list and which carries the required scope may log in any user; a user token only its own user (verified
 * email claim, or the Keycloak user linked to its {@code sub} through the identity provider). Holders of
 * administrative roles are refused unless the realm allows it. The token carries only what the client's scopes
 * give (the realm ships it with {@code fullScopeAllowed: false}).
 *
 * <p>The route only puts the steps in order; each job has its class: reading the request ({@link LegacyLoginRequest}),
 * verifying the Auth0 token ({@link Auth0TokenVerifier}) and reading its caller ({@link Auth0Caller}), finding and
 * checking the user ({@link LegacyLoginUsers}), issuing the realm token ({@link LegacyLoginTokens}), answering
 * ({@link LegacyLoginAnswers}: a step refuses by throwing the ready answer).
 */
class LegacyLoginResource extends PackRealmResource {

    private static final Logger LOG = Logger.getLogger(LegacyLoginResource.class);

    LegacyLoginResource(KeycloakSession session) {
        super(session);
    }

    @POST
    public Response login(String body) {
        RealmModel realm = session.getContext().getRealm();
        LegacyLoginSettings settings = LegacyLoginSettings.of(realm);
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.LOGIN).detail("legacy_login", "true");
        LegacyLoginAnswers answers = new LegacyLoginAnswers(event, settings);
        try {
            return login(realm, settings, answers, body);
        } catch (LegacyLoginAnswers.Refused refused) {
            return refused.answer();
        } catch (RuntimeException e) {
            LOG.errorf("legacy login: unexpected %s", e.getClass().getName()); // no message: it could quote the request
            event.detail("reason", "unexpected").error(Errors.INVALID_REQUEST);
            session.getTransactionManager().setRollbackOnly();
            return LegacyLoginAnswers.error(500, "Unknown error");
        }
    }

    /** Read the request, verify the Auth0 token, find the user, issue the realm token, answer. */
    private Response login(RealmModel realm, LegacyLoginSettings settings, LegacyLoginAnswers answers, String body)
            throws LegacyLoginAnswers.Refused {
        LegacyLoginRequest request = LegacyLoginRequest.read(session.getContext().getRequestHeaders(), body, answers);
        Auth0Caller caller = caller(realm, settings, answers, request);
        LegacyLoginUsers users = new LegacyLoginUsers(session, realm, settings, answers);
        UserModel user = users.find(caller, request);
        users.checkLoginAllowed(user);
        ClientModel client = client(realm, settings, answers);
        AccessTokenResponse tokens = LegacyLoginTokens.issue(session, realm, client, user, answers.event());
        return answers.success(tokens, callback(realm, settings), client);
    }

    /**
     * The Auth0 token, verified against the realm's Auth0 identity provider (503 when the realm is not set up for
     * it, 401 when the token is refused), and its caller: a machine token must be allow-listed (401).
     */
    private Auth0Caller caller(RealmModel realm, LegacyLoginSettings settings, LegacyLoginAnswers answers, LegacyLoginRequest request)
            throws LegacyLoginAnswers.Refused {
        OIDCIdentityProviderConfig idp;
        try {
            idp = Auth0TokenVerifier.provider(session, realm, settings);
        } catch (Auth0TokenVerifier.NotConfigured e) {
            LOG.warnf("legacy login refused in realm %s: %s", realm.getName(), e.getMessage());
            throw answers.fail("not_configured", 503, "Unknown error");
        }
        JsonWebToken auth0;
        try {
            auth0 = Auth0TokenVerifier.verify(session, realm, idp, settings, request.bearer());
        } catch (Auth0TokenVerifier.Rejected e) {
            throw answers.unauthorized(e.getMessage(), request.redirectUrl());
        }
        Auth0Caller caller = Auth0Caller.of(auth0);
        answers.event().detail("auth0_client", caller.client() == null ? "" : caller.client());
        if (caller.machine() && !caller.allowedMachine(settings)) {
            throw answers.unauthorized("machine token not allowed", request.redirectUrl());
        }
        return caller;
    }

    /** The realm client the token is issued for; 503 when it is missing or disabled. */
    private ClientModel client(RealmModel realm, LegacyLoginSettings settings, LegacyLoginAnswers answers) throws LegacyLoginAnswers.Refused {
        ClientModel client = realm.getClientByClientId(settings.client());
        if (client == null || !client.isEnabled()) {
            LOG.warnf("legacy login refused in realm %s: client %s is missing or disabled", realm.getName(), settings.client());
            throw answers.fail("not_configured", 503, "Unknown error");
        }
        return client;
    }

    /** The legacy site's callback: the realm setting, else the realm's account console. */
    private String callback(RealmModel realm, LegacyLoginSettings settings) {
        return settings.callbackUrl().isBlank()
                ? Urls.accountBase(session.getContext().getUri().getBaseUri()).build(realm.getName()).toString()
                : settings.callbackUrl();
    }
}
