package dev.authoritypack.keycloak.account;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.models.RealmModel;

import java.lang.reflect.Proxy;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AccountSettingsTest {

    private static final AccountSettings DEFAULTS = new AccountSettings(15 * 60, 12 * 60 * 60, 60, 60, 20, 10 * 60);

    @Test
    void aRealmWithoutAttributesHasTheDocumentedDefaults() {
        assertEquals(DEFAULTS, AccountSettings.of(realm(Map.of())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "-1", "ten", "1.5", "0x10", "99999999999", "1 2"})
    void anUnreadableOrNegativeValueMeansTheDefault(String value) {
        assertEquals(DEFAULTS, AccountSettings.of(realm(Map.of(
                AccountSettings.LIFESPAN_PREFIX + AccountToken.RESET, value,
                AccountSettings.LIFESPAN_PREFIX + AccountToken.VERIFY, value,
                AccountSettings.RESET_COOLDOWN, value,
                AccountSettings.RESEND_COOLDOWN, value,
                AccountSettings.MAILS_PER_CLIENT_ADDRESS, value,
                AccountSettings.CLIENT_ADDRESS_WINDOW, value))));
    }

    @Test
    void eachAttributeSetsItsOwnSetting() {
        AccountSettings settings = AccountSettings.of(realm(Map.of(
                AccountSettings.LIFESPAN_PREFIX + AccountToken.RESET, "300",
                AccountSettings.LIFESPAN_PREFIX + AccountToken.VERIFY, " 3600 ",
                AccountSettings.RESET_COOLDOWN, "0",
                AccountSettings.RESEND_COOLDOWN, "5",
                AccountSettings.MAILS_PER_CLIENT_ADDRESS, "7",
                AccountSettings.CLIENT_ADDRESS_WINDOW, "120")));
        assertEquals(new AccountSettings(300, 3600, 0, 5, 7, 120), settings);
    }

    @Test
    void theLifespanFollowsTheTokenType() {
        AccountSettings settings = new AccountSettings(300, 3600, 0, 0, 0, 0);
        assertEquals(300, settings.lifespan(AccountToken.RESET));
        assertEquals(3600, settings.lifespan(AccountToken.VERIFY));
    }

    /** A realm that answers only its attributes. */
    private static RealmModel realm(Map<String, String> attributes) {
        return (RealmModel) Proxy.newProxyInstance(RealmModel.class.getClassLoader(), new Class<?>[]{RealmModel.class}, (proxy, method, args) -> {
            if (method.getName().equals("getAttribute") && args.length == 1) {
                return attributes.get((String) args[0]);
            }
            throw new UnsupportedOperationException(method.getName());
        });
    }
}
