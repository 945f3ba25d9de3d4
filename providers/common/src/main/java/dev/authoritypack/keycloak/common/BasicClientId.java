package dev.authoritypack.keycloak.common;

import org.keycloak.util.BasicAuthHelper;

/**
 * The client id an {@code Authorization: Basic} header names (RFC 6749 §2.3.1: id and secret form-encoded), read with
 * Keycloak's {@link BasicAuthHelper.RFC6749}, the parser its client authenticator uses: the rate limits count, and
 * the {@code WWW-Authenticate} challenge names, the client Keycloak will authenticate. One reading for both, so a
 * header one of them takes for a client the other cannot read otherwise.
 */
public final class BasicClientId {

    /** Longer ids are no client of Keycloak's (its {@code CLIENT.CLIENT_ID} column holds 255). */
    public static final int MAX_LENGTH = 255;

    private BasicClientId() {
    }

    /** Whether the header uses the Basic scheme at all (well-formed or not). */
    public static boolean isBasic(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
    }

    /**
     * The client id of a Basic header, or {@code null} when there is none, the header is not Basic, or it cannot be
     * read (not Base64, no colon, a malformed escape, an empty or over-long id).
     */
    public static String of(String authorization) {
        String[] idAndSecret;
        try {
            idAndSecret = authorization == null ? null : BasicAuthHelper.RFC6749.parseHeader(authorization);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
        String id = idAndSecret == null ? null : idAndSecret[0];
        return id == null || id.isEmpty() || id.length() > MAX_LENGTH ? null : id;
    }
}
