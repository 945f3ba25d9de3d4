package dev.authoritypack.keycloak.signin;

import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.ConfigurableAuthenticatorFactory;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.credential.OTPCredentialModel;
import org.keycloak.models.RealmModel;

/**
 * Whether a realm signs in with the pack: its browser flow (or a sub-flow of it) runs
 * {@code authority-username-password-form}. The pack's sign-in routes interpret that flow's answers (401/423, the
 * second-factor step), so in other realms (the master realm, say) they answer 404 instead of guessing.
 */
final class PackSignin {

    private PackSignin() {
    }

    static boolean usedBy(RealmModel realm) {
        AuthenticationFlowModel browser = realm.getBrowserFlow();
        return browser != null && uses(realm, browser.getId(), 0);
    }

    private static boolean uses(RealmModel realm, String flowId, int depth) {
        return depth < 10 && realm.getAuthenticationExecutionsStream(flowId).anyMatch(e -> e.isAuthenticatorFlow()
                ? uses(realm, e.getFlowId(), depth + 1)
                : LockoutAwarePasswordFormFactory.PROVIDER_ID.equals(e.getAuthenticator()));
    }

    /**
     * Whether the pending step of a sign-in asks for a one-time code: a step whose authenticator names the OTP
     * credential as its reference category, as Keycloak's {@code auth-otp-form} and the mfa module's
     * OTP-or-backup-code form do. Read from the factory, so this module names no second-factor class.
     */
    static boolean secondFactorStep(KeycloakSession session, RealmModel realm, String executionId) {
        var execution = executionId == null ? null : realm.getAuthenticationExecutionById(executionId);
        if (execution == null || execution.getAuthenticator() == null) {
            return false;
        }
        return session.getKeycloakSessionFactory().getProviderFactory(Authenticator.class, execution.getAuthenticator())
                instanceof ConfigurableAuthenticatorFactory factory && OTPCredentialModel.TYPE.equals(factory.getReferenceCategory());
    }
}
