package dev.authoritypack.keycloak.mfa;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.common.util.Time;
import org.keycloak.models.UserSessionModel;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PendingSetupTest {

    @Test
    void aFreshSetupIsReadBackWithItsCodesAndTimeLeft() {
        PendingSetup setup = PendingSetup.of(session(notes("SECRET", "c1,c2,c3", Time.currentTime() - 60)));
        assertNotNull(setup);
        assertEquals("SECRET", setup.secret());
        assertEquals(List.of("c1", "c2", "c3"), setup.codes());
        long left = setup.expiresIn();
        assertTrue(left > PendingSetup.LIFETIME_SECONDS - 62 && left <= PendingSetup.LIFETIME_SECONDS - 60, "left " + left);
    }

    @Test
    void aSetupAsOldAsItsLifetimeIsGone() {
        assertNull(PendingSetup.of(session(notes("SECRET", "c1", Time.currentTime() - PendingSetup.LIFETIME_SECONDS))));
        assertNull(PendingSetup.of(session(notes("SECRET", "c1", Time.currentTime() - PendingSetup.LIFETIME_SECONDS - 3600))));
    }

    @Test
    void aSetupWithAnyNoteMissingIsNone() {
        for (String missing : List.of(PendingSetup.SECRET_NOTE, PendingSetup.CODES_NOTE, PendingSetup.CREATED_NOTE)) {
            Map<String, String> notes = notes("SECRET", "c1", Time.currentTime());
            notes.remove(missing);
            assertNull(PendingSetup.of(session(notes)), missing);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "-5", "1.0e9", " 1700000000", "0x10", "1234567890123"})
    void aGarbageCreationTimeIsNone(String created) {
        Map<String, String> notes = notes("SECRET", "c1", 0);
        notes.put(PendingSetup.CREATED_NOTE, created);
        assertNull(PendingSetup.of(session(notes)), created);
    }

    @Test
    void createThenOfGivesTheSameSetup() {
        Map<String, String> notes = new HashMap<>();
        PendingSetup created = PendingSetup.create(session(notes));
        PendingSetup read = PendingSetup.of(session(notes));
        assertNotNull(read);
        assertEquals(created.secret(), read.secret());
        assertEquals(created.codes(), read.codes());
        assertTrue(created.codes().size() > 1);
    }

    private static Map<String, String> notes(String secret, String codes, long created) {
        Map<String, String> notes = new HashMap<>();
        notes.put(PendingSetup.SECRET_NOTE, secret);
        notes.put(PendingSetup.CODES_NOTE, codes);
        notes.put(PendingSetup.CREATED_NOTE, String.valueOf(created));
        return notes;
    }

    /** A user session whose notes are the given map. */
    private static UserSessionModel session(Map<String, String> notes) {
        return (UserSessionModel) Proxy.newProxyInstance(UserSessionModel.class.getClassLoader(), new Class<?>[]{UserSessionModel.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getNote" -> notes.get((String) args[0]);
                    case "setNote" -> notes.put((String) args[0], (String) args[1]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
