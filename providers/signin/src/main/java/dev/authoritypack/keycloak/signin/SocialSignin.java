package dev.authoritypack.keycloak.signin;

import dev.authoritypack.keycloak.common.Answers;

import dev.authoritypack.keycloak.common.RealmUrls;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.broker.provider.IdpLinkAction;
import org.keycloak.common.util.SecretGenerator;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.IdentityProviderStorageProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.utils.PkceUtils;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.ClientSessionCode;
import org.keycloak.services.util.AuthenticationFlowURLHelper;
import org.keycloak.sessions.AuthenticationSessionModel;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Social sign-in from the pack's {@code /signin} page: a button per identity provider the realm offers at sign-in,
 * handing the browser to Keycloak's identity brokering ({@code IdentityBrokerService}, {@code /broker/{alias}/login}),
 * which signs in or, the first time, creates or links the account through the realm's first-broker-login flow.
 *
 * <p>Keycloak's broker needs an authentication session of a client: like the password sign-in, the pack starts one
 * for the {@code account} client, whose final redirect comes back to {@code /signin/complete} with the allowed
 * {@code forward_url} as its {@code state}. The authorization code of that redirect is useless: its PKCE verifier
 * was never kept. Linking another provider to a signed-in account from {@code /profile} runs Keycloak's
 * account-linking action the same way.
 */
public final class SocialSignin {

    static final String COMPLETE_PATH = "signin/complete";

    private SocialSignin() {
    }

    /** The realm's identity providers offered at sign-in: enabled, not hidden, not tied to an organization. */
    public static List<IdentityProviderModel> offered(KeycloakSession session) {
        return session.identityProviders().getForLogin(IdentityProviderStorageProvider.FetchMode.REALM_ONLY, null).toList();
    }

    public static boolean isOffered(KeycloakSession session, String alias) {
        return offered(session).stream().anyMatch(idp -> idp.getAlias().equals(alias));
    }

    public static Response notOffered() {
        return Answers.error(404, "unknown_identity_provider", "This realm offers no sign-in with that provider").build();
    }

    /** The buttons of the sign-in page: label and the URL that starts the provider's sign-in. */
    static List<Map<String, String>> buttons(KeycloakSession session, String forwardParam) {
        String forward = forwardParam == null || forwardParam.isBlank() ? ""
                : "?forward_url=" + URLEncoder.encode(forwardParam, StandardCharsets.UTF_8);
        return offered(session).stream().map(idp -> {
            Map<String, String> button = new LinkedHashMap<>();
            button.put("alias", idp.getAlias());
            button.put("name", KeycloakModelUtils.getIdentityProviderDisplayName(session, idp));
            button.put("url", RealmUrls.path(session, "signin/social/" + idp.getAlias()) + forward);
            return button;
        }).toList();
    }

    /** GET /signin/social/{alias}: to Keycloak's broker, or 404 for a provider the realm does not offer. */
    static Response start(KeycloakSession session, String alias, String forwardParam) {
        RealmModel realm = session.getContext().getRealm();
        if (!isOffered(session, alias)) {
            return notOffered();
        }
        String forward = ForwardUrl.allowed(realm, forwardParam).isPresent() ? forwardParam.trim() : "";
        ClientModel client = realm.getClientByClientId(Constants.ACCOUNT_MANAGEMENT_CLIENT_ID);
        AuthenticationSessionModel authSession = authenticationSession(session, client, forward);
        URI base = session.getContext().getUri().getBaseUri();
        String code = new ClientSessionCode<>(session, realm, authSession).getOrGenerateCode();
        URI broker = Urls.identityProviderAuthnRequest(base, alias, realm.getName(), code, client.getClientId(),
                authSession.getTabId(), AuthenticationProcessor.getClientData(session, authSession), null);
        return Response.status(Response.Status.FOUND).location(broker).header(HttpHeaders.CACHE_CONTROL, Answers.NO_STORE).build();
    }

    /**
     * GET /profile/link/{alias}: Keycloak's account-linking action ({@code kc_action=idp_link}, {@code IdpLinkAction})
     * for the signed-in user, as an application-initiated action of the {@code account-console} client (which holds
     * the {@code manage-account} scope the action asks for): Keycloak asks the user to confirm, signs in at the
     * provider and links the account; the flow ends on the profile. The caller has checked that the realm offers
     * the provider and the user has no link to it yet.
     */
    public static Response startLinking(KeycloakSession session, String alias) {
        RealmModel realm = session.getContext().getRealm();
        String profile = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(RealmUrls.path(session, "profile").getBytes(StandardCharsets.UTF_8));
        AuthenticationSessionModel authSession = authenticationSession(session,
                realm.getClientByClientId(Constants.ACCOUNT_CONSOLE_CLIENT_ID), profile);
        authSession.setClientNote(Constants.KC_ACTION, IdpLinkAction.PROVIDER_ID);
        authSession.setClientNote(Constants.KC_ACTION_PARAMETER, alias);
        // the realm's browser flow: its cookie step recognises the signed-in user, then the action runs
        URI flow = new AuthenticationFlowURLHelper(session, realm, session.getContext().getUri()).getLastExecutionUrl(authSession);
        return Response.status(Response.Status.FOUND).location(flow).header(HttpHeaders.CACHE_CONTROL, Answers.NO_STORE).build();
    }

    /**
     * A new authentication session of the client whose final redirect is /signin/complete with the forward target
     * as its state; the code appended to that redirect cannot be exchanged (nobody keeps the PKCE verifier).
     */
    private static AuthenticationSessionModel authenticationSession(KeycloakSession session, ClientModel client, String forward) {
        String redirect = session.getContext().getUri().getBaseUriBuilder().path("realms").path(session.getContext().getRealm().getName())
                .path(COMPLETE_PATH).build().toString();
        AuthenticationSessionModel authSession = SigninFlow.startAuthenticationSession(session, client, redirect);
        authSession.setClientNote(OIDCLoginProtocol.STATE_PARAM, forward);
        authSession.setClientNote(OIDCLoginProtocol.CODE_CHALLENGE_PARAM,
                PkceUtils.generateS256CodeChallenge(SecretGenerator.getInstance().randomString(64)));
        authSession.setClientNote(OIDCLoginProtocol.CODE_CHALLENGE_METHOD_PARAM, OAuth2Constants.PKCE_METHOD_S256);
        return authSession;
    }

    /**
     * GET /signin/complete: where a social sign-in ends. Signed in (Keycloak's SSO cookie), on to the allowed
     * forward target or the profile; else back to the sign-in page. Reads the session, changes nothing.
     */
    static Response complete(KeycloakSession session, String state) {
        RealmModel realm = session.getContext().getRealm();
        boolean signedIn = AuthenticationManager.authenticateIdentityCookie(session, realm, true) != null;
        String target = signedIn ? ForwardUrl.allowed(realm, state).orElse(RealmUrls.path(session, "profile"))
                : RealmUrls.path(session, "signin");
        return Response.status(Response.Status.FOUND).location(URI.create(target)).header(HttpHeaders.CACHE_CONTROL, Answers.NO_STORE)
                .header("Referrer-Policy", "no-referrer").build();
    }
}
