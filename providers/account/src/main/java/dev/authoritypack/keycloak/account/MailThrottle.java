package dev.authoritypack.keycloak.account;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.SingleUseObjectProvider;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Limits the mails of account recovery: one per address per cooldown, and a number per client address per
 * window. Both live in Keycloak's single-use object store, so every node of a cluster counts together, and use
 * only its atomic {@code putIfAbsent}: the per-client limit is a set of numbered slots, of which a mail must win
 * one. Keys carry a hash, never the address itself.
 */
final class MailThrottle {

    private MailThrottle() {
    }

    /** Both limits for one mail: the address's cooldown, then a slot of the client address's window. */
    static boolean allow(KeycloakSession session, AccountSettings settings, String kind, int cooldownSeconds, String email, String clientAddress) {
        return allowAddress(session, kind, email, cooldownSeconds)
                && allowClient(session, clientAddress, settings.mailsPerClientAddress(), settings.clientAddressWindow());
    }

    /** Whether a mail of this kind to this address may go out now; takes the address's cooldown if so. */
    private static boolean allowAddress(KeycloakSession session, String kind, String email, int cooldownSeconds) {
        if (cooldownSeconds <= 0) {
            return true;
        }
        return session.singleUseObjects().putIfAbsent("authority.mail." + kind + ".to." + hash(email.toLowerCase(Locale.ROOT)), cooldownSeconds);
    }

    /** Whether the client address may cause another mail in the current window; takes one slot if so. */
    private static boolean allowClient(KeycloakSession session, String clientAddress, int mailsPerWindow, int windowSeconds) {
        if (mailsPerWindow <= 0 || windowSeconds <= 0) {
            return true;
        }
        SingleUseObjectProvider store = session.singleUseObjects();
        String prefix = "authority.mail.from." + hash(String.valueOf(clientAddress)) + ".";
        for (int slot = 0; slot < mailsPerWindow; slot++) {
            if (store.putIfAbsent(prefix + slot, windowSeconds)) {
                return true;
            }
        }
        return false;
    }

    private static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
