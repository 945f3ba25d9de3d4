package dev.authoritypack.keycloak.mfa;

import dev.authoritypack.keycloak.signin.LockoutAnswers;

import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.browser.OTPFormAuthenticator;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.RecoveryAuthnCodesCredentialModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.services.messages.Messages;
import org.keycloak.services.validation.Validation;

/**
 * Keycloak's OTP form ({@link OTPFormAuthenticator}) whose one field also takes a backup code (docs/signin.md): a
 * TOTP code is checked by Keycloak (with its replay protection in the single-use store); anything else is tried
 * as one of the user's unused backup codes ({@link BackupCodes}, any order, exactly once). A wrong code is a
 * failure Keycloak counts toward the brute-force lockout (OTP category), answered 401; a lockout 423 +
 * Retry-After, as on the password step.
 */
public class OtpOrBackupCodeForm extends OTPFormAuthenticator {

    @Override
    public void validateOTP(AuthenticationFlowContext context) {
        String input = context.getHttpRequest().getDecodedFormParameters().getFirst("otp");
        UserModel user = context.getUser();
        // decided once: checked again inside Keycloak's OTP validation, a parallel attempt that ended in between
        // would let a valid backup code fall through to the TOTP check and be answered 401
        if (user != null && isDisabledByBruteForce(context, user)) {
            return; // locked, or another attempt of this user is running: 423
        }
        if (input != null && !looksLikeTotp(input) && user != null && user.isEnabled()
                && BackupCodes.consume(context.getSession(), user, input)) {
            context.getEvent().detail("second_factor", RecoveryAuthnCodesCredentialModel.TYPE);
            context.success(RecoveryAuthnCodesCredentialModel.TYPE);
            return;
        }
        super.validateOTP(context);
    }

    private static boolean looksLikeTotp(String input) {
        return input.trim().matches("\\d{6,8}");
    }

    @Override
    protected Response challenge(AuthenticationFlowContext context, String error, String field) {
        Response page = super.challenge(context, error, field);
        return Messages.INVALID_TOTP.equals(error)
                ? LockoutAnswers.invalidCredentials(context, page, "The code is not valid")
                : page;
    }

    @Override
    protected boolean isDisabledByBruteForce(AuthenticationFlowContext context, UserModel user) {
        return LockoutAnswers.lockedOut(context, user, (ctx, message) -> ctx.form().setExecution(ctx.getExecution().getId())
                .addError(new FormMessage(Validation.FIELD_OTP_CODE, message)).createLoginTotp());
    }
}
