package dev.authoritypack.keycloak.signin;

import org.junit.jupiter.api.Test;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.representations.idm.RealmRepresentation.BruteForceStrategy;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LockoutTest {

    private static final long NEVER = Long.MAX_VALUE;

    @Test
    void linearWaitStartsAtTheFailureFactorAndGrowsByOneIncrementPerFailure() {
        RealmModel realm = realm(BruteForceStrategy.LINEAR);
        assertEquals(0, Lockout.waitSeconds(realm, 2, NEVER));
        assertEquals(60, Lockout.waitSeconds(realm, 3, NEVER));
        assertEquals(120, Lockout.waitSeconds(realm, 4, NEVER));
        assertEquals(180, Lockout.waitSeconds(realm, 5, NEVER));
    }

    @Test
    void multipleWaitGrowsOncePerFailureFactor() {
        RealmModel realm = realm(BruteForceStrategy.MULTIPLE);
        assertEquals(0, Lockout.waitSeconds(realm, 2, NEVER));
        assertEquals(60, Lockout.waitSeconds(realm, 3, NEVER));
        assertEquals(60, Lockout.waitSeconds(realm, 5, NEVER));
        assertEquals(120, Lockout.waitSeconds(realm, 6, NEVER));
    }

    @Test
    void theWaitIsCappedByTheMaximum() {
        assertEquals(900, Lockout.waitSeconds(realm(BruteForceStrategy.LINEAR), 100, NEVER));
        assertEquals(900, Lockout.waitSeconds(realm(BruteForceStrategy.MULTIPLE), 100, NEVER));
    }

    @Test
    void aQuickFailureBelowTheFactorWaitsTheMinimum() {
        RealmModel realm = realm(BruteForceStrategy.LINEAR);
        assertEquals(30, Lockout.waitSeconds(realm, 1, 999));
        assertEquals(0, Lockout.waitSeconds(realm, 1, 1000));
        assertEquals(60, Lockout.waitSeconds(realm, 3, 10), "the factor's wait, not the quick-login minimum");
    }

    @Test
    void anUnknownIdentifierIsLockedAfterTheFailureFactorWhateverItsCase() {
        Map<String, Map<String, String>> store = new HashMap<>();
        KeycloakSession session = session(store);
        RealmModel realm = realm(BruteForceStrategy.LINEAR, Map.of("getQuickLoginCheckMilliSeconds", 0L));
        Lockout.unknownIdentifierFailed(session, realm, "Nobody@Example.com");
        Lockout.unknownIdentifierFailed(session, realm, " nobody@example.com ");
        assertEquals(Optional.empty(), Lockout.unknownIdentifierLocked(session, realm, "nobody@example.com"));
        Lockout.unknownIdentifierFailed(session, realm, "NOBODY@example.com");
        long left = Lockout.unknownIdentifierLocked(session, realm, "nobody@example.com").orElseThrow().retryAfterSeconds();
        assertTrue(left >= 59 && left <= 60, "left " + left);
        assertEquals(Optional.empty(), Lockout.unknownIdentifierLocked(session, realm, "somebody@example.com"));
        assertEquals(1, store.size());
        assertTrue(store.keySet().iterator().next().startsWith("authority-signin-unknown:realm-1:"));
        assertTrue(!store.keySet().iterator().next().contains("nobody"), "only a hash is stored");
    }

    @Test
    void permanentLockoutWithoutTemporaryLockoutsLocksForGood() {
        Map<String, Map<String, String>> store = new HashMap<>();
        KeycloakSession session = session(store);
        RealmModel realm = realm(BruteForceStrategy.LINEAR, Map.of("isPermanentLockout", true, "getQuickLoginCheckMilliSeconds", 0L));
        for (int i = 0; i < 3; i++) {
            Lockout.unknownIdentifierFailed(session, realm, "nobody@example.com");
        }
        assertTrue(Lockout.unknownIdentifierLocked(session, realm, "nobody@example.com").orElseThrow().permanent());
    }

    @Test
    void withoutBruteForceProtectionNothingIsCountedOrLocked() {
        Map<String, Map<String, String>> store = new HashMap<>();
        KeycloakSession session = session(store);
        RealmModel realm = realm(BruteForceStrategy.LINEAR, Map.of("isBruteForceProtected", false));
        for (int i = 0; i < 5; i++) {
            Lockout.unknownIdentifierFailed(session, realm, "nobody@example.com");
        }
        assertTrue(store.isEmpty());
        assertEquals(Optional.empty(), Lockout.unknownIdentifierLocked(session, realm, "nobody@example.com"));
    }

    private static RealmModel realm(BruteForceStrategy strategy) {
        return realm(strategy, Map.of());
    }

    /** A brute-force-protected realm: factor 3, +60 s per step up to 900 s, 30 s after a failure within 1 s. */
    private static RealmModel realm(BruteForceStrategy strategy, Map<String, Object> overrides) {
        Map<String, Object> values = new HashMap<>(Map.of(
                "getId", "realm-1", "isBruteForceProtected", true, "getBruteForceStrategy", strategy,
                "getFailureFactor", 3, "getWaitIncrementSeconds", 60, "getMaxFailureWaitSeconds", 900,
                "getQuickLoginCheckMilliSeconds", 1000L, "getMinimumQuickLoginWaitSeconds", 30,
                "getMaxDeltaTimeSeconds", 12 * 60 * 60, "isPermanentLockout", false));
        values.put("getMaxTemporaryLockouts", 0);
        values.putAll(overrides);
        return proxy(RealmModel.class, (method, args) -> {
            if (!values.containsKey(method)) {
                throw new UnsupportedOperationException(method);
            }
            return values.get(method);
        });
    }

    /** A session whose single-use object store is the given map. */
    @SuppressWarnings("unchecked")
    private static KeycloakSession session(Map<String, Map<String, String>> store) {
        SingleUseObjectProvider objects = proxy(SingleUseObjectProvider.class, (method, args) -> switch (method) {
            case "get" -> store.get((String) args[0]);
            case "put" -> store.put((String) args[0], (Map<String, String>) args[2]);
            case "replace" -> store.replace((String) args[0], (Map<String, String>) args[1]) != null;
            default -> throw new UnsupportedOperationException(method);
        });
        return proxy(KeycloakSession.class, (method, args) -> {
            if (!method.equals("singleUseObjects")) {
                throw new UnsupportedOperationException(method);
            }
            return objects;
        });
    }

    /** An implementation of a Keycloak interface answering by method name; the answers throw for anything else. */
    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, BiFunction<String, Object[], Object> answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (p, method, args) -> answers.apply(method.getName(), args));
    }
}
