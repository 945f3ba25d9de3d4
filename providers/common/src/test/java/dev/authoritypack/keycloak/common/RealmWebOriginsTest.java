package dev.authoritypack.keycloak.common;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RealmWebOriginsTest {

    @Test
    void theOriginOfARedirectUri() {
        assertEquals(Optional.of("http://127.0.0.1:5173"), RealmWebOrigins.origin("http://127.0.0.1:5173/callback"));
        assertEquals(Optional.of("https://app.example.com"), RealmWebOrigins.origin("https://APP.example.com/*"));
        assertEquals(Optional.of("https://app.example.com"), RealmWebOrigins.origin("https://app.example.com?x=1"));
        assertEquals(Optional.empty(), RealmWebOrigins.origin("/relative/path"));
        assertEquals(Optional.empty(), RealmWebOrigins.origin("com.example.app:/callback"), "a native app's scheme is no web origin");
        assertEquals(Optional.empty(), RealmWebOrigins.origin("https://*.example.com/cb"), "a wildcard host names no single origin");
        assertEquals(Optional.empty(), RealmWebOrigins.origin("https://user@evil.example/cb"));
    }
}
