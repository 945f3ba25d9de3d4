package dev.authoritypack.keycloak.account;

import dev.authoritypack.keycloak.ratelimits.RateLimitsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.Locale;

/**
 * Limits the mails of account recovery: one per address per cooldown, and a number per client address per window,
 * with the pack's one rate limiter ({@link RateLimitsProvider#takeSlot}, sliding slots shared by a cluster, keys
 * stored hashed). A refused mail is not sent; the route's answer stays the same (docs/account.md).
 *
 * <p>Both counters are the realm's: the limits are realm attributes ({@link AccountSettings}), and one realm's mails
 * must not use up another's (the same address may have an account in two realms; one client address may reach both).
 */
final class MailThrottle {

    private MailThrottle() {
    }

    /** Both limits for one mail: the address's cooldown, then a slot of the client address's window. */
    static boolean allow(KeycloakSession session, RealmModel realm, AccountSettings settings, String kind, int cooldownSeconds, String email,
                         String clientAddress) {
        RateLimitsProvider limits = session.getProvider(RateLimitsProvider.class);
        String inRealm = realm.getId() + "/";
        return limits.takeSlot("mail." + kind + ".to", inRealm + email.toLowerCase(Locale.ROOT), 1, cooldownSeconds)
                && limits.takeSlot("mail.from", inRealm + clientAddress, settings.mailsPerClientAddress(), settings.clientAddressWindow());
    }
}
