package dev.authoritypack.keycloak.legacylogin;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.broker.oidc.OIDCIdentityProviderConfig;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.representations.AccessTokenResponse;
import org.keycloak.representations.JsonWebToken;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.BruteForceProtector;
import org.keycloak.services.managers.UserSessionManager;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;
import org.keycloak.userprofile.Attributes;
import org.keycloak.userprofile.UserProfileContext;
import org.keycloak.userprofile.UserProfileProvider;
import org.keycloak.util.JsonSerialization;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /api/login} (docs/legacy-login.md): an Auth0 access token (Bearer) and a Base64 email in, a real Keycloak
 * access token for that user out — issued by Keycloak's {@link TokenManager} for the realm client configured as
 * {@code authority.legacy-login.client}, bound to a new user session (so it is introspectable, revocable, ends
 * with sign-out, shows in the admin console) and signed with the realm's active key.
 *
 * <p>Who may log in whom: a machine token ({@code gty=client-credentials}) whose Auth0 client is on the realm's
 * allow-list and which carries the required scope may log in any user; a user token only its own user (verified
 * email claim, or the Keycloak user linked to its {@code sub} through the identity provider). Holders of
 * administrative roles are refused unless the realm allows it. The token carries only what the client's scopes
 * give (the realm ships it with {@code fullScopeAllowed: false}).
 */
class LegacyLoginResource implements RealmResourceProvider {

    private static final Logger LOG = Logger.getLogger(LegacyLoginResource.class);

    private final KeycloakSession session;

    LegacyLoginResource(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public Object getResource() {
        return this;
    }

    @POST
    public Response login(String body) {
        RealmModel realm = session.getContext().getRealm();
        LegacyLoginSettings settings = LegacyLoginSettings.of(realm);
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection())
                .event(EventType.LOGIN).detail("legacy_login", "true");
        try {
            return login(realm, settings, event, body);
        } catch (RuntimeException e) {
            LOG.errorf("legacy login: unexpected %s", e.getClass().getName()); // no message: it could quote the request
            event.detail("reason", "unexpected").error(Errors.INVALID_REQUEST);
            session.getTransactionManager().setRollbackOnly();
            return error(500, "Unknown error");
        }
    }

    private Response login(RealmModel realm, LegacyLoginSettings settings, EventBuilder event, String body) {
        HttpHeaders headers = session.getContext().getRequestHeaders();
        MediaType type = headers.getMediaType();
        if (type == null || !type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            return fail(event, "content_type", 400, "Send a JSON body (Content-Type: application/json)");
        }
        JsonNode json;
        try {
            json = JsonSerialization.mapper.readTree(body == null ? "" : body);
        } catch (Exception e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            return fail(event, "malformed_json", 400, "The body must be a JSON object");
        }
        String redirectUrl = text(json, "redirect_url");
        // the caller's mistakes first, whatever the realm's configuration: a malformed request is a 4xx, never a 503
        String bearer = bearer(headers);
        if (bearer == null || bearer.chars().filter(c -> c == '.').count() != 2) {
            return unauthorized(event, settings, "no bearer token, or not a JWT", redirectUrl);
        }
        String emailParam = text(json, "email");
        if (emailParam == null || emailParam.isBlank()) {
            return fail(event, "email_missing", 400, "Email is required");
        }
        String email = decodeEmail(emailParam);
        if (email == null) {
            return fail(event, "email_not_base64", 400, "Email is required (the email must be Base64-encoded)");
        }

        OIDCIdentityProviderConfig idp;
        try {
            idp = Auth0TokenVerifier.provider(session, realm, settings);
        } catch (Auth0TokenVerifier.NotConfigured e) {
            LOG.warnf("legacy login refused in realm %s: %s", realm.getName(), e.getMessage());
            return fail(event, "not_configured", 503, "Unknown error");
        }
        JsonWebToken auth0;
        try {
            auth0 = Auth0TokenVerifier.verify(session, realm, idp, settings, bearer);
        } catch (Auth0TokenVerifier.Rejected e) {
            return unauthorized(event, settings, e.getMessage(), redirectUrl);
        }
        String auth0Client = auth0.getIssuedFor() != null ? auth0.getIssuedFor() : claim(auth0, "client_id");
        event.detail("auth0_client", auth0Client == null ? "" : auth0Client);
        boolean machine = "client-credentials".equals(claim(auth0, "gty"));
        if (machine && !machineAllowed(settings, auth0, auth0Client)) {
            return unauthorized(event, settings, "machine token not allowed", redirectUrl);
        }

        UserModel user = session.users().getUserByEmail(realm, email);
        // a user token may log in only its own account, and is told nothing about any other email: the same 401
        // whether or not an account exists. Seed 004's 400s are for the trusted (allow-listed) machine tokens.
        if (!machine && !ownAccount(realm, settings, auth0, user, email)) {
            return unauthorized(event, settings, "token may not log in this user", redirectUrl);
        }
        if (user == null) {
            return fail(event, Errors.USER_NOT_FOUND, 400, "Username invalid");
        }
        event.user(user);
        if (!user.isEnabled() || locked(realm, user)) {
            return fail(event, Errors.USER_DISABLED, 403, "User is disabled or locked");
        }
        if (!settings.allowAdministrators() && AdministrativeRoles.held(session, realm, user)) {
            // a token minted without the second factor must not carry an administrator's identity
            return fail(event, "administrator", 403, "Administrators cannot be logged in through /api/login");
        }
        RoleModel license = realm.getRole(settings.licenseRole());
        if (license == null || !user.hasRole(license)) {
            return fail(event, "no_license", 400, "User doesn't have any license");
        }
        if (!profileComplete(user)) {
            return fail(event, "no_profile", 400, "User doesn't have a profile");
        }
        ClientModel client = realm.getClientByClientId(settings.client());
        if (client == null || !client.isEnabled()) {
            LOG.warnf("legacy login refused in realm %s: client %s is missing or disabled", realm.getName(), settings.client());
            return fail(event, "not_configured", 503, "Unknown error");
        }

        AccessTokenResponse tokens = issue(realm, client, user, event);
        String token = tokens.getToken();
        String callback = settings.callbackUrl().isBlank()
                ? Urls.accountBase(session.getContext().getUri().getBaseUri()).build(realm.getName()).toString()
                : settings.callbackUrl();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "success");
        answer.put("url", callback + (callback.contains("?") ? "&" : "?") + "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        answer.put("token", token);
        answer.put("expires_in", tokens.getExpiresIn());
        answer.put("message", "User logged in");
        event.client(client).session(tokens.getSessionState()).success();
        return Response.ok(answer, MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
    }

    /** A real Keycloak access token, bound to a new user session of the configured client. */
    private AccessTokenResponse issue(RealmModel realm, ClientModel client, UserModel user, EventBuilder event) {
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

    /** An Auth0 machine token of an allow-listed client that carries the required scope. */
    private static boolean machineAllowed(LegacyLoginSettings settings, JsonWebToken auth0, String auth0Client) {
        String scope = claim(auth0, "scope");
        return auth0Client != null && settings.allowedClients().contains(auth0Client)
                && scope != null && Arrays.asList(scope.split(" ")).contains(settings.requiredScope());
    }

    /**
     * Whether a user token belongs to the account of {@code email}: its {@code email} claim, when the same token
     * says Auth0 verified it ({@code email_verified: true} — open sign-up lets anyone claim any address), or
     * the Keycloak user linked to the token's {@code sub} through the identity provider.
     */
    private boolean ownAccount(RealmModel realm, LegacyLoginSettings settings, JsonWebToken auth0, UserModel user, String email) {
        String tokenEmail = claim(auth0, "email");
        Object verified = auth0.getOtherClaims().get("email_verified");
        if (tokenEmail != null && tokenEmail.equalsIgnoreCase(email) && (Boolean.TRUE.equals(verified) || "true".equals(verified))) {
            return true;
        }
        if (user == null || auth0.getSubject() == null) {
            return false;
        }
        FederatedIdentityModel link = session.users().getFederatedIdentity(realm, user, settings.identityProvider());
        return link != null && auth0.getSubject().equals(link.getUserId());
    }

    private boolean locked(RealmModel realm, UserModel user) {
        BruteForceProtector protector = session.getProvider(BruteForceProtector.class);
        return realm.isBruteForceProtected() && protector.isTemporarilyDisabled(session, realm, user);
    }

    /**
     * The realm's declarative user profile has no missing or invalid attribute for this user: the attributes
     * {@code UserProfile.validate()} checks, but username and email, since the account was just found by that email
     * and their validators' uniqueness checks are database queries (profiled: a sixth of this route's time).
     */
    private boolean profileComplete(UserModel user) {
        Attributes attributes = session.getProvider(UserProfileProvider.class).create(UserProfileContext.UPDATE_PROFILE, user).getAttributes();
        return attributes.nameSet().stream()
                .filter(name -> !UserModel.USERNAME.equals(name) && !UserModel.EMAIL.equals(name))
                .allMatch(name -> attributes.validate(name));
    }

    private Response unauthorized(EventBuilder event, LegacyLoginSettings settings, String reason, String redirectUrl) {
        event.detail("reason", reason).error(Errors.INVALID_TOKEN);
        if (redirectUrl != null && settings.redirectAllowed(redirectUrl)) {
            return Response.status(Response.Status.FOUND).location(URI.create(redirectUrl)).build();
        }
        return error(401, "Unauthorized or invalid token");
    }

    private Response fail(EventBuilder event, String reason, int status, String message) {
        event.detail("reason", reason).error(status == 400 ? Errors.INVALID_REQUEST : reason);
        return error(status, message);
    }

    /** Seed 004's error body: {@code {"status":"error","message":…}}. */
    private static Response error(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "error");
        body.put("message", message);
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").entity(body).build();
    }

    private static String bearer(HttpHeaders headers) {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static String decodeEmail(String encoded) {
        for (Base64.Decoder decoder : new Base64.Decoder[]{Base64.getDecoder(), Base64.getUrlDecoder()}) {
            try {
                String email = new String(decoder.decode(encoded.trim()), StandardCharsets.UTF_8).trim();
                if (email.contains("@") && email.chars().noneMatch(c -> c < 0x20)) {
                    return email.toLowerCase(Locale.ROOT);
                }
            } catch (IllegalArgumentException notThisAlphabet) {
                // next
            }
        }
        return null;
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }

    private static String claim(JsonWebToken token, String name) {
        Object v = token.getOtherClaims().get(name);
        return v == null ? null : v.toString();
    }

    @Override
    public void close() {
    }
}
