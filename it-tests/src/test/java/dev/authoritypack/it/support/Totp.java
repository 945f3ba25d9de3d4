package dev.authoritypack.it.support;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;

/** RFC 6238 TOTP codes (HMAC-SHA1, 6 digits, 30 s), computed independently of Keycloak. */
public final class Totp {

    private Totp() {
    }

    /** The code of a base32 secret for the current 30-second window moved by {@code windowOffset} windows. */
    public static String code(String base32Secret, int windowOffset) {
        return codeOfKey(base32(base32Secret), windowOffset);
    }

    /**
     * The same for a key as Keycloak stores it in an OTP credential's {@code secretData} (its raw text; an
     * authenticator app is given its base32 form): for users imported with such a credential (support/CompanyRealm).
     */
    public static String codeOfStoredKey(String storedKey, int windowOffset) {
        return codeOfKey(storedKey.getBytes(java.nio.charset.StandardCharsets.UTF_8), windowOffset);
    }

    private static String codeOfKey(byte[] key, int windowOffset) {
        try {
            long counter = Instant.now().getEpochSecond() / 30 + windowOffset;
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
            int o = h[h.length - 1] & 0xf;
            int bin = ((h[o] & 0x7f) << 24) | ((h[o + 1] & 0xff) << 16) | ((h[o + 2] & 0xff) << 8) | (h[o + 3] & 0xff);
            return String.format("%06d", bin % 1_000_000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A six-digit code that is not the current one of the secret: a wrong code that cannot be right by chance. */
    public static String wrongCode(String base32Secret, int windowOffset) {
        return "000000".equals(code(base32Secret, windowOffset)) ? "111111" : "000000";
    }

    static byte[] base32(String s) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int buffer = 0;
        int bits = 0;
        for (char c : s.replace(" ", "").replace("=", "").toUpperCase().toCharArray()) {
            buffer = (buffer << 5) | alphabet.indexOf(c);
            bits += 5;
            if (bits >= 8) {
                out.write((buffer >> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        return out.toByteArray();
    }
}
