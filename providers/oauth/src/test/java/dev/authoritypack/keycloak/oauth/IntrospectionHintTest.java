package dev.authoritypack.keycloak.oauth;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class IntrospectionHintTest {

    /** A JWT with the given typ claim; the signature does not matter here (Keycloak verifies it afterwards). */
    private static String token(String typ) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"typ\":\"" + typ + "\",\"sub\":\"u\"}").getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    private static MultivaluedMap<String, String> form(String token, String hint) {
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
        form.putSingle("token", token);
        if (hint != null) {
            form.putSingle(IntrospectionHint.PARAM, hint);
        }
        return form;
    }

    @Test
    void theTokensKindDecidesWhateverTheHint() {
        for (String hint : new String[]{null, "access_token", "refresh_token", "bogus"}) {
            MultivaluedMap<String, String> refresh = form(token("Refresh"), hint);
            IntrospectionHint.correct(refresh);
            assertEquals("refresh_token", refresh.getFirst(IntrospectionHint.PARAM), "hint " + hint);
            MultivaluedMap<String, String> offline = form(token("Offline"), hint);
            IntrospectionHint.correct(offline);
            assertEquals("refresh_token", offline.getFirst(IntrospectionHint.PARAM), "hint " + hint);
            MultivaluedMap<String, String> access = form(token("Bearer"), hint);
            IntrospectionHint.correct(access);
            assertEquals("access_token", access.getFirst(IntrospectionHint.PARAM), "hint " + hint);
        }
    }

    @Test
    void anUnreadableTokenKeepsAKnownHintAndLosesAnUnknownOne() {
        MultivaluedMap<String, String> known = form("not-a-jwt", "refresh_token");
        IntrospectionHint.correct(known);
        assertEquals("refresh_token", known.getFirst(IntrospectionHint.PARAM));
        MultivaluedMap<String, String> unknown = form("a.b.c", "bogus");
        IntrospectionHint.correct(unknown);
        assertFalse(unknown.containsKey(IntrospectionHint.PARAM));
        MultivaluedMap<String, String> idToken = form(token("ID"), null);
        IntrospectionHint.correct(idToken);
        assertFalse(idToken.containsKey(IntrospectionHint.PARAM), "another kind of token: Keycloak's default");
    }

    @Test
    void garbageIsNoKind() {
        for (String t : new String[]{null, "", " ", "x", "a.b", "....", "eyJhbGciOiJSUzI1NiJ9.gYGB.c2ln", "x".repeat(20_000)}) {
            assertNull(IntrospectionHint.kind(t), t == null ? "null" : t.substring(0, Math.min(t.length(), 20)));
        }
    }
}
