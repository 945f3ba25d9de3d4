package dev.authoritypack.keycloak.account;

import dev.authoritypack.keycloak.ratelimits.RateLimitsProvider;
import org.keycloak.models.KeycloakSession;

import java.util.Locale;

/**
 * Limits the mails of account recovery: one per address per cooldown, and a number per client address per window,
 * with the pack's one rate limiter ({@link RateLimitsProvider#takeSlot}, sliding slots shared by a cluster, keys
 * stored hashed). A refused mail is not sent; the route's answer stays the same (docs/account.md).
 */
final class MailThrottle {

    private MailThrottle() {
    }

    /** Both limits for one mail: the address's cooldown, then a slot of the client address's window. */
    static boolean allow(KeycloakSession session, AccountSettings settings, String kind, int cooldownSeconds, String email, String clientAddress) {
        RateLimitsProvider limits = session.getProvider(RateLimitsProvider.class);
        return limits.takeSlot("mail." + kind + ".to", email.toLowerCase(Locale.ROOT), 1, cooldownSeconds)
                && limits.takeSlot("mail.from", String.valueOf(clientAddress), settings.mailsPerClientAddress(), settings.clientAddressWindow());
    }
}
