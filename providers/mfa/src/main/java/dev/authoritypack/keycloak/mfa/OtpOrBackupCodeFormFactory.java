package dev.authoritypack.keycloak.mfa;

import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.browser.OTPFormAuthenticatorFactory;
import org.keycloak.models.KeycloakSession;

/**
 * {@code authority-otp-or-backup-code-form}: Keycloak's OTP form taking a TOTP or a backup code in one field.
 * Inherits the OTP reference category, so Keycloak's brute-force protector counts its failures.
 */
public class OtpOrBackupCodeFormFactory extends OTPFormAuthenticatorFactory {

    public static final String PROVIDER_ID = "authority-otp-or-backup-code-form";
    private static final OtpOrBackupCodeForm SINGLETON = new OtpOrBackupCodeForm();

    @Override
    public Authenticator create(KeycloakSession session) {
        return SINGLETON;
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "OTP or backup code Form (401/423)";
    }

    @Override
    public String getHelpText() {
        return "Keycloak's OTP form that also accepts any unused backup code (recovery code), each exactly once, "
                + "and answers 401 / 423 Locked with Retry-After.";
    }
}
