package dev.authoritypack.keycloak.account;

import org.keycloak.models.RealmModel;

/**
 * Per-realm settings of account recovery and email verification, read from realm attributes
 * (docs/account.md, "Account recovery settings"); a missing or unreadable value means the documented default.
 */
record AccountSettings(int resetLifespan, int verifyLifespan, int resetCooldown, int resendCooldown,
                       int mailsPerClientAddress, int clientAddressWindow) {

    /** Keycloak's own per-type override of the action-token lifespan ({@code RealmModel#getActionTokenGeneratedByUserLifespan(String)}). */
    static final String LIFESPAN_PREFIX = "actionTokenGeneratedByUserLifespan.";
    static final String RESET_COOLDOWN = "authority.account.reset-cooldown-seconds";
    static final String RESEND_COOLDOWN = "authority.account.verification-resend-cooldown-seconds";
    static final String MAILS_PER_CLIENT_ADDRESS = "authority.account.mails-per-client-address";
    static final String CLIENT_ADDRESS_WINDOW = "authority.account.client-address-window-seconds";

    static AccountSettings of(RealmModel realm) {
        return new AccountSettings(
                seconds(realm, LIFESPAN_PREFIX + AccountToken.RESET, 15 * 60),
                seconds(realm, LIFESPAN_PREFIX + AccountToken.VERIFY, 12 * 60 * 60),
                seconds(realm, RESET_COOLDOWN, 60),
                seconds(realm, RESEND_COOLDOWN, 60),
                seconds(realm, MAILS_PER_CLIENT_ADDRESS, 20),
                seconds(realm, CLIENT_ADDRESS_WINDOW, 10 * 60));
    }

    int lifespan(String tokenType) {
        return AccountToken.RESET.equals(tokenType) ? resetLifespan : verifyLifespan;
    }

    private static int seconds(RealmModel realm, String attribute, int fallback) {
        String value = realm.getAttribute(attribute);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            return parsed < 0 ? fallback : parsed;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
