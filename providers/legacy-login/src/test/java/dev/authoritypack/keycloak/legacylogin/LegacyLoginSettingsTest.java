package dev.authoritypack.keycloak.legacylogin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.keycloak.models.RealmModel;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LegacyLoginSettingsTest {

    /** A realm that answers only {@code getAttribute}, from {@code attributes}. */
    private static RealmModel realm(Map<String, String> attributes) {
        return (RealmModel) Proxy.newProxyInstance(RealmModel.class.getClassLoader(), new Class<?>[]{RealmModel.class}, (proxy, method, args) -> {
            if (method.getName().equals("getAttribute") && args != null && args.length == 1 && args[0] instanceof String name) {
                return attributes.get(name);
            }
            throw new UnsupportedOperationException(method.getName());
        });
    }

    private static LegacyLoginSettings with(String key, String value) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put(LegacyLoginSettings.PREFIX + key, value);
        return LegacyLoginSettings.of(realm(attributes));
    }

    @Test
    void theDocumentedDefaults() {
        LegacyLoginSettings settings = LegacyLoginSettings.of(realm(Map.of()));
        assertEquals(new LegacyLoginSettings("auth0", "", List.of(), "legacy:login", "authority-legacy-login", "", List.of(),
                "license", 30, false), settings);
    }

    @Test
    void blankIsTheDefault() {
        assertEquals("auth0", with("identity-provider", "  ").identityProvider());
        assertEquals("legacy:login", with("required-scope", "").requiredScope());
        assertEquals(30, with("clock-skew-seconds", " ").clockSkewSeconds());
    }

    @Test
    void valuesAreTrimmed() {
        assertEquals("auth0-eu", with("identity-provider", " auth0-eu\n").identityProvider());
        assertEquals("https://app.example.com/cb", with("callback-url", " https://app.example.com/cb ").callbackUrl());
    }

    @Test
    void listsAreSplitByCommasAndBlanks() {
        assertEquals(List.of("a", "b", "c", "d"), with("allowed-clients", " a, b,,c\n d ").allowedClients());
        assertEquals(List.of("https://app.example.com/"), with("redirect-allow-list", "https://app.example.com/").redirectAllowList());
    }

    @ParameterizedTest
    @CsvSource({"0,0", "5,5", "030,30", "600,600", "601,30", "999,30", "1000,30", "-1,30", "ten,30", "1.5,30", "0030,30"})
    void theClockSkewIsZeroToSixHundredElseThirty(String value, int seconds) {
        assertEquals(seconds, with("clock-skew-seconds", value).clockSkewSeconds());
    }

    @Test
    void administratorsOnlyWhenTrue() {
        assertTrue(with("allow-administrators", "true").allowAdministrators());
        assertTrue(with("allow-administrators", "TRUE").allowAdministrators());
        assertFalse(with("allow-administrators", "yes").allowAdministrators());
        assertFalse(with("allow-administrators", "1").allowAdministrators());
    }

    @Test
    void redirectsOnlyToTheAllowList() {
        LegacyLoginSettings settings = with("redirect-allow-list", "https://app.example.com/login, https://other.example.com");
        assertTrue(settings.redirectAllowed("https://app.example.com/login?expired=1"));
        assertTrue(settings.redirectAllowed("https://other.example.com/x"));
        assertFalse(settings.redirectAllowed("https://evil.example/phish"));
        assertFalse(settings.redirectAllowed("https://other.example.com.evil.example/"));
        assertFalse(LegacyLoginSettings.of(realm(Map.of())).redirectAllowed("https://app.example.com/login"), "nothing by default");
    }
}
