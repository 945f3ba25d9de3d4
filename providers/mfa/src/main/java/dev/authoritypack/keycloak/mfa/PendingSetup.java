package dev.authoritypack.keycloak.mfa;

import org.keycloak.common.util.Time;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.utils.HmacOTP;
import org.keycloak.models.utils.RecoveryAuthnCodesUtils;

import java.util.List;

/**
 * The secret and backup codes of a setup in progress, kept in notes of the user's SSO session (Keycloak's
 * distributed user-session store, shared by a cluster, gone with the session) until enabled, replaced, or
 * {@link #LIFETIME_SECONDS} old. Secret from Keycloak's {@link HmacOTP}, codes from {@link RecoveryAuthnCodesUtils}.
 */
record PendingSetup(String secret, List<String> codes, long expiresIn) {

    static final String SECRET_NOTE = "authority.mfa.pending.secret";
    static final String CODES_NOTE = "authority.mfa.pending.codes";
    static final String CREATED_NOTE = "authority.mfa.pending.created";
    static final long LIFETIME_SECONDS = 15 * 60;

    /** The setup in progress, or null when there is none or it is too old. */
    static PendingSetup of(UserSessionModel userSession) {
        String secret = userSession.getNote(SECRET_NOTE);
        String codes = userSession.getNote(CODES_NOTE);
        String created = userSession.getNote(CREATED_NOTE);
        if (secret == null || codes == null || created == null || !created.matches("\\d{1,12}")) {
            return null;
        }
        long left = Long.parseLong(created) + LIFETIME_SECONDS - Time.currentTime();
        return left <= 0 ? null : new PendingSetup(secret, List.of(codes.split(",")), left);
    }

    static PendingSetup create(UserSessionModel userSession) {
        String secret = HmacOTP.generateSecret(20);
        List<String> codes = RecoveryAuthnCodesUtils.generateRawCodes();
        userSession.setNote(SECRET_NOTE, secret);
        userSession.setNote(CODES_NOTE, String.join(",", codes));
        userSession.setNote(CREATED_NOTE, String.valueOf(Time.currentTime()));
        return new PendingSetup(secret, codes, LIFETIME_SECONDS);
    }

    static void clear(UserSessionModel userSession) {
        userSession.removeNote(SECRET_NOTE);
        userSession.removeNote(CODES_NOTE);
        userSession.removeNote(CREATED_NOTE);
    }
}
