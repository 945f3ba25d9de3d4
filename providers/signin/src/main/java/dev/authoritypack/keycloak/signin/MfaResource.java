package dev.authoritypack.keycloak.signin;

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
 *   <li>{@code GET /mfa/setup} (signed in): a pending secret and backup codes, kept in the user's SSO session
 *   notes (Keycloak's distributed user-session store; gone with the session), shown with a QR code.</li>
 *   <li>{@code POST /mfa/enable}: a code valid for the pending secret stores both credentials.</li>
 *   <li>{@code POST /mfa/verify}: the second step of a pending sign-in, answered by the realm's browser flow
 *   (its {@code authority-otp-or-backup-code-form} step).</li>
 *   <li>{@code POST /mfa/disable}: the right password removes both credentials.</li>
 * </ul>
 * Enable and disable carry a CSRF token bound to the SSO session.
 */
class MfaResource implements RealmResourceProvider {

    static final String PENDING_SECRET = "authority.mfa.pending.secret";
    static final String PENDING_CODES = "authority.mfa.pending.codes";
    static final String CSRF = "authority.mfa.csrf";

    private final KeycloakSession session;

    MfaResource(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public Object getResource() {
        return this;
    }

    // ---- setup -------------------------------------------------------------------------------------------------

    @GET
    @Path("setup")
    public Response setup() {
        AuthenticationManager.AuthResult auth = signedIn();
        if (auth == null) {
            return signInFirst("mfa/setup");
        }
        RealmModel realm = session.getContext().getRealm();
        UserModel user = auth.user();
        UserSessionModel userSession = auth.session();
        String secret = HmacOTP.generateSecret(20);
        List<String> codes = RecoveryAuthnCodesUtils.generateRawCodes();
        userSession.setNote(PENDING_SECRET, secret);
        userSession.setNote(PENDING_CODES, String.join(",", codes));
        String csrf = csrf(userSession);

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("mfa_enabled", otpEnabled(user));
        data.put("secret", TotpUtils.encode(secret));
        data.put("otpauth_uri", realm.getOTPPolicy().getKeyURI(realm, user, secret));
        data.put("qr_code_png_base64", TotpUtils.qrCode(session, secret, realm, user));
        data.put("backup_codes", codes);
        data.put("backup_codes_remaining", BackupCodes.remaining(user));
        data.put("csrf_token", csrf);
        if (prefersJson()) {
            return Response.ok(data, MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
        }
        Map<String, Object> attributes = new HashMap<>(data);
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
        if (!csrfMatches(userSession, form.getFirst("csrf_token"))) {
            return error(403, "invalid_csrf_token", "The form is stale or came from another site; open /mfa/setup again");
        }
        String secret = userSession.getNote(PENDING_SECRET);
        String codes = userSession.getNote(PENDING_CODES);
        if (secret == null || codes == null) {
            return error(400, "no_pending_setup", "Open /mfa/setup first");
        }
        String code = form.getFirst("totp_code") == null ? "" : form.getFirst("totp_code").trim();
        RealmModel realm = session.getContext().getRealm();
        OTPPolicy policy = realm.getOTPPolicy();
        boolean valid = code.matches("\\d{" + policy.getDigits() + "}")
                && new TimeBasedOTP(policy.getAlgorithm(), policy.getDigits(), policy.getPeriod(), policy.getLookAheadWindow())
                        .validateTOTP(code, secret.getBytes(StandardCharsets.UTF_8));
        if (!valid) {
            return error(400, "invalid_code", "The code does not match the new secret; nothing was changed");
        }
        UserModel user = auth.user();
        removeMfaCredentials(user);
        CredentialModel otp = user.credentialManager().createStoredCredential(OTPCredentialModel.createFromPolicy(realm, secret, "authenticator app"));
        user.credentialManager().createStoredCredential(BackupCodes.newCredential(List.of(codes.split(","))));
        // the code that enabled MFA cannot be replayed at /mfa/verify (the key Keycloak's OTP check uses)
        session.singleUseObjects().putIfAbsent(otp.getId() + "." + code, (long) policy.getPeriod() * (policy.getLookAheadWindow() * 2L + 1));
        userSession.removeNote(PENDING_SECRET);
        userSession.removeNote(PENDING_CODES);
        return redirect(realmPath("profile"));
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
        if (!csrfMatches(auth.session(), form.getFirst("csrf_token"))) {
            return error(403, "invalid_csrf_token", "The form is stale or came from another site; open /mfa/setup again");
        }
        RealmModel realm = session.getContext().getRealm();
        UserModel user = auth.user();
        BruteForceProtector protector = session.getProvider(BruteForceProtector.class);
        if (realm.isBruteForceProtected() && protector.isTemporarilyDisabled(session, realm, user)) {
            long retry = Lockout.retryAfter(session, realm, user);
            return Response.fromResponse(error(LockoutAnswers.LOCKED, "account_locked", "Too many failed attempts; try again in " + retry + " seconds"))
                    .header(HttpHeaders.RETRY_AFTER, retry).build();
        }
        String password = form.getFirst("password");
        if (password == null || password.isEmpty() || !user.credentialManager().isValid(UserCredentialModel.password(password))) {
            if (realm.isBruteForceProtected()) {
                protector.failedLogin(realm, user, session.getContext().getConnection(), session.getContext().getUri(), Set.of("password"));
            }
            return error(401, "invalid_credentials", "The password is incorrect; nothing was changed");
        }
        removeMfaCredentials(user);
        return redirect(realmPath("profile"));
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

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

    private static String csrf(UserSessionModel userSession) {
        String token = userSession.getNote(CSRF);
        if (token == null) {
            token = SecretGenerator.getInstance().randomString(32);
            userSession.setNote(CSRF, token);
        }
        return token;
    }

    private static boolean csrfMatches(UserSessionModel userSession, String presented) {
        String expected = userSession.getNote(CSRF);
        return expected != null && presented != null
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    private boolean prefersJson() {
        return SigninResponses.prefersJson(session.getContext().getRequestHeaders());
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
        attributes.put("title", "Two-factor authentication");
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
