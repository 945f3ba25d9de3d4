package dev.authoritypack.keycloak.legacylogin;

import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.common.Profile;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LegacyLoginRequestTest {

    private static String standard(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String url(String s) {
        return Base64.getUrlEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Nested
    class TheEmail {

        @Test
        void standardAlphabetWithPadding() {
            assertEquals("ann@example.de", LegacyLoginRequest.decodeEmail(standard("ann@example.de")));
            assertTrue(standard("ann@example.de").endsWith("="), "one padding character");
            assertEquals("a@example.com", LegacyLoginRequest.decodeEmail(standard("a@example.com")));
            assertTrue(standard("a@example.com").endsWith("=="), "two padding characters");
        }

        @Test
        void paddingIsOptional() {
            String padded = standard("ann@example.de");
            assertEquals("ann@example.de", LegacyLoginRequest.decodeEmail(padded.replace("=", "")));
            assertEquals("ann@example.com", LegacyLoginRequest.decodeEmail(standard("ann@example.com")), "a length that needs none");
        }

        @Test
        void urlAlphabet() {
            // '>' and '?' make '+' and '/' in the standard alphabet, '-' and '_' in the URL one
            String email = "a>>?@example.com";
            String encoded = url(email);
            assertTrue(encoded.contains("-") || encoded.contains("_"), encoded);
            assertFalse(encoded.contains("+") || encoded.contains("/"), encoded);
            assertEquals(email, LegacyLoginRequest.decodeEmail(encoded));
            assertEquals(email, LegacyLoginRequest.decodeEmail(standard(email)));
            assertEquals(email, LegacyLoginRequest.decodeEmail(encoded.replace("=", "")), "URL alphabet without padding");
        }

        @Test
        void lowerCaseAndTrimmed() {
            assertEquals("ann@example.com", LegacyLoginRequest.decodeEmail("  " + standard(" Ann@Example.COM ") + "\n"));
        }

        @Test
        void notLowerCasedByTheDefaultLocale() {
            Locale before = Locale.getDefault();
            Locale.setDefault(Locale.forLanguageTag("tr"));
            try {
                assertEquals("iris@example.com", LegacyLoginRequest.decodeEmail(standard("IRIS@example.com")));
            } finally {
                Locale.setDefault(before);
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"%%%", "not base64!", "YW5u@", "====", "a", "", "   "})
        void garbageIsRefused(String encoded) {
            assertNull(LegacyLoginRequest.decodeEmail(encoded));
        }

        @Test
        void anythingButAnAddressIsRefused() {
            assertNull(LegacyLoginRequest.decodeEmail(standard("no-at-sign.example.com")), "no @");
            assertNull(LegacyLoginRequest.decodeEmail(standard("ann@example.com\r\nBcc: eve@example.com")), "a header injection");
            assertNull(LegacyLoginRequest.decodeEmail(standard("ann\u0000@example.com")), "a NUL");
        }

        @Test
        void theRawAddressIsNotBase64() {
            assertNull(LegacyLoginRequest.decodeEmail("ann@example.com"), "docs/legacy-login.md sends the email Base64-encoded");
        }
    }

    @Nested
    class TheBearerToken {

        @BeforeAll
        static void keycloakFeatures() {
            Profile.defaults(); // AppAuthManager asks whether DPoP is enabled (it is by default)
        }

        private static String bearer(String... authorization) {
            return LegacyLoginRequest.bearer(headers(authorization));
        }

        @Test
        void theTokenOfABearerHeader() {
            assertEquals("a.b.c", bearer("Bearer a.b.c"));
        }

        @Test
        void theSchemeInAnyCase() {
            assertEquals("a.b.c", bearer("bearer a.b.c"));
            assertEquals("a.b.c", bearer("BEARER a.b.c"));
        }

        @Test
        void noHeaderNoToken() {
            assertNull(bearer());
        }

        @ParameterizedTest
        @ValueSource(strings = {"Bearer", "Bearer ", "Basic YTpi", "DPoP a.b.c", "dpop a.b.c", "Negotiate abc", "Bearera.b.c", "a.b.c", "",
                "Bearer a.b.c d.e.f", "\u0000"})
        void otherHeadersGiveNoToken(String authorization) {
            assertNull(bearer(authorization), authorization);
        }

        @Test
        void severalAuthorizationHeadersGiveNoToken() {
            assertNull(bearer("Bearer a.b.c", "Bearer d.e.f"), "Keycloak's NotAuthorizedException does not escape");
        }

        @Test
        void aJwtHasThreeParts() {
            assertTrue(LegacyLoginRequest.threeParts("a.b.c"));
            assertTrue(LegacyLoginRequest.threeParts("eyJ.eyJ."), "an empty signature is refused later, by the verifier");
            assertFalse(LegacyLoginRequest.threeParts(null));
            assertFalse(LegacyLoginRequest.threeParts("not-a-jwt"));
            assertFalse(LegacyLoginRequest.threeParts("a.b"));
            assertFalse(LegacyLoginRequest.threeParts("a.b.c.d.e"), "an encrypted token (JWE) is not taken");
        }
    }

    @Test
    void theBodyIsAJsonObject() {
        assertEquals("x", LegacyLoginRequest.text(LegacyLoginRequest.jsonObject("{\"email\": \"x\"}"), "email"));
        for (String body : List.of("", "{", "[]", "null", "1", "\"s\"", "{\"a\":")) {
            assertNull(LegacyLoginRequest.jsonObject(body), body);
        }
        assertNull(LegacyLoginRequest.jsonObject(null));
    }

    @Test
    void onlyStringFieldsAreRead() {
        var json = LegacyLoginRequest.jsonObject("{\"email\": [1, 2], \"redirect_url\": 3, \"other\": null}");
        assertNull(LegacyLoginRequest.text(json, "email"));
        assertNull(LegacyLoginRequest.text(json, "redirect_url"));
        assertNull(LegacyLoginRequest.text(json, "other"));
        assertNull(LegacyLoginRequest.text(json, "missing"));
    }

    /** Request headers with the given {@code Authorization} values. */
    static HttpHeaders headers(String... authorization) {
        MultivaluedMap<String, String> map = new MultivaluedHashMap<>();
        for (String value : authorization) {
            map.add(HttpHeaders.AUTHORIZATION, value);
        }
        return new HttpHeaders() {
            @Override
            public List<String> getRequestHeader(String name) {
                return map.get(name);
            }

            @Override
            public String getHeaderString(String name) {
                List<String> values = map.get(name);
                return values == null ? null : String.join(",", values);
            }

            @Override
            public MultivaluedMap<String, String> getRequestHeaders() {
                return map;
            }

            @Override
            public List<MediaType> getAcceptableMediaTypes() {
                return List.of(MediaType.WILDCARD_TYPE);
            }

            @Override
            public List<Locale> getAcceptableLanguages() {
                return List.of();
            }

            @Override
            public MediaType getMediaType() {
                return MediaType.APPLICATION_JSON_TYPE;
            }

            @Override
            public Locale getLanguage() {
                return null;
            }

            @Override
            public Map<String, Cookie> getCookies() {
                return Map.of();
            }

            @Override
            public Date getDate() {
                return null;
            }

            @Override
            public int getLength() {
                return -1;
            }
        };
    }
}
