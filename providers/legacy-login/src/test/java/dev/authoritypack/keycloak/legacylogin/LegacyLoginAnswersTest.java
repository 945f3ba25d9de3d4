package dev.authoritypack.keycloak.legacylogin;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LegacyLoginAnswersTest {

    @Test
    void theTokenIsTheCallbacksLastParameter() {
        assertEquals("https://app.example.com/cb?token=a.b.c", LegacyLoginAnswers.callbackUrl("https://app.example.com/cb", "a.b.c"));
        assertEquals("https://app.example.com/cb?x=1&token=a.b.c", LegacyLoginAnswers.callbackUrl("https://app.example.com/cb?x=1", "a.b.c"));
    }

    @Test
    void theTokenIsUrlEncoded() {
        assertEquals("https://app.example.com/cb?token=a%2Bb%2Fc%3D%26d", LegacyLoginAnswers.callbackUrl("https://app.example.com/cb", "a+b/c=&d"));
    }

    @Test
    void seed004sErrorBodyNeverCached() {
        Response r = LegacyLoginAnswers.error(401, "Unauthorized or invalid token");
        assertEquals(401, r.getStatus());
        assertEquals(MediaType.APPLICATION_JSON_TYPE, r.getMediaType());
        assertEquals("no-store", r.getHeaderString("Cache-Control"));
        Map<?, ?> body = (Map<?, ?>) r.getEntity();
        assertEquals(List.of("status", "message"), List.copyOf(body.keySet()), "the legacy API's (docs/legacy-login.md) field order");
        assertEquals("error", body.get("status"));
        assertEquals("Unauthorized or invalid token", body.get("message"));
    }
}
