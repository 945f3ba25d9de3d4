package dev.authoritypack.keycloak.legacylogin;

import dev.authoritypack.keycloak.common.UrlAllowList;
import org.keycloak.models.RealmModel;

import java.util.Arrays;
import java.util.List;

/**
 * Realm settings of {@code /api/login}: realm attributes {@code authority.legacy-login.*}, each with a safe
 * default (docs/legacy-login.md). Read per request, so the admin console changes them live.
 */
record LegacyLoginSettings(String identityProvider, String audience, List<String> allowedClients, String requiredScope,
                           String client, String callbackUrl, List<String> redirectAllowList, String licenseRole,
                           int clockSkewSeconds, boolean allowAdministrators) {

    static final String PREFIX = "authority.legacy-login.";

    static LegacyLoginSettings of(RealmModel realm) {
        return new LegacyLoginSettings(
                get(realm, "identity-provider", "auth0"),
                get(realm, "audience", ""),
                list(get(realm, "allowed-clients", "")),
                get(realm, "required-scope", "legacy:login"),
                get(realm, "client", "authority-legacy-login"),
                get(realm, "callback-url", ""),
                list(get(realm, "redirect-allow-list", "")),
                get(realm, "license-role", "license"),
                clockSkew(get(realm, "clock-skew-seconds", "30")),
                Boolean.parseBoolean(get(realm, "allow-administrators", "false")));
    }

    /** A number of seconds, 0–600; anything else is the default 30 (a typo must not turn the check off or fail every login). */
    private static int clockSkew(String value) {
        return value.matches("\\d{1,3}") && Integer.parseInt(value) <= 600 ? Integer.parseInt(value) : 30;
    }

    private static String get(RealmModel realm, String key, String fallback) {
        String v = realm.getAttribute(PREFIX + key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static List<String> list(String value) {
        return value.isBlank() ? List.of() : Arrays.stream(value.trim().split("[\\s,]+")).filter(s -> !s.isEmpty()).toList();
    }

    /** A redirect target on the allow-list, never anything else. */
    boolean redirectAllowed(String url) {
        return UrlAllowList.allows(redirectAllowList, url);
    }
}
