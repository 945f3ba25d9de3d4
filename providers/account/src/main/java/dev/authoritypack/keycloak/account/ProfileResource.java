package dev.authoritypack.keycloak.account;

import dev.authoritypack.keycloak.common.KeycloakLines;
import dev.authoritypack.keycloak.common.PackRealmResource;

import dev.authoritypack.keycloak.common.Answers;
import dev.authoritypack.keycloak.common.RealmUrls;

import dev.authoritypack.keycloak.common.SessionCsrf;
import dev.authoritypack.keycloak.mfa.BackupCodes;
import dev.authoritypack.keycloak.signin.SocialSignin;

import dev.authoritypack.keycloak.common.PackPage;
import dev.authoritypack.keycloak.common.PageTimes;
import dev.authoritypack.keycloak.common.SameOrigin;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.device.DeviceActivityManager;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.IdentityProviderModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserConsentModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.representations.account.DeviceRepresentation;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.UserConsentManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code /profile} (docs/account.md): the signed-in user's details, email verification, second factor, linked social
 * accounts, active sessions and the applications the user consented to — as a page of the realm's login theme, or
 * JSON when the request prefers it. Built on Keycloak's own models, the way its account REST service
 * ({@code AccountRestService}, {@code SessionResource}, {@code LinkedAccountsResource}) reads and changes them.
 *
 * <p>{@code POST /profile} changes one thing ({@code action}): sign out one session or every other one, revoke an
 * application's access, unlink a social account. Every POST needs the session's form token
 * ({@link SessionCsrf}) and comes from this site; ids of another user's sessions, applications or links are
 * answered as unknown, so nothing of other users is reachable. A GET changes nothing; {@code GET /profile/link/{alias}} starts Keycloak's account-linking action,
 * which links only after the user confirms and signs in at the provider.
 */
class ProfileResource extends PackRealmResource {

    /**
     * Sessions listed besides the current one; {@code more_sessions} says when the user has more (they are signed out
     * with the others by {@code signout_others}).
     */
    static final int OTHER_SESSIONS_SHOWN = 50;

    private static final Set<String> INTERNAL_CLIENTS = Set.of("account", "account-console", "security-admin-console",
            "admin-cli", "broker", "realm-management");

    ProfileResource(KeycloakSession session) {
        super(session);
    }

    @GET
    public Response profile() {
        AuthenticationManager.AuthResult auth = signedIn();
        if (auth == null) {
            return Answers.signInFirst(session, "profile");
        }
        return answer(200, auth, "");
    }

    /**
     * Link another social account: Keycloak's account-linking action (the user confirms, signs in at the provider,
     * then lands here again). Only the providers the realm offers, not linked yet.
     */
    @GET
    @jakarta.ws.rs.Path("link/{alias}")
    public Response link(@jakarta.ws.rs.PathParam("alias") String alias) {
        AuthenticationManager.AuthResult auth = signedIn();
        if (auth == null) {
            return Answers.signInFirst(session, "profile");
        }
        if (!SocialSignin.isOffered(session, alias)) {
            return SocialSignin.notOffered();
        }
        if (session.users().getFederatedIdentity(realm(), KeycloakLines.user(auth), alias) != null) {
            return error(auth, 400, "already_linked", "That account is linked already", PackPage.key("authority.profile.alreadyLinked"));
        }
        return SocialSignin.startLinking(session, alias);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response change() {
        AuthenticationManager.AuthResult auth = signedIn();
        if (auth == null) {
            return Answers.signInFirst(session, "profile");
        }
        MultivaluedMap<String, String> form = session.getContext().getHttpRequest().getDecodedFormParameters();
        if (SameOrigin.crossSite(session.getContext().getUri().getBaseUri(), session.getContext().getRequestHeaders())) {
            return error(auth, 403, "cross_site_request", "This form must be sent from this site", PackPage.key("authority.form.crossSite"));
        }
        if (!SessionCsrf.matches(KeycloakLines.session(auth), form.getFirst(SessionCsrf.FIELD))) {
            return error(auth, 403, "invalid_csrf_token", "The form is stale or came from another site; open the profile again",
                    PackPage.key("authority.profile.staleForm"));
        }
        String action = form.getFirst("action") == null ? "" : form.getFirst("action");
        return switch (action) {
            case "signout_session" -> signOutSession(auth, form.getFirst("session_id"));
            case "signout_others" -> signOutOthers(auth);
            case "revoke_consent" -> revokeConsent(auth, form.getFirst("client_id"));
            case "unlink" -> unlink(auth, form.getFirst("provider"));
            default -> error(auth, 400, "invalid_request", "action must be signout_session, signout_others, revoke_consent or unlink",
                    PackPage.key("authority.profile.unknownAction"));
        };
    }

    // ---- actions --------------------------------------------------------------------------------------------------

    private Response signOutSession(AuthenticationManager.AuthResult auth, String sessionId) {
        UserSessionModel target = sessionId == null ? null : session.sessions().getUserSession(realm(), sessionId);
        if (target == null || !target.getUser().getId().equals(KeycloakLines.user(auth).getId())) {
            return error(auth, 404, "not_found", "No such session of yours", PackPage.key("authority.profile.noSuchSession"));
        }
        boolean current = target.getId().equals(KeycloakLines.session(auth).getId());
        AuthenticationManager.backchannelLogout(session, target, true);
        if (current) {
            return Answers.redirect(RealmUrls.path(session, "signin"), json());
        }
        return done(auth, "The session was signed out.");
    }

    private Response signOutOthers(AuthenticationManager.AuthResult auth) {
        List<UserSessionModel> others = session.sessions().getUserSessionsStream(realm(), KeycloakLines.user(auth))
                .filter(s -> !s.getId().equals(KeycloakLines.session(auth).getId())).collect(Collectors.toList());
        others.forEach(s -> AuthenticationManager.backchannelLogout(session, s, true));
        return done(auth, others.size() == 1 ? "1 other session was signed out." : others.size() + " other sessions were signed out.");
    }

    private Response revokeConsent(AuthenticationManager.AuthResult auth, String clientId) {
        ClientModel client = clientId == null ? null : realm().getClientByClientId(clientId);
        if (client == null || UserConsentManager.getConsentByClient(session, realm(), KeycloakLines.user(auth), client.getId()) == null) {
            return error(auth, 404, "not_found", "No application with access of that name", PackPage.key("authority.profile.noSuchApplication"));
        }
        UserConsentManager.revokeConsentToClient(session, client, KeycloakLines.user(auth)); // also ends its sessions and offline tokens
        event(auth).event(EventType.REVOKE_GRANT).client(client).detail(Details.REVOKED_CLIENT, client.getClientId()).success();
        return done(auth, "Access of " + displayName(client) + " was revoked.");
    }

    private Response unlink(AuthenticationManager.AuthResult auth, String alias) {
        UserModel user = KeycloakLines.user(auth);
        FederatedIdentityModel link = alias == null ? null : session.users().getFederatedIdentity(realm(), user, alias);
        if (link == null) {
            return error(auth, 404, "not_found", "No linked account of that provider", PackPage.key("authority.profile.noSuchLink"));
        }
        // as Keycloak's LinkedAccountsResource: the last way to sign in stays
        boolean otherWay = session.users().getFederatedIdentitiesStream(realm(), user).count() > 1 || user.isFederated()
                || user.credentialManager().isConfiguredFor(PasswordCredentialModel.TYPE);
        if (!otherWay) {
            return error(auth, 400, "last_sign_in_method", "This is your only way to sign in; set a password first",
                    PackPage.key("authority.profile.lastSigninMethod"));
        }
        session.users().removeFederatedIdentity(realm(), user, alias);
        event(auth).event(EventType.REMOVE_FEDERATED_IDENTITY).detail(Details.IDENTITY_PROVIDER, alias)
                .detail(Details.IDENTITY_PROVIDER_USERNAME, link.getUserName()).success();
        return done(auth, "The " + alias + " account was unlinked.");
    }

    // ---- the data -------------------------------------------------------------------------------------------------

    /** Everything the page shows, in the JSON shape (snake_case, as the other pack routes). */
    private Map<String, Object> data(AuthenticationManager.AuthResult auth) {
        RealmModel realm = realm();
        UserModel user = KeycloakLines.user(auth);
        Map<String, Object> data = new LinkedHashMap<>();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("id", user.getId());
        details.put("username", user.getUsername());
        details.put("email", user.getEmail());
        details.put("email_verified", user.isEmailVerified());
        details.put("first_name", user.getFirstName());
        details.put("last_name", user.getLastName());
        details.put("created_at", user.getCreatedTimestamp() == null ? null : Instant.ofEpochMilli(user.getCreatedTimestamp()).toString());
        data.put("user", details);

        Map<String, Object> mfa = new LinkedHashMap<>();
        mfa.put("enabled", user.credentialManager().isConfiguredFor(OTPCredentialModel.TYPE));
        mfa.put("backup_codes_remaining", BackupCodes.remaining(user));
        data.put("mfa", mfa);

        Map<String, FederatedIdentityModel> links = session.users().getFederatedIdentitiesStream(realm, user)
                .collect(Collectors.toMap(FederatedIdentityModel::getIdentityProvider, l -> l, (a, b) -> a, LinkedHashMap::new));
        List<Map<String, Object>> accounts = new ArrayList<>();
        // the providers offered at sign-in (as on /signin), and any other the user is linked to
        // (an IdP created through the admin API may have no hideOnLogin at all: Keycloak's own filter copes)
        java.util.Set<String> offered = SocialSignin.offered(session).stream().map(IdentityProviderModel::getAlias)
                .collect(Collectors.toSet());
        session.identityProviders().getAllStream()
                .filter(idp -> offered.contains(idp.getAlias()) || links.containsKey(idp.getAlias()))
                .forEach(idp -> accounts.add(linkedAccount(idp, links.get(idp.getAlias()))));
        data.put("linked_accounts", accounts);

        // the current session, then at most OTHER_SESSIONS_SHOWN others: each /api/login makes a session and nothing
        // caps how many one user has (docs/load.md), and listing 10,000 took 8 s. Keycloak's stream of a user's
        // sessions reads the database in chunks of 100 (JpaUserSessionPersisterProvider), so the limit reads little.
        UserSessionModel current = KeycloakLines.session(auth);
        List<UserSessionModel> others;
        try (Stream<UserSessionModel> all = session.sessions().getUserSessionsStream(realm, user)) {
            others = all.filter(s -> !s.getId().equals(current.getId())).limit(OTHER_SESSIONS_SHOWN + 1L).collect(Collectors.toList());
        }
        List<Map<String, Object>> sessions = new ArrayList<>();
        sessions.add(userSession(current, current));
        others.stream().limit(OTHER_SESSIONS_SHOWN)
                .sorted(Comparator.comparingInt(UserSessionModel::getLastSessionRefresh).reversed())
                .forEach(s -> sessions.add(userSession(s, current)));
        data.put("sessions", sessions);
        data.put("more_sessions", others.size() > OTHER_SESSIONS_SHOWN);

        List<Map<String, Object>> applications = new ArrayList<>();
        UserConsentManager.getConsentsStream(session, realm, user).forEach(c -> applications.add(application(c)));
        data.put("applications", applications);

        data.put("csrf_token", SessionCsrf.tokenFor(KeycloakLines.session(auth)));
        return data;
    }

    private Map<String, Object> linkedAccount(IdentityProviderModel idp, FederatedIdentityModel link) {
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("provider", idp.getAlias());
        account.put("display_name", idp.getDisplayName() == null ? idp.getAlias() : idp.getDisplayName());
        account.put("linked", link != null);
        account.put("username", link == null ? null : link.getUserName());
        if (link == null) {
            account.put("link_url", RealmUrls.path(session, "profile/link/" + idp.getAlias()));
        }
        return account;
    }

    private Map<String, Object> userSession(UserSessionModel s, UserSessionModel current) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", s.getId());
        out.put("current", s.getId().equals(current.getId()));
        out.put("ip_address", s.getIpAddress());
        out.put("started", Instant.ofEpochSecond(s.getStarted()).toString());
        out.put("last_active", Instant.ofEpochSecond(s.getLastSessionRefresh()).toString());
        DeviceRepresentation device = DeviceActivityManager.getCurrentDevice(s);
        out.put("browser", device == null ? null : device.getBrowser());
        out.put("os", device == null ? null : device.getOs());
        out.put("applications", s.getAuthenticatedClientSessions().values().stream()
                .map(cs -> cs.getClient())
                .filter(c -> !INTERNAL_CLIENTS.contains(c.getClientId()))
                .map(this::displayName).sorted().toList());
        return out;
    }

    private Map<String, Object> application(UserConsentModel consent) {
        ClientModel client = consent.getClient();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("client_id", client.getClientId());
        out.put("name", displayName(client));
        out.put("scopes", consent.getGrantedClientScopes().stream().map(s -> s.getName()).sorted().toList());
        out.put("granted_at", consent.getCreatedDate() == null ? null : Instant.ofEpochMilli(consent.getCreatedDate()).toString());
        out.put("url", client.getBaseUrl());
        return out;
    }

    /**
     * When the user last changed what each application may do (by client id), where that is later than the consent
     * itself: for the page only.
     */
    private Map<String, String> consentsUpdated(UserModel user) {
        Map<String, String> updated = new HashMap<>();
        UserConsentManager.getConsentsStream(session, realm(), user).forEach(c -> {
            if (c.getCreatedDate() != null && c.getLastUpdatedDate() != null && c.getLastUpdatedDate() - c.getCreatedDate() >= 60_000) {
                updated.put(c.getClient().getClientId(), Instant.ofEpochMilli(c.getLastUpdatedDate()).toString());
            }
        });
        return updated;
    }

    /** A client's name as people know it; Keycloak's {@code ${client_x}} message keys fall back to the client id. */
    private String displayName(ClientModel client) {
        String name = client.getName();
        return name == null || name.isBlank() || name.startsWith("${") ? client.getClientId() : name;
    }

    // ---- answers --------------------------------------------------------------------------------------------------

    /**
     * The profile as JSON (with {@code message}, a notice in English, when not empty) or as the page (where
     * {@code message} is a message key: the page's error from 400 on, else its notice).
     */
    private Response answer(int status, AuthenticationManager.AuthResult auth, String message) {
        Map<String, Object> data = data(auth);
        if (json()) {
            if (!message.isEmpty()) {
                data.put("message", message);
            }
            return Answers.json(status, data).build();
        }
        Map<String, Object> attributes = new HashMap<>(data);
        attributes.put("profileAction", RealmUrls.path(session, "profile"));
        attributes.put("resendAction", RealmUrls.path(session, "account/email/resend"));
        attributes.put("mfaSetupUrl", RealmUrls.path(session, "mfa/setup"));
        attributes.put("mfaDisableAction", RealmUrls.path(session, "mfa/disable"));
        attributes.put("signoutAction", RealmUrls.path(session, "signout"));
        // times as people read them, in the page's language (the JSON keeps ISO-8601 instants)
        attributes.put("times", new PageTimes(session));
        attributes.put("consentUpdated", consentsUpdated(KeycloakLines.user(auth)));
        attributes.put("message", status < 400 ? message : "");
        attributes.put("error", status >= 400 ? message : "");
        return PackPage.render(session, "profile.ftl", status, attributes);
    }

    private Response done(AuthenticationManager.AuthResult auth, String message) {
        if (json()) {
            return answer(200, auth, message);
        }
        // post/redirect/get: a reload does not repeat the change
        return Answers.seeOther(session, "profile");
    }

    /** The error object (its English {@code description}: an API), or the profile with the message of {@code messageKey}. */
    private Response error(AuthenticationManager.AuthResult auth, int status, String error, String description, String messageKey) {
        if (json()) {
            return Answers.error(status, error, description).build();
        }
        return answer(status, auth, messageKey);
    }

    private EventBuilder event(AuthenticationManager.AuthResult auth) {
        return new EventBuilder(realm(), session, session.getContext().getConnection()).user(KeycloakLines.user(auth))
                .session(KeycloakLines.session(auth)).detail(Details.USERNAME, KeycloakLines.user(auth).getUsername());
    }

    private AuthenticationManager.AuthResult signedIn() {
        return AuthenticationManager.authenticateIdentityCookie(session, realm(), true);
    }

    private RealmModel realm() {
        return session.getContext().getRealm();
    }

    private boolean json() {
        return Answers.prefersJson(session);
    }
}
