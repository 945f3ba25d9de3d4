package dev.authoritypack.keycloak.common;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BasicClientIdTest {

    @Test
    void theIdIsFormDecodedAndAnUnreadableHeaderNamesNoClient() {
        assertEquals("my client", BasicClientId.of(basic("my+client:secret")));
        assertEquals("a:b", BasicClientId.of(basic("a%3Ab:secret")));
        assertEquals("c", BasicClientId.of("basic " + Base64.getEncoder().encodeToString("c:".getBytes(StandardCharsets.UTF_8))));
        assertNull(BasicClientId.of(null));
        assertNull(BasicClientId.of("Bearer abc"));
        assertNull(BasicClientId.of("Basic !!!"));
        assertNull(BasicClientId.of(basic("no-colon")));
        assertNull(BasicClientId.of(basic(":secret")));
        assertNull(BasicClientId.of(basic("%zz:secret")));
        assertNull(BasicClientId.of(basic("x".repeat(256) + ":s")));
    }

    @Test
    void theSchemeIsBasicWhateverTheCase() {
        assertTrue(BasicClientId.isBasic("Basic !!!"));
        assertTrue(BasicClientId.isBasic("basic abc"));
        assertFalse(BasicClientId.isBasic("Bearer abc"));
        assertFalse(BasicClientId.isBasic("Basic"));
        assertFalse(BasicClientId.isBasic(null));
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
