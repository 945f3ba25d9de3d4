package dev.authoritypack.keycloak.signin;

import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.browser.UsernamePasswordFormFactory;
import org.keycloak.models.KeycloakSession;

/**
 * {@code authority-username-password-form}: Keycloak's username/password form with documented status codes.
 * Inherits the password reference category from {@link UsernamePasswordFormFactory}, which is what makes
 * Keycloak's brute-force protector count its failures (its reference category is the password's).
 */
public class LockoutAwarePasswordFormFactory extends UsernamePasswordFormFactory {

    public static final String PROVIDER_ID = "authority-username-password-form";

    @Override
    public Authenticator create(KeycloakSession session) {
        return new LockoutAwarePasswordForm(session);
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Username Password Form (401/423)";
    }

    @Override
    public String getHelpText() {
        return "Keycloak's username/password form answering 401 on bad credentials and 423 Locked with Retry-After "
                + "during a brute-force lockout; unknown emails are answered and locked like known ones.";
    }
}
