package dev.authoritypack.keycloak.signin;

import dev.authoritypack.keycloak.routes.PackPage;
import dev.authoritypack.keycloak.routes.SameOrigin;
import dev.authoritypack.keycloak.routes.FormOverrideHttpRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowException;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.common.util.SecretGenerator;
import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OTPPolicy;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.models.credential.RecoveryAuthnCodesCredentialModel;
import org.keycloak.models.utils.HmacOTP;
import org.keycloak.models.utils.RecoveryAuthnCodesUtils;
import org.keycloak.models.utils.TimeBasedOTP;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.BruteForceProtector;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;
import org.keycloak.utils.TotpUtils;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Seed 001's MFA routes on Keycloak's credentials: the OTP credential (TOTP, the realm's OTP policy) and the
 * recovery-codes credential as backup codes.
 *
 * <ul>
 *   <li>{@code GET /mfa/setup} (signed in): the pending secret and backup codes, kept in the user's SSO session
 *   notes (Keycloak's distributed user-session store; gone with the session), shown with a QR code;
 *   {@code POST /mfa/setup} replaces them.</li>
 *   <li>{@code POST /mfa/enable}: a code valid for the pending secret stores both credentials; replacing an
 *   existing second factor also needs the password or a current code.</li>
 *   <li>{@code POST /mfa/verify}: the second step of a pending sign-in, answered by the realm's browser flow
 *   (its {@code authority-otp-or-backup-code-form} step).</li>
 *   <li>{@code POST /mfa/disable}: the right password removes both credentials.</li>
 * </ul>
 * Every POST but verify carries a CSRF token bound to the SSO session, and POSTs from other sites are refused.
 */
class MfaResource implements RealmResourceProvider {

    static final String PENDING_SECRET = "authority.mfa.pending.secret";
    static final String PENDING_CODES = "authority.mfa.pending.codes";
    static final String PENDING_CREATED = "authority.mfa.pending.created";

    private final KeycloakSession session;

    MfaResource(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public Object getResource() {
        return this;
    }

    // ---- setup ----------------------------------------------------------------------------------------------------

    /**
     * Shows the pending setup. A GET changes nothing a user could notice: it shows the pending secret and codes
     * while they last, and makes them only when there are none (so an image or link on another site cannot replace
     * a secret the user has just scanned). {@code POST /mfa/setup} starts over with new ones.
     */
    @GET
    @Path("setup")
    public Response setup() {
        AuthenticationManager.AuthResult auth = signedIn();
        if (auth == null) {
            return signInFirst("mfa/setup");
        }
        Pending pending = Pending.of(auth.session());
        if (pending == null) {
            pending = Pending.create(auth.session());
        }
        return setupAnswer(auth, pending);
    }

    @POST
    @Path("setup")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response restartSetup() {
        AuthenticationManager.AuthResult auth = signedIn();
        if (auth == null) {
            return signInFirst("mfa/setup");
        }
        Response refused = crossSiteOrBadToken(auth.session());
        if (refused != null) {
            return refused;
        }
        Pending pending = Pending.create(auth.session());
        if (prefersJson()) {
            return setupAnswer(auth, pending);
        }
        return Response.seeOther(URI.create(realmPath("mfa/setup"))).header("Cache-Control", "no-store").build();
    }

    private Response setupAnswer(AuthenticationManager.AuthResult auth, Pending pending) {
        RealmModel realm = session.getContext().getRealm();
        UserModel user = auth.user();
        boolean enabled = otpEnabled(user);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("mfa_enabled", enabled);
        data.put("secret", TotpUtils.encode(pending.secret()));
        data.put("otpauth_uri", realm.getOTPPolicy().getKeyURI(realm, user, pending.secret()));
        data.put("qr_code_png_base64", TotpUtils.qrCode(session, pending.secret(), realm, user));
        data.put("backup_codes", pending.codes());
        data.put("backup_codes_remaining", BackupCodes.remaining(user));
        data.put("setup_expires_in", pending.expiresIn());
        // replacing a second factor needs the password or a code of the current one (see enable)
        data.put("reauthentication_required", enabled);
        data.put("csrf_token", SessionCsrf.tokenFor(auth.session()));
        if (prefersJson()) {
            return Response.ok(data, MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
        }
        Map<String, Object> attributes = new HashMap<>(data);
        attributes.put("setupAction", realmPath("mfa/setup"));
        attributes.put("enableAction", realmPath("mfa/enable"));
        attributes.put("disableAction", realmPath("mfa/disable"));
        return SigninPage.render(session, "mfa-setup.ftl", 200, attributes);
    }

    @POST
    @Path("enable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response enable() {
        AuthenticationManager.AuthResult auth = signedIn();
        if (auth == null) {
            return signInFirst("mfa/setup");
        }
        MultivaluedMap<String, String> form = session.getContext().getHttpRequest().getDecodedFormParameters();
        UserSessionModel userSession = auth.session();
        Response refused = crossSiteOrBadToken(userSession);
        if (refused != null) {
            return refused;
        }
        Pending pending = Pending.of(userSession);
        if (pending == null) {
            return error(400, "no_pending_setup", "Open /mfa/setup first");
        }
        RealmModel realm = session.getContext().getRealm();
        UserModel user = auth.user();
        if (otpEnabled(user)) {
            // a signed-in session alone must not be able to take over the second factor
            Response reauthentication = reauthenticate(realm, user, form);
            if (reauthentication != null) {
                return reauthentication;
            }
        }
        String code = form.getFirst("totp_code") == null ? "" : form.getFirst("totp_code").trim();
        OTPPolicy policy = realm.getOTPPolicy();
        boolean valid = code.matches("\\d{" + policy.getDigits() + "}")
                && new TimeBasedOTP(policy.getAlgorithm(), policy.getDigits(), policy.getPeriod(), policy.getLookAheadWindow())
                        .validateTOTP(code, pending.secret().getBytes(StandardCharsets.UTF_8));
        if (!valid) {
            return error(400, "invalid_code", "The code does not match the new secret; nothing was changed");
        }
        removeMfaCredentials(user);
        CredentialModel otp = user.credentialManager().createStoredCredential(OTPCredentialModel.createFromPolicy(realm, pending.secret(), "authenticator app"));
        user.credentialManager().createStoredCredential(BackupCodes.newCredential(pending.codes()));
        // the code that enabled MFA cannot be replayed at /mfa/verify (the key Keycloak's OTP check uses)
        session.singleUseObjects().putIfAbsent(otp.getId() + "." + code, (long) policy.getPeriod() * (policy.getLookAheadWindow() * 2L + 1));
        Pending.clear(userSession);
        return redirect(realmPath("profile"));
    }

    /**
     * The current password, or a code of the current second factor (TOTP or an unused backup code), before MFA is
     * replaced. Failures count toward Keycloak's brute-force lockout like a failed sign-in; a locked account gets
     * 423. Null when the user proved it.
     */
    private Response reauthenticate(RealmModel realm, UserModel user, MultivaluedMap<String, String> form) {
        Response locked = lockedOut(realm, user);
        if (locked != null) {
            return locked;
        }
        String password = form.getFirst("password");
        String current = form.getFirst("current_code") == null ? "" : form.getFirst("current_code").trim();
        if (password != null && !password.isEmpty()) {
            if (user.credentialManager().isValid(UserCredentialModel.password(password))) {
                return null;
            }
            failed(realm, user, PasswordCredentialModel.TYPE);
            return error(401, "invalid_credentials", "The password is incorrect; nothing was changed");
        }
        if (!current.isEmpty()) {
            boolean totp = user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE)
                    .anyMatch(c -> user.credentialManager().isValid(new UserCredentialModel(c.getId(), OTPCredentialModel.TYPE, current)));
            if (totp || BackupCodes.consume(session, user, current)) {
                return null;
            }
            failed(realm, user, OTPCredentialModel.TYPE);
            return error(401, "invalid_credentials", "The current code is not valid; nothing was changed");
        }
        return error(401, "reauthentication_required",
                "Two-factor authentication is on: give your password or a code of your current authenticator to replace it");
    }

    // ---- verify (second step of a sign-in) --------------------------------------------------------------------

    @GET
    @Path("verify")
    public Response verifyPage(@QueryParam("tab_id") String tabId) {
        if (pending(tabId) == null) {
            return signInFirst(null);
        }
        if (prefersJson()) {
            return Response.ok(Map.of("pending", true, "fields", List.of("totp_code", "tab_id")), MediaType.APPLICATION_JSON_TYPE).build();
        }
        return verifyPage(200, tabId, null);
    }

    @POST
    @Path("verify")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response verify() {
        MultivaluedMap<String, String> input = session.getContext().getHttpRequest().getDecodedFormParameters();
        String tabId = input.getFirst("tab_id");
        AuthenticationSessionModel authSession = pending(tabId);
        if (authSession == null) {
            return signInFirst(null);
        }
        if (SameOrigin.crossSite(session.getContext().getUri().getBaseUri(), session.getContext().getRequestHeaders())) {
            return error(403, "cross_site_request", "This form must be sent from this site");
        }
        RealmModel realm = session.getContext().getRealm();
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
        form.putSingle("otp", input.getFirst("totp_code") == null ? "" : input.getFirst("totp_code").trim());
        FormOverrideHttpRequest request = new FormOverrideHttpRequest(session.getContext().getHttpRequest(), form);
        session.getContext().setHttpRequest(request);
        session.getContext().setAuthenticationSession(authSession);
        String forward = authSession.getAuthNote(SigninResource.FORWARD_NOTE);
        AuthenticationProcessor processor = SigninResource.processor(session, realm, authSession, request, "/mfa/verify");
        Response outcome;
        try {
            outcome = processor.authenticationAction(authSession.getAuthNote(AuthenticationProcessor.CURRENT_AUTHENTICATION_EXECUTION));
        } catch (AuthenticationFlowException e) {
            outcome = processor.handleBrowserException(e);
        }
        int status = outcome.getStatus();
        if (status == 401 || status == LockoutAnswers.LOCKED) {
            if (prefersJson()) {
                return outcome;
            }
            String retry = outcome.getHeaderString(HttpHeaders.RETRY_AFTER);
            Response page = verifyPage(status, tabId, status == 401 ? "The code is not valid."
                    : retry == null ? "This account is locked. An administrator must unlock it."
                    : "Too many failed attempts. Try again in " + retry + " seconds.");
            return Response.fromResponse(page).header(HttpHeaders.RETRY_AFTER, retry)
                    .header(HttpHeaders.WWW_AUTHENTICATE, outcome.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).build();
        }
        String location = outcome.getHeaderString(HttpHeaders.LOCATION);
        if ((status == 302 || status == 303) && location != null && location.startsWith(SigninResource.accountRedirect(session))) {
            return redirect(forward == null ? realmPath("profile") : forward);
        }
        return outcome;
    }

    // ---- disable -----------------------------------------------------------------------------------------------

    @POST
    @Path("disable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response disable() {
        AuthenticationManager.AuthResult auth = signedIn();
        if (auth == null) {
            return signInFirst("mfa/setup");
        }
        MultivaluedMap<String, String> form = session.getContext().getHttpRequest().getDecodedFormParameters();
        Response refused = crossSiteOrBadToken(auth.session());
        if (refused != null) {
            return refused;
        }
        RealmModel realm = session.getContext().getRealm();
        UserModel user = auth.user();
        Response locked = lockedOut(realm, user);
        if (locked != null) {
            return locked;
        }
        String password = form.getFirst("password");
        if (password == null || password.isEmpty() || !user.credentialManager().isValid(UserCredentialModel.password(password))) {
            failed(realm, user, PasswordCredentialModel.TYPE);
            return error(401, "invalid_credentials", "The password is incorrect; nothing was changed");
        }
        removeMfaCredentials(user);
        return redirect(realmPath("profile"));
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** 403 for a POST from another site or without this session's form token; null when the request may proceed. */
    private Response crossSiteOrBadToken(UserSessionModel userSession) {
        if (SameOrigin.crossSite(session.getContext().getUri().getBaseUri(), session.getContext().getRequestHeaders())) {
            return error(403, "cross_site_request", "This form must be sent from this site");
        }
        String presented = session.getContext().getHttpRequest().getDecodedFormParameters().getFirst("csrf_token");
        if (!SessionCsrf.matches(userSession, presented)) {
            return error(403, "invalid_csrf_token", "The form is stale or came from another site; open /mfa/setup again");
        }
        return null;
    }

    /** 423 + Retry-After while Keycloak's brute-force protection holds the user, else null. */
    private Response lockedOut(RealmModel realm, UserModel user) {
        BruteForceProtector protector = session.getProvider(BruteForceProtector.class);
        if (realm.isBruteForceProtected() && protector.isTemporarilyDisabled(session, realm, user)) {
            long retry = Lockout.retryAfter(session, realm, user);
            return Response.fromResponse(error(LockoutAnswers.LOCKED, "account_locked", "Too many failed attempts; try again in " + retry + " seconds"))
                    .header(HttpHeaders.RETRY_AFTER, retry).build();
        }
        return null;
    }

    /** A failed proof of identity, counted by Keycloak's brute-force protector in the credential's category. */
    private void failed(RealmModel realm, UserModel user, String category) {
        if (realm.isBruteForceProtected()) {
            session.getProvider(BruteForceProtector.class).failedLogin(realm, user, session.getContext().getConnection(),
                    session.getContext().getUri(), Set.of(category));
        }
    }

    /**
     * The secret and backup codes of a setup in progress, kept in notes of the user's SSO session (Keycloak's
     * distributed user-session store, shared by a cluster) until enabled, replaced, or {@link #LIFETIME_SECONDS} old.
     */
    private record Pending(String secret, List<String> codes, long expiresIn) {

        static final long LIFETIME_SECONDS = 15 * 60;

        static Pending of(UserSessionModel userSession) {
            String secret = userSession.getNote(PENDING_SECRET);
            String codes = userSession.getNote(PENDING_CODES);
            String created = userSession.getNote(PENDING_CREATED);
            if (secret == null || codes == null || created == null || !created.matches("\\d{1,12}")) {
                return null;
            }
            long left = Long.parseLong(created) + LIFETIME_SECONDS - Time.currentTime();
            return left <= 0 ? null : new Pending(secret, List.of(codes.split(",")), left);
        }

        static Pending create(UserSessionModel userSession) {
            String secret = HmacOTP.generateSecret(20);
            List<String> codes = RecoveryAuthnCodesUtils.generateRawCodes();
            userSession.setNote(PENDING_SECRET, secret);
            userSession.setNote(PENDING_CODES, String.join(",", codes));
            userSession.setNote(PENDING_CREATED, String.valueOf(Time.currentTime()));
            return new Pending(secret, codes, LIFETIME_SECONDS);
        }

        static void clear(UserSessionModel userSession) {
            userSession.removeNote(PENDING_SECRET);
            userSession.removeNote(PENDING_CODES);
            userSession.removeNote(PENDING_CREATED);
        }
    }

    private static void removeMfaCredentials(UserModel user) {
        for (String type : new String[]{OTPCredentialModel.TYPE, RecoveryAuthnCodesCredentialModel.TYPE}) {
            user.credentialManager().getStoredCredentialsByTypeStream(type).toList()
                    .forEach(c -> user.credentialManager().removeStoredCredentialById(c.getId()));
        }
    }

    private static boolean otpEnabled(UserModel user) {
        return user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE).findAny().isPresent();
    }

    private AuthenticationManager.AuthResult signedIn() {
        return AuthenticationManager.authenticateIdentityCookie(session, session.getContext().getRealm(), true);
    }

    /** The sign-in /signin left pending after the password, or null. */
    private AuthenticationSessionModel pending(String tabId) {
        RealmModel realm = session.getContext().getRealm();
        if (tabId == null) {
            return null;
        }
        RootAuthenticationSessionModel root = new AuthenticationSessionManager(session).getCurrentRootAuthenticationSession(realm);
        ClientModel client = realm.getClientByClientId(Constants.ACCOUNT_MANAGEMENT_CLIENT_ID);
        AuthenticationSessionModel authSession = root == null || client == null ? null : root.getAuthenticationSession(client, tabId);
        if (authSession == null || authSession.getAuthenticatedUser() == null || authSession.getAuthNote(SigninResource.FORWARD_NOTE) == null) {
            return null;
        }
        return authSession;
    }

    private boolean prefersJson() {
        return PackPage.prefersJson(session.getContext().getRequestHeaders());
    }

    private Response verifyPage(int status, String tabId, String error) {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("verifyAction", realmPath("mfa/verify"));
        attributes.put("tabId", tabId);
        attributes.put("error", error == null ? "" : error);
        return SigninPage.render(session, "mfa-verify.ftl", status, attributes);
    }

    private Response signInFirst(String returnTo) {
        if (prefersJson()) {
            return error(401, "login_required", "Sign in first at /signin");
        }
        String signin = realmPath("signin");
        if (returnTo != null) {
            signin += "?forward_url=" + Base64.getUrlEncoder().withoutPadding().encodeToString(realmPath(returnTo).getBytes(StandardCharsets.UTF_8));
        }
        return Response.status(Response.Status.FOUND).location(URI.create(signin)).build();
    }

    private Response redirect(String location) {
        return SigninResource.redirect(location, prefersJson());
    }

    private Response error(int status, String error, String description) {
        if (prefersJson()) {
            return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store")
                    .entity(Map.of("error", error, "error_description", description)).build();
        }
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("error", description);
        attributes.put("setupUrl", realmPath("mfa/setup"));
        return SigninPage.render(session, "mfa-error.ftl", status, attributes);
    }

    private String realmPath(String path) {
        return SigninResource.realmPath(session, path);
    }

    @Override
    public void close() {
    }
}
