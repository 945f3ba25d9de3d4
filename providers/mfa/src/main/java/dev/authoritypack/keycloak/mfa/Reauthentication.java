package dev.authoritypack.keycloak.mfa;

import dev.authoritypack.keycloak.common.KeycloakLines;
import dev.authoritypack.keycloak.common.PackPage;
import dev.authoritypack.keycloak.signin.Lockout;
import dev.authoritypack.keycloak.signin.LockoutAnswers;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.services.managers.BruteForceProtector;


/**
 * Proof of identity before a second factor is replaced or removed: the current password, or a code of the current
 * second factor (TOTP or an unused backup code). Failures count toward Keycloak's brute-force lockout
 * ({@link BruteForceProtector}, in the credential's category) like a failed sign-in; a locked account gets 423
 * with {@code Retry-After}. Each method answers null when the request may go on.
 */
final class Reauthentication {

    private final KeycloakSession session;
    private final MfaAnswers answers;

    Reauthentication(KeycloakSession session, MfaAnswers answers) {
        this.session = session;
        this.answers = answers;
    }

    /** Before MFA is replaced: the password or a current code. */
    Response passwordOrCurrentCode(RealmModel realm, UserModel user, MultivaluedMap<String, String> form) {
        Response locked = lockedOut(realm, user);
        if (locked != null) {
            return locked;
        }
        String password = form.getFirst("password");
        String current = form.getFirst("current_code") == null ? "" : form.getFirst("current_code").trim();
        if (password != null && !password.isEmpty()) {
            return checkPassword(realm, user, password);
        }
        if (!current.isEmpty()) {
            boolean totp = user.credentialManager().getStoredCredentialsByTypeStream(OTPCredentialModel.TYPE)
                    .anyMatch(c -> user.credentialManager().isValid(new UserCredentialModel(c.getId(), OTPCredentialModel.TYPE, current)));
            if (totp || BackupCodes.consume(session, user, current)) {
                return null;
            }
            failed(realm, user, OTPCredentialModel.TYPE);
            return answers.error(401, "invalid_credentials", "The current code is not valid; nothing was changed",
                    PackPage.key("authority.mfa.wrongCurrentCode"));
        }
        return answers.error(401, "reauthentication_required",
                "Two-factor authentication is on: give your password or a code of your current authenticator to replace it",
                PackPage.key("authority.mfa.reauthRequired"));
    }

    /** Before MFA is removed: the password alone. */
    Response password(RealmModel realm, UserModel user, String password) {
        Response locked = lockedOut(realm, user);
        return locked != null ? locked : checkPassword(realm, user, password);
    }

    private Response checkPassword(RealmModel realm, UserModel user, String password) {
        if (password == null || password.isEmpty() || !user.credentialManager().isValid(UserCredentialModel.password(password))) {
            failed(realm, user, PasswordCredentialModel.TYPE);
            return answers.error(401, "invalid_credentials", "The password is incorrect; nothing was changed",
                    PackPage.key("authority.mfa.wrongPassword"));
        }
        return null;
    }

    /** 423 + Retry-After while Keycloak's brute-force protection holds the user, else null. */
    private Response lockedOut(RealmModel realm, UserModel user) {
        BruteForceProtector protector = session.getProvider(BruteForceProtector.class);
        if (realm.isBruteForceProtected() && protector.isTemporarilyDisabled(session, realm, user)) {
            long retry = Lockout.retryAfter(session, realm, user);
            return Response.fromResponse(answers.error(LockoutAnswers.LOCKED, "account_locked",
                    "Too many failed attempts; try again in " + retry + " seconds", PackPage.key("authority.mfa.locked"), String.valueOf(retry)))
                    .header(HttpHeaders.RETRY_AFTER, retry).build();
        }
        return null;
    }

    private void failed(RealmModel realm, UserModel user, String category) {
        if (realm.isBruteForceProtected()) {
            KeycloakLines.failedLogin(session.getProvider(BruteForceProtector.class), realm, user,
                    session.getContext().getConnection(), session.getContext().getUri(), category);
        }
    }
}
