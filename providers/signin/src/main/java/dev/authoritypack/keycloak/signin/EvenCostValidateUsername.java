package dev.authoritypack.keycloak.signin;

import dev.authoritypack.keycloak.passwordhashes.PasswordCheckCost;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.directgrant.ValidateUsername;
import org.keycloak.events.Errors;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * {@code authority-direct-grant-username}: Keycloak's username step of the password grant
 * ({@link ValidateUsername}), whose refusals cost what a refused password costs ({@link PasswordCheckCost}).
 * Keycloak refuses an unknown, service or locked account here after its dummy hash, and a disabled one after
 * checking its own password; while the realm still holds imported bcrypt hashes both are topped up to the cost
 * of every other refused check, so the time of the answer does not tell which it was.
 */
public class EvenCostValidateUsername extends ValidateUsername {

    public static final String PROVIDER_ID = "authority-direct-grant-username";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        String username = retrieveUsername(context);
        if (username != null) {
            // before Keycloak's brute-force check below reads it: every node's copy of the record the same (asked
            // alike for a name that is nobody's, so the answer's timing does not tell); the account is looked up
            // only where there are copies to compare
            LoginFailureReplicas.repair(context.getSession(), context.getRealm(), () -> account(context, username));
        }
        super.authenticate(context);
        if (username == null || context.getUser() != null) {
            return; // accepted here (the password step follows), or no account was named: nothing was hashed
        }
        String error = context.getEvent().getEvent().getError();
        PasswordCheckCost.topUp(context, Errors.USER_DISABLED.equals(error)
                // a disabled account's own password was checked; refused, it is stored as it was (only a success
                // re-hashes it, and a disabled account's right password is told apart by its answer anyway)
                ? PasswordCheckCost.of(account(context, username))
                : error == null ? PasswordCheckCost.Paid.NOTHING // two accounts share the name: refused unhashed
                : PasswordCheckCost.Paid.REALM_HASH); // unknown, service or locked account: Keycloak's dummy hash
    }

    private static UserModel account(AuthenticationFlowContext context, String username) {
        try {
            return username == null ? null : KeycloakModelUtils.findUserByNameOrEmail(context.getSession(), context.getRealm(), username);
        } catch (ModelDuplicateException e) {
            return null;
        }
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Username Validation (even cost)";
    }

    @Override
    public String getHelpText() {
        return "Keycloak's username validation of the password grant; its refusals take as long as a refused password, "
                + "imported bcrypt hashes included.";
    }
}
