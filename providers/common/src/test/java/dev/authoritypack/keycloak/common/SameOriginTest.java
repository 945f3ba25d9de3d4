package dev.authoritypack.keycloak.common;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SameOriginTest {

    private static final URI BASE = URI.create("http://localhost:8080/");

    @Test
    void aBrowsersOwnFormIsSameOriginEvenWithOriginNull() {
        // Keycloak's pages carry Referrer-Policy: no-referrer, so a browser posts their forms with Origin: null
        assertFalse(SameOrigin.crossSite(BASE, headers(Map.of("Origin", "null", "Sec-Fetch-Site", "same-origin"))));
        assertFalse(SameOrigin.crossSite(BASE, headers(Map.of("Origin", "http://localhost:8080", "Sec-Fetch-Site", "same-origin"))));
        assertFalse(SameOrigin.crossSite(BASE, headers(Map.of("Sec-Fetch-Site", "none"))));
        assertFalse(SameOrigin.crossSite(BASE, headers(Map.of("Origin", "http://localhost:8080"))));
        assertFalse(SameOrigin.crossSite(BASE, headers(Map.of())), "no browser: curl, a backend");
    }

    @Test
    void anotherSitesPageIsCrossSite() {
        assertTrue(SameOrigin.crossSite(BASE, headers(Map.of("Origin", "null", "Sec-Fetch-Site", "cross-site"))));
        assertTrue(SameOrigin.crossSite(BASE, headers(Map.of("Sec-Fetch-Site", "same-site"))));
        assertTrue(SameOrigin.crossSite(BASE, headers(Map.of("Origin", "https://evil.example"))));
        assertTrue(SameOrigin.crossSite(BASE, headers(Map.of("Origin", "https://evil.example", "Sec-Fetch-Site", "same-origin"))), "contradiction");
        assertTrue(SameOrigin.crossSite(BASE, headers(Map.of("Origin", "null"))), "an opaque origin without Fetch Metadata");
        assertTrue(SameOrigin.crossSite(BASE, headers(Map.of("Origin", "http://localhost:8081"))));
        assertTrue(SameOrigin.crossSite(BASE, headers(Map.of("Referer", "https://evil.example/page"))));
    }

    @Test
    void programsAndTheUserAreNotWebPages() {
        // Node's fetch (undici): Sec-Fetch-Mode: cors and no Origin, no Sec-Fetch-Site
        assertFalse(SameOrigin.fromWebPage(headers(Map.of("Sec-Fetch-Mode", "cors"))));
        assertFalse(SameOrigin.crossSite(BASE, headers(Map.of("Sec-Fetch-Mode", "cors"))));
        assertFalse(SameOrigin.fromWebPage(headers(Map.of("Sec-Fetch-Mode", "cors", "Sec-Fetch-Dest", "empty", "Sec-Fetch-User", "?1"))));
        assertFalse(SameOrigin.fromWebPage(headers(Map.of())), "curl, Python, Java, Go");
        // what the user started, or an extension with host permission: no web page can send none
        assertFalse(SameOrigin.fromWebPage(headers(Map.of("Sec-Fetch-Site", "none"))));
        assertFalse(SameOrigin.fromWebPage(headers(Map.of("Sec-Fetch-Site", "None", "Origin", "chrome-extension://abcdef"))));
        assertFalse(SameOrigin.crossSite(BASE, headers(Map.of("Sec-Fetch-Site", "none", "Origin", "chrome-extension://abcdef"))));
    }

    @Test
    void everyPostAPageMakesIsAWebPagesPost() {
        assertTrue(SameOrigin.fromWebPage(headers(Map.of("Origin", "http://localhost:8080"))), "older browser, or plain HTTP");
        assertTrue(SameOrigin.fromWebPage(headers(Map.of("Origin", "null"))));
        assertTrue(SameOrigin.fromWebPage(headers(Map.of("Origin", "null", "Sec-Fetch-Site", "same-origin", "Sec-Fetch-Mode", "navigate"))));
        assertTrue(SameOrigin.fromWebPage(headers(Map.of("Sec-Fetch-Site", "same-origin"))));
        assertTrue(SameOrigin.fromWebPage(headers(Map.of("Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "cors"))));
    }

    private static jakarta.ws.rs.core.HttpHeaders headers(Map<String, String> values) {
        return new jakarta.ws.rs.core.HttpHeaders() {
            public java.util.List<String> getRequestHeader(String name) {
                String v = getHeaderString(name);
                return v == null ? java.util.List.of() : java.util.List.of(v);
            }
            public String getHeaderString(String name) {
                return values.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElse(null);
            }
            public jakarta.ws.rs.core.MultivaluedMap<String, String> getRequestHeaders() {
                throw new UnsupportedOperationException();
            }
            public java.util.List<jakarta.ws.rs.core.MediaType> getAcceptableMediaTypes() {
                return java.util.List.of();
            }
            public java.util.List<java.util.Locale> getAcceptableLanguages() {
                return java.util.List.of();
            }
            public jakarta.ws.rs.core.MediaType getMediaType() {
                return null;
            }
            public java.util.Locale getLanguage() {
                return null;
            }
            public Map<String, jakarta.ws.rs.core.Cookie> getCookies() {
                return Map.of();
            }
            public java.util.Date getDate() {
                return null;
            }
            public int getLength() {
                return -1;
            }
        };
    }
}
