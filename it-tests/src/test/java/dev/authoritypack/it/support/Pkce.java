package dev.authoritypack.it.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** PKCE (RFC 7636) for authorization requests: the RFC's own example pair, and S256 of any verifier. */
public final class Pkce {

    /** The code verifier of RFC 7636, appendix B. */
    public static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    /** Its S256 challenge (RFC 7636, appendix B): {@code BASE64URL(SHA256(VERIFIER))}. */
    public static final String S256_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    /** The query parameters that send {@link #S256_CHALLENGE}, each preceded by {@code &}. */
    public static final String S256_PARAMS = "&code_challenge=" + S256_CHALLENGE + "&code_challenge_method=S256";

    private Pkce() {
    }

    /** The S256 challenge of a verifier: unpadded base64url of its SHA-256. */
    public static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
