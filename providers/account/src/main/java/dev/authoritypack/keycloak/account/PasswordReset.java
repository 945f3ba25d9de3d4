package dev.authoritypack.keycloak.account;

import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.policy.PasswordPolicyManagerProvider;
import org.keycloak.policy.PolicyError;
import org.keycloak.common.util.Time;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.UserSessionManager;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets a new password with a reset token, and everything a reset implies: the realm's password policy and
 * history decide ({@link PasswordPolicyManagerProvider}, Keycloak's credential manager); the token is consumed
 * once, cluster-wide; every session of the user ends (not-before, then Keycloak's backchannel logout of each
 * browser session and revocation of each offline session, so refresh tokens issued before are refused); a
 * temporary brute-force lockout is cleared (Keycloak's login-failure record, as Auth0 does after a reset);
 * Keycloak's events record it; the user is told by mail that the password changed.
 */
final class PasswordReset {

    enum Result { CHANGED, INVALID_TOKEN, INVALID_PASSWORD }

    /**
     * What a reset did. For {@code INVALID_PASSWORD}: {@code message}, the reason in the language Keycloak's login
     * forms choose for the user (the JSON answer's description, as it always was), and the same reason as Keycloak's
     * message key and parameters, for a page to put in its own language.
     */
    record Outcome(Result result, String message, String messageKey, Object[] messageParameters) {

        Outcome(Result result) {
            this(result, null, null, new Object[0]);
        }
    }

    private final KeycloakSession session;
    private final RealmModel realm;

    PasswordReset(KeycloakSession session) {
        this.session = session;
        this.realm = session.getContext().getRealm();
    }

    Outcome apply(String serializedToken, String password) {
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection()).event(EventType.RESET_PASSWORD)
                .detail(Details.REASON, "authority_password_reset");
        AccountToken.Verified verified = AccountToken.verifyOrRecord(session, realm, serializedToken, AccountToken.RESET, event).orElse(null);
        if (verified == null) {
            return new Outcome(Result.INVALID_TOKEN);
        }
        UserModel user = verified.user();
        event.user(user); // no email in details: Keycloak's event logger writes them to the server log
        if (!verified.usable(session)) {
            event.error(Errors.INVALID_TOKEN);
            return new Outcome(Result.INVALID_TOKEN);
        }
        PolicyError policy = session.getProvider(PasswordPolicyManagerProvider.class).validate(realm, user, password);
        if (policy != null) {
            event.error(Errors.PASSWORD_REJECTED);
            return invalidPassword(user, policy.getMessage(), policy.getParameters());
        }
        if (!verified.consume(session)) { // another request used the token at the same moment
            event.error(Errors.INVALID_TOKEN);
            return new Outcome(Result.INVALID_TOKEN);
        }
        try {
            user.credentialManager().updateCredential(UserCredentialModel.password(password, false));
        } catch (ModelException e) {
            verified.release(session);
            session.getTransactionManager().setRollbackOnly();
            event.error(Errors.PASSWORD_REJECTED);
            return invalidPassword(user, e.getMessage(), e.getParameters());
        }
        user.removeRequiredAction(UserModel.RequiredAction.UPDATE_PASSWORD);
        endSessions(user);
        session.loginFailures().removeUserLoginFailure(realm, user.getId());
        event.success();
        new EventBuilder(realm, session, session.getContext().getConnection()).event(EventType.UPDATE_PASSWORD)
                .user(user).detail(Details.CREDENTIAL_TYPE, PasswordCredentialModel.TYPE).success();
        notifyChanged(user);
        return new Outcome(Result.CHANGED);
    }

    private void endSessions(UserModel user) {
        session.users().setNotBeforeForUser(realm, user, Time.currentTime());
        List<UserSessionModel> browser = session.sessions().getUserSessionsStream(realm, user).toList();
        for (UserSessionModel us : browser) {
            AuthenticationManager.backchannelLogout(session, us, true);
        }
        List<UserSessionModel> offline = session.sessions().getOfflineUserSessionsStream(realm, user).toList();
        UserSessionManager manager = new UserSessionManager(session);
        for (UserSessionModel us : offline) {
            manager.revokeOfflineUserSession(us);
        }
    }

    /** A refused password: the policy's message in the user's language of Keycloak's login forms, and its key. */
    private Outcome invalidPassword(UserModel user, String key, Object[] parameters) {
        Object[] args = parameters == null ? new Object[0] : parameters;
        String message = session.getProvider(LoginFormsProvider.class).setUser(user).getMessage(key, args);
        return new Outcome(Result.INVALID_PASSWORD, message, key, args);
    }

    private void notifyChanged(UserModel user) {
        AccountMail.Request request = AccountMail.Request.of(session, user.getEmail());
        String userId = user.getId();
        AccountMail.later(session, "password changed notice", request, (s, r, req) -> {
            UserModel u = s.users().getUserById(r, userId);
            if (u == null || u.getEmail() == null) {
                return;
            }
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put("forgotPasswordLink", Urls.realmBase(req.baseUri()).path(r.getName())
                    .path("forgot-password").build().toString());
            AccountMail.send(s, r, u, req, "authorityPasswordChangedSubject", "authority-password-changed.ftl", attributes);
        });
    }
}
