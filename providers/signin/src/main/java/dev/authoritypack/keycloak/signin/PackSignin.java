package dev.authoritypack.keycloak.signin;

import org.keycloak.models.AuthenticationFlowModel;
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

    /** Whether the pending step of a sign-in is the pack's (or Keycloak's) one-time-code step. */
    static boolean secondFactorStep(RealmModel realm, String executionId) {
        if (executionId == null) {
            return false;
        }
        var execution = realm.getAuthenticationExecutionById(executionId);
        return execution != null && (OtpOrBackupCodeFormFactory.PROVIDER_ID.equals(execution.getAuthenticator())
                || "auth-otp-form".equals(execution.getAuthenticator()));
    }
}
