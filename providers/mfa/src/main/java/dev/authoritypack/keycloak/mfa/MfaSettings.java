package dev.authoritypack.keycloak.mfa;

import dev.authoritypack.keycloak.common.KeycloakLines;
import dev.authoritypack.keycloak.common.Answers;
import dev.authoritypack.keycloak.common.PackPage;
import dev.authoritypack.keycloak.common.SessionCsrf;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.OTPPolicy;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.credential.RecoveryAuthnCodesCredentialModel;
import org.keycloak.models.utils.TimeBasedOTP;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.utils.TotpUtils;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A signed-in user's second factor: {@code /mfa/setup} shows (GET) or restarts (POST) the setup in progress,
 * {@code /mfa/enable} stores Keycloak's OTP credential and the backup codes when a code of the new secret is right
 * (replacing an existing second factor also needs {@link Reauthentication}), {@code /mfa/disable} removes both
 * with the password. Every POST is same-site with this session's form token ({@link MfaAnswers#crossSiteOrBadToken}).
 */
final class MfaSettings {

    private final KeycloakSession session;
    private final MfaAnswers answers;

    MfaSettings(KeycloakSession session) {
        this.session = session;
        this.answers = new MfaAnswers(session);
    }

    /**
     * Shows the pending setup. A GET changes nothing a user could notice: it shows the pending secret and codes
     * while they last, and makes them only when there are none (so an image or link on another site cannot replace
     * a secret the user has just scanned). {@code POST /mfa/setup} starts over with new ones.
     */
    Response show() {
        AuthenticationManager.AuthResult auth = signedIn();
        if (auth == null) {
            return answers.signInFirst("mfa/setup");
        }
        PendingSetup pending = PendingSetup.of(KeycloakLines.session(auth));
        return setupAnswer(auth, pending == null ? PendingSetup.create(KeycloakLines.session(auth)) : pending);
    }

    Response restart() {
        Post post = post();
        if (post.refusal() != null) {
            return post.refusal();
        }
        AuthenticationManager.AuthResult auth = post.auth();
        PendingSetup pending = PendingSetup.create(KeycloakLines.session(auth));
        return answers.json() ? setupAnswer(auth, pending) : Answers.seeOther(session, "mfa/setup");
    }

    private Response setupAnswer(AuthenticationManager.AuthResult auth, PendingSetup pending) {
        RealmModel realm = session.getContext().getRealm();
        UserModel user = KeycloakLines.user(auth);
        boolean enabled = otpEnabled(user);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("mfa_enabled", enabled);
        data.put("secret", TotpUtils.encode(pending.secret()));
        data.put("otpauth_uri", realm.getOTPPolicy().getKeyURI(realm, user, pending.secret()));
        // the form every Keycloak line has (26.7's session form, with a translated issuer, is not in 26.4/26.5)
        data.put("qr_code_png_base64", TotpUtils.qrCode(pending.secret(), realm, user));
        data.put("backup_codes", pending.codes());
        data.put("backup_codes_remaining", BackupCodes.remaining(user));
        data.put("setup_expires_in", pending.expiresIn());
        // replacing a second factor needs the password or a code of the current one (see enable)
        data.put("reauthentication_required", enabled);
        data.put(SessionCsrf.FIELD, SessionCsrf.tokenFor(KeycloakLines.session(auth)));
        if (answers.json()) {
            return Answers.json(200, data).build();
        }
        Map<String, Object> attributes = new HashMap<>(data);
        attributes.put("setupAction", answers.path("mfa/setup"));
        attributes.put("enableAction", answers.path("mfa/enable"));
        attributes.put("disableAction", answers.path("mfa/disable"));
        return answers.page("mfa-setup.ftl", 200, attributes);
    }

    Response enable() {
        Post post = post();
        if (post.refusal() != null) {
            return post.refusal();
        }
        AuthenticationManager.AuthResult auth = post.auth();
        MultivaluedMap<String, String> form = session.getContext().getHttpRequest().getDecodedFormParameters();
        UserSessionModel userSession = KeycloakLines.session(auth);
        PendingSetup pending = PendingSetup.of(userSession);
        if (pending == null) {
            return answers.error(400, "no_pending_setup", "Open /mfa/setup first", PackPage.key("authority.mfa.noPendingSetup"));
        }
        RealmModel realm = session.getContext().getRealm();
        UserModel user = KeycloakLines.user(auth);
        if (otpEnabled(user)) {
            // a signed-in session alone must not be able to take over the second factor
            Response reauthentication = new Reauthentication(session, answers).passwordOrCurrentCode(realm, user, form);
            if (reauthentication != null) {
                return reauthentication;
            }
        }
        String code = form.getFirst("totp_code") == null ? "" : form.getFirst("totp_code").trim();
        OTPPolicy policy = realm.getOTPPolicy();
        if (!validForNewSecret(policy, code, pending.secret())) {
            return answers.error(400, "invalid_code", "The code does not match the new secret; nothing was changed",
                    PackPage.key("authority.mfa.codeMismatch"));
        }
        removeMfaCredentials(user);
        CredentialModel otp = user.credentialManager().createStoredCredential(OTPCredentialModel.createFromPolicy(realm, pending.secret(), "authenticator app"));
        user.credentialManager().createStoredCredential(BackupCodes.newCredential(pending.codes()));
        // the code that enabled MFA cannot be replayed at /mfa/verify (the key Keycloak's OTP check uses)
        session.singleUseObjects().putIfAbsent(otp.getId() + "." + code, (long) policy.getPeriod() * (policy.getLookAheadWindow() * 2L + 1));
        PendingSetup.clear(userSession);
        return answers.redirect(answers.path("profile"));
    }

    Response disable() {
        Post post = post();
        if (post.refusal() != null) {
            return post.refusal();
        }
        AuthenticationManager.AuthResult auth = post.auth();
        String password = session.getContext().getHttpRequest().getDecodedFormParameters().getFirst("password");
        Response unproven = new Reauthentication(session, answers).password(session.getContext().getRealm(), KeycloakLines.user(auth), password);
        if (unproven != null) {
            return unproven;
        }
        removeMfaCredentials(KeycloakLines.user(auth));
        return answers.redirect(answers.path("profile"));
    }

    /** A POST of a signed-in user from this site with the session's form token, or the answer that refuses it. */
    private record Post(AuthenticationManager.AuthResult auth, Response refusal) {
    }

    private Post post() {
        AuthenticationManager.AuthResult auth = signedIn();
        if (auth == null) {
            return new Post(null, answers.signInFirst("mfa/setup"));
        }
        return new Post(auth, answers.crossSiteOrBadToken(KeycloakLines.session(auth)));
    }

    /** A code of the realm's OTP policy for the secret being set up (Keycloak's {@link TimeBasedOTP}). */
    private static boolean validForNewSecret(OTPPolicy policy, String code, String secret) {
        return code.matches("\\d{" + policy.getDigits() + "}")
                && new TimeBasedOTP(policy.getAlgorithm(), policy.getDigits(), policy.getPeriod(), policy.getLookAheadWindow())
                        .validateTOTP(code, secret.getBytes(StandardCharsets.UTF_8));
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
}
