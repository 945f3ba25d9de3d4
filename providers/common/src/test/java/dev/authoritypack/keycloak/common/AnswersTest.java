package dev.authoritypack.keycloak.common;

import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;

import java.net.URI;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnswersTest {

    @Test
    void noAcceptHeaderMeansAPageOnABrowserRouteAndJsonOnAnApiRoute() {
        assertFalse(Answers.prefersJson(accept()));
        assertTrue(Answers.apiWantsJson(accept()));
    }

    @Test
    void aBareWildcardDecidesNothing() {
        assertFalse(Answers.prefersJson(accept("*/*")));
        assertTrue(Answers.apiWantsJson(accept("*/*")));
        assertFalse(Answers.apiWantsJson(accept("*/*", "text/html")), "the first concrete type decides");
        assertTrue(Answers.apiWantsJson(accept("*/*", "application/json", "text/html")));
    }

    @Test
    void jsonFirstMeansJsonOnBothKindsOfRoute() {
        assertTrue(Answers.prefersJson(accept("application/json")));
        assertTrue(Answers.apiWantsJson(accept("application/json")));
        assertTrue(Answers.prefersJson(accept("application/json", "text/html")));
        assertTrue(Answers.apiWantsJson(accept("application/json", "text/html")));
    }

    @Test
    void htmlFirstMeansAPageOnBothKindsOfRoute() {
        // a browser's navigation: text/html,application/xhtml+xml,...,*/*
        assertFalse(Answers.prefersJson(accept("text/html", "application/xhtml+xml", "*/*")));
        assertFalse(Answers.apiWantsJson(accept("text/html", "application/xhtml+xml", "*/*")));
        assertFalse(Answers.prefersJson(accept("text/html", "application/json")));
        assertFalse(Answers.apiWantsJson(accept("text/html", "application/json")));
    }

    @Test
    void aWildcardBeforeJsonIsSkippedOnABrowserRoute() {
        assertTrue(Answers.prefersJson(accept("*/*", "application/json")));
        assertFalse(Answers.prefersJson(accept("*/*", "text/html", "application/json")));
    }

    @Test
    void anotherConcreteTypeFirstMeansJsonOnlyOnAnApiRoute() {
        assertFalse(Answers.prefersJson(accept("application/xml")));
        assertTrue(Answers.apiWantsJson(accept("application/xml")));
        assertTrue(Answers.apiWantsJson(accept("image/png", "text/html")));
        assertFalse(Answers.prefersJson(accept("image/png", "text/html")));
        assertTrue(Answers.prefersJson(accept("image/png", "application/json")));
    }

    @Test
    void textWildcardCountsAsHtml() {
        assertFalse(Answers.prefersJson(accept("text/*", "application/json")));
        assertFalse(Answers.apiWantsJson(accept("text/*")));
    }

    @Test
    void jsonParametersDoNotMatter() {
        HttpHeaders headers = headers(List.of(new MediaType("application", "json", Map.of("charset", "utf-8", "q", "0.9"))));
        assertTrue(Answers.prefersJson(headers));
    }

    @Test
    void errorWithAddsTheExtraFieldAfterTheOAuthFields() {
        Map<String, Object> body = Answers.errorWith("too_many_requests", "Try later", "retry_after", 30L);
        assertEquals(List.of("error", "error_description", "retry_after"), List.copyOf(body.keySet()));
        assertEquals("too_many_requests", body.get("error"));
        assertEquals("Try later", body.get("error_description"));
        assertEquals(30L, body.get("retry_after"));
    }

    @Test
    void errorWithLeavesOutANullExtraField() {
        Map<String, Object> body = Answers.errorWith("locked", "Locked", "retry_after", null);
        assertEquals(List.of("error", "error_description"), List.copyOf(body.keySet()));
    }

    @Test
    void errorIsTheOAuthErrorObjectAsUncachedJson() {
        Response r = Answers.error(400, "invalid_request", "email must be an email address").build();
        assertEquals(400, r.getStatus());
        assertTrue(MediaType.APPLICATION_JSON_TYPE.isCompatible(r.getMediaType()));
        assertEquals("no-store", r.getHeaderString(HttpHeaders.CACHE_CONTROL));
        OAuth2ErrorRepresentation body = assertInstanceOf(OAuth2ErrorRepresentation.class, r.getEntity());
        assertEquals("invalid_request", body.getError());
        assertEquals("email must be an email address", body.getErrorDescription());
    }

    @Test
    void aRedirectNamesItsTargetInJsonOnlyWhenAsked() {
        Response json = Answers.redirect("https://app.example.com/x", true);
        assertEquals(302, json.getStatus());
        assertEquals(URI.create("https://app.example.com/x"), json.getLocation());
        assertEquals("no-store", json.getHeaderString(HttpHeaders.CACHE_CONTROL));
        assertEquals(Map.of("status", "ok", "redirect", "https://app.example.com/x"), json.getEntity());

        Response page = Answers.redirect("/realms/x/account", false);
        assertEquals(302, page.getStatus());
        assertEquals("no-store", page.getHeaderString(HttpHeaders.CACHE_CONTROL));
        assertNull(page.getEntity());
    }

    private static HttpHeaders accept(String... types) {
        return headers(Arrays.stream(types).map(t -> {
            String[] parts = t.split("/");
            return new MediaType(parts[0], parts[1], Map.of());
        }).toList());
    }

    /** Only the Accept list is read by the rules under test. */
    private static HttpHeaders headers(List<MediaType> acceptable) {
        return new HttpHeaders() {
            public List<MediaType> getAcceptableMediaTypes() {
                return acceptable;
            }
            public List<String> getRequestHeader(String name) {
                throw new UnsupportedOperationException();
            }
            public String getHeaderString(String name) {
                throw new UnsupportedOperationException();
            }
            public MultivaluedMap<String, String> getRequestHeaders() {
                throw new UnsupportedOperationException();
            }
            public List<Locale> getAcceptableLanguages() {
                throw new UnsupportedOperationException();
            }
            public MediaType getMediaType() {
                throw new UnsupportedOperationException();
            }
            public Locale getLanguage() {
                throw new UnsupportedOperationException();
            }
            public Map<String, Cookie> getCookies() {
                throw new UnsupportedOperationException();
            }
            public Date getDate() {
                throw new UnsupportedOperationException();
            }
            public int getLength() {
                throw new UnsupportedOperationException();
            }
        };
    }
}
