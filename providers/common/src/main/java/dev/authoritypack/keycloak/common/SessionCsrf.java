package dev.authoritypack.keycloak.common;

import org.keycloak.common.util.SecretGenerator;
import org.keycloak.models.UserSessionModel;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The form token of the signed-in pages ({@code /mfa/*}, {@code /profile}): random, kept as a note of the SSO
 * session (Keycloak's user session, so every node of a cluster knows it and it ends with the session). A form of
 * another site cannot carry it; another user's session has another token.
 */
public final class SessionCsrf {

    public static final String FIELD = "csrf_token";
    /** Named after its first page (/mfa); kept, so sessions open across an upgrade keep their token. */
    private static final String NOTE = "authority.mfa.csrf";

    private SessionCsrf() {
    }

    public static String tokenFor(UserSessionModel userSession) {
        String token = userSession.getNote(NOTE);
        if (token == null) {
            token = SecretGenerator.getInstance().randomString(32);
            userSession.setNote(NOTE, token);
        }
        return token;
    }

    public static boolean matches(UserSessionModel userSession, String presented) {
        String expected = userSession.getNote(NOTE);
        return expected != null && presented != null
                && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }
}
