package dev.authoritypack.it.cors;

import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CORS of the pack's routes for browser apps on their own origin (issue 33), as a browser exchanges it: the
 * preflight of the routes the pack serves, the headers of their answers and of the pack's own answers in front of
 * Keycloak's endpoints, for an origin a client of the realm registers and for no other.
 */
@PackIntegrationTest
class CorsIT {

    static final String APP = "http://127.0.0.1:5173";
    static final String STRANGER = "http://127.0.0.1:6666";
    private static Http http;

    @BeforeAll
    static void registerTheApp(AdminApi admin, KeycloakServer server) {
        Fixtures.browserApp(admin, "authority", "cors-it-app", APP);
        http = new Http(server.baseUri());
        // the server reads the realm's web origins again at most every two seconds for an origin it does not know
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (preflight("/account/password/reset", APP).header("Access-Control-Allow-Origin") == null && Instant.now().isBefore(deadline)) {
            KeycloakServer.sleep(250);
        }
    }

    private static Http.Response preflight(String path, String origin) {
        return http.send(http.request(path).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type, authorization").build());
    }

    private static List<String> list(Http.Response r, String header) {
        String v = r.header(header);
        return v == null ? List.of() : Arrays.stream(v.split(",")).map(String::trim).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/account/password/reset", "/realms/authority/account/password/reset", "/account/password/confirm",
            "/account/email/verify", "/account/email/resend", "/api/login", "/realms/authority/api/login", "/device/token",
            "/realms/authority/device/token"})
    void theRoutesThePackServesAnswerThePreflightOfARegisteredOrigin(String path) {
        Http.Response r = preflight(path, APP);
        assertTrue(r.status() == 200 || r.status() == 204, r::toString);
        assertEquals(APP, r.header("Access-Control-Allow-Origin"), path + ": " + r.raw().headers());
        assertEquals("true", r.header("Access-Control-Allow-Credentials"));
        assertTrue(list(r, "Access-Control-Allow-Methods").contains("POST"), r.raw().headers()::toString);
        List<String> headers = list(r, "Access-Control-Allow-Headers").stream().map(String::toLowerCase).toList();
        assertTrue(headers.contains("content-type") && headers.contains("authorization"), headers::toString);

        Http.Response stranger = preflight(path, STRANGER);
        assertNull(stranger.header("Access-Control-Allow-Origin"), "an unregistered origin gets no CORS: " + stranger.raw().headers());
    }

    @Test
    void aJsonCallFromTheAppIsServedAndReadable() {
        Http.Response reset = http.postJson("/account/password/reset", Json.text("email", "nobody-" + System.nanoTime() + "@example.com"),
                "Origin", APP, "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "cors");
        assertEquals(200, reset.status(), "the app's call after its preflight is not another site's form: " + reset);
        assertEquals(APP, reset.header("Access-Control-Allow-Origin"));
        assertTrue(list(reset, "Access-Control-Expose-Headers").containsAll(List.of("Retry-After", "X-RateLimit-Limit",
                "X-RateLimit-Remaining", "X-RateLimit-Reset")), reset.raw().headers()::toString);
        assertTrue(list(reset, "Vary").contains("Origin"));

        // the same call from a page of an unregistered origin, and a form from the app's origin, stay refused
        Http.Response stranger = http.postJson("/account/password/reset", Json.text("email", "a@example.com"),
                "Origin", STRANGER, "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "cors");
        assertEquals(403, stranger.status(), stranger::toString);
        assertNull(stranger.header("Access-Control-Allow-Origin"));
        Http.Response form = http.postForm("/account/password/reset", Map.of("email", "a@example.com"),
                "Origin", APP, "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Mode", "navigate");
        assertEquals(403, form.status(), "a form post is a form post, whatever its origin: " + form);

        Http.Response login = http.postJson("/api/login", Json.text("email", "eA=="), "Origin", APP);
        assertEquals(401, login.status(), login::toString);
        assertEquals(APP, login.header("Access-Control-Allow-Origin"), "the page can read why: " + login.raw().headers());
    }

    @Test
    void thePacksOwnAnswersInFrontOfKeycloaksEndpointsCarryCors() {
        // a body the token route cannot read is refused by the pack before Keycloak: the app still sees the answer
        Http.Response broken = http.send(http.request("/oauth/token").header("Origin", APP).header("Content-Type", "garbage")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertEquals(400, broken.status(), broken::toString);
        assertEquals(APP, broken.header("Access-Control-Allow-Origin"), broken.raw().headers()::toString);
        Http.Response brokenJson = http.postJson("/oauth/token", "{\"grant_type\": ", "Origin", APP);
        assertEquals(400, brokenJson.status(), brokenJson::toString);
        assertEquals(APP, brokenJson.header("Access-Control-Allow-Origin"), "the pack's JSON adapter refused it: " + brokenJson.raw().headers());
        Http.Response strangerBroken = http.send(http.request("/oauth/token").header("Origin", STRANGER).header("Content-Type", "garbage")
                .POST(HttpRequest.BodyPublishers.ofString("x")).build());
        assertNull(strangerBroken.header("Access-Control-Allow-Origin"));

        // Keycloak's own answer for the app's client keeps Keycloak's CORS, and the rate-limit headers become readable
        Http.Response token = http.postForm("/oauth/token", Map.of("grant_type", "refresh_token", "client_id", "cors-it-app",
                "refresh_token", "not-a-token"), "Origin", APP);
        assertEquals(400, token.status(), token::toString);
        assertEquals(APP, token.header("Access-Control-Allow-Origin"), token.raw().headers()::toString);
        assertTrue(list(token, "Access-Control-Expose-Headers").contains("X-RateLimit-Remaining"), token.raw().headers()::toString);
    }

    @Test
    void theDeviceTokenRouteHasItsPreflightAtBothBases() {
        for (String path : List.of("/device/token", "/realms/authority/device/token")) {
            Http.Response r = preflight(path, APP);
            assertEquals(APP, r.header("Access-Control-Allow-Origin"), path + ": " + r.raw().headers());
        }
    }
}
