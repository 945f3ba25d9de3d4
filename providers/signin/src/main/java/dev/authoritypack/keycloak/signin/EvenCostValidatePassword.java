package dev.authoritypack.keycloak.signin;

import dev.authoritypack.keycloak.passwordhashes.PasswordCheckCost;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.directgrant.ValidatePassword;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * {@code authority-direct-grant-password}: Keycloak's password step of the password grant
 * ({@link ValidatePassword}), whose refusals cost the same whatever the account holds ({@link PasswordCheckCost}):
 * Keycloak refuses an account without a password without hashing, and checks an imported one at bcrypt's cost.
 */
public class EvenCostValidatePassword extends ValidatePassword {

    public static final String PROVIDER_ID = "authority-direct-grant-password";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        super.authenticate(context);
        if (context.getAuthenticationSession().getAuthNote(AuthenticationManager.PASSWORD_VALIDATED) == null) {
            // a refused check leaves the stored password as it was (only a success re-hashes it); no password
            // posted: Keycloak hashed nothing
            PasswordCheckCost.topUp(context, retrievePassword(context) == null ? PasswordCheckCost.Paid.NOTHING
                    : PasswordCheckCost.of(context.getUser()));
        }
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Password (even cost)";
    }

    @Override
    public String getHelpText() {
        return "Keycloak's password validation of the password grant; a refused password takes as long whatever the "
                + "account holds: no password, an imported bcrypt hash or the realm's own.";
    }
}
