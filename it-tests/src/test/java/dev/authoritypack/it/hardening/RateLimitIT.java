package dev.authoritypack.it.hardening;

import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.ApiTraffic;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.Concurrently;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import dev.authoritypack.it.support.RealmAttributes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rate limits of {@code docs/rate-limits.md}: N requests allowed, the next refused with {@code 429}, the route's error object and
 * {@code Retry-After}; {@code X-RateLimit-*} on every counted answer; per client on the token routes (a stranger
 * with a wrong secret cannot spend a client's budget), per client address elsewhere, per account on sign-in; a
 * documented route, its host-root twin and Keycloak's own path share one counter. The suite's server runs with
 * limits out of reach; each test lowers one bucket through its realm attribute and restores it.
 */
@PackIntegrationTest
public class RateLimitIT {

    private static final String REALM = "authority";
    private static final String TOO_MANY = "Too many requests. Check the X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers.";
    private static AdminApi admin;
    private static KeycloakServer server;
    private final Map<String, String> restore = new HashMap<>();

    @BeforeAll
    static void setUp(AdminApi adminApi, KeycloakServer keycloak) {
        admin = adminApi;
        server = keycloak;
    }

    @AfterEach
    void restoreLimits() {
        if (!restore.isEmpty()) {
            attributes(restore);
            restore.clear();
        }
    }

    @Test
    void tokenRoutesCountPerClientOnEveryPathOfTheEndpoint() throws Exception {
        long window = safeWindow();
        limit("token", "5/" + window);
        String a = client("rl-a");
        String b = client("rl-b");
        List<URI> paths = List.of(uri("/oauth/token"), uri("/realms/authority/token"),
                uri("/realms/authority/protocol/openid-connect/token"), uri("/token"), uri("/realms/authority/oauth/token"));
        String reset = null;
        for (int i = 0; i < 5; i++) {
            HTTPResponse answer = clientCredentials(paths.get(i), a, a + "-secret-1");
            assertEquals(200, answer.getStatusCode(), answer::getBody);
            assertEquals("5", answer.getHeaderValue("X-RateLimit-Limit"));
            assertEquals(String.valueOf(4 - i), answer.getHeaderValue("X-RateLimit-Remaining"));
            reset = reset == null ? answer.getHeaderValue("X-RateLimit-Reset") : reset;
            assertEquals(reset, answer.getHeaderValue("X-RateLimit-Reset"), "one window");
        }
        long resetAt = Long.parseLong(reset);
        long now = System.currentTimeMillis() / 1000;
        assertTrue(resetAt > now && resetAt <= now + window + 1, "X-RateLimit-Reset is epoch seconds: " + reset);

        HTTPResponse refused = clientCredentials(paths.get(0), a, a + "-secret-1");
        assertEquals(429, refused.getStatusCode());
        TokenErrorResponse error = TokenResponse.parse(refused).toErrorResponse();
        assertEquals("too_many_requests", error.getErrorObject().getCode());
        assertEquals(TOO_MANY, error.getErrorObject().getDescription());
        assertEquals("0", refused.getHeaderValue("X-RateLimit-Remaining"));
        long retryAfter = Long.parseLong(refused.getHeaderValue("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= window, "Retry-After " + retryAfter);
        // a JSON body at the issuer route and Keycloak's own path are the same endpoint: refused as well
        Http.Response json = new Http(server.baseUri()).postJson("/realms/authority/oauth/token", Json.text("grant_type", "client_credentials"),
                "Authorization", basic(a, a + "-secret-1"));
        assertEquals(429, json.status(), json::toString);
        assertEquals(429, clientCredentials(paths.get(2), a, a + "-secret-1").getStatusCode());

        // another client has its own budget; wrong secrets under its name do not spend it
        assertEquals("4", clientCredentials(paths.get(0), b, b + "-secret-1").getHeaderValue("X-RateLimit-Remaining"));
        for (int i = 0; i < 8; i++) {
            HTTPResponse wrong = clientCredentials(paths.get(i % paths.size()), b, "not-the-secret");
            assertEquals(401, wrong.getStatusCode(), wrong::getBody);
            assertEquals("invalid_client", TokenResponse.parse(wrong).toErrorResponse().getErrorObject().getCode());
        }
        awaitRefunds();
        for (int i = 0; i < 4; i++) {
            HTTPResponse ok = clientCredentials(paths.get(i), b, b + "-secret-1");
            int n = i;
            assertEquals(200, ok.getStatusCode(), () -> "request " + n + " of client b after the wrong secrets: " + ok.getBody());
        }
        assertEquals(429, clientCredentials(paths.get(0), b, b + "-secret-1").getStatusCode());
    }

    @Test
    void fiftyConcurrentRequestsGetExactlyTheLimit() throws Exception {
        limit("api-login", "10/" + safeWindow());
        List<Http.Response> answers = Concurrently.atOnce(50, () -> new Http(server.baseUri()).postJson("/api/login", "{}"));
        List<Http.Response> refused = answers.stream().filter(r -> r.status() == 429).toList();
        List<Http.Response> allowed = answers.stream().filter(r -> r.status() != 429).toList();
        assertEquals(10, allowed.size(), () -> "allowed: " + allowed);
        Set<String> remaining = new TreeSet<>();
        for (Http.Response r : allowed) {
            assertTrue(r.status() >= 400 && r.status() < 500, r::toString); // an empty body is refused by /api/login itself
            assertEquals("10", r.header("X-RateLimit-Limit"));
            remaining.add(r.header("X-RateLimit-Remaining"));
        }
        assertEquals(new TreeSet<>(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")), remaining, "each allowed request counted once");
        for (Http.Response r : refused) {
            assertEquals("error", r.json().path("status").asText(), r::toString); // /api/login's error object (docs/legacy-login.md)
            assertEquals(TOO_MANY, r.json().path("message").asText());
            assertNotNull(r.header("Retry-After"));
            assertEquals("0", r.header("X-RateLimit-Remaining"));
            assertEquals("no-store", r.header("Cache-Control"));
        }
    }

    @Test
    void headersCountDownAndResetAfterTheWindow() throws Exception {
        long window = 6;
        limit("other", "3/" + window);
        Http http = new Http(server.baseUri());
        awaitWindowStart(window);
        List<Http.Response> answers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            answers.add(http.get(i % 2 == 0 ? "/health_check" : "/realms/authority/health_check"));
        }
        assertEquals(List.of(200, 200, 200, 429), answers.stream().map(Http.Response::status).toList());
        assertEquals(List.of("2", "1", "0", "0"), answers.stream().map(r -> r.header("X-RateLimit-Remaining")).toList());
        assertEquals("too_many_requests", answers.get(3).json().path("error").asText());
        long reset = Long.parseLong(answers.get(0).header("X-RateLimit-Reset"));
        long waitMillis = reset * 1000 - System.currentTimeMillis() + 300;
        assertTrue(waitMillis > 0 && waitMillis <= window * 1000 + 300, "reset within the window: " + waitMillis);
        Thread.sleep(waitMillis);
        Http.Response next = http.get("/health_check");
        assertEquals(200, next.status(), next::toString);
        assertEquals("2", next.header("X-RateLimit-Remaining"));
        assertEquals(reset + window, Long.parseLong(next.header("X-RateLimit-Reset")));
    }

    @Test
    void signinIsLimitedPerAddressAndPerAccountAlikeForKnownAndUnknownAccounts() throws Exception {
        long window = safeWindow();
        String known = Fixtures.user(admin, REALM, "rate-limit", "Rate-limit-password-1");
        String unknown = "nobody-" + System.nanoTime() + "@example.com";
        limit("signin-account", "3/" + window);
        Http http = new Http(server.baseUri());
        List<String> knownAnswers = new ArrayList<>();
        List<String> unknownAnswers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            knownAnswers.add(summary(http.postForm("/signin", Map.of("email", known, "password", "wrong-password-" + i), "Accept", "application/json")));
            unknownAnswers.add(summary(http.postForm("/realms/authority/signin", Map.of("email", unknown, "password", "wrong-password-" + i), "Accept", "application/json")));
        }
        assertEquals(knownAnswers, unknownAnswers, "an account that exists is limited exactly like one that does not");
        assertEquals("401 2", knownAnswers.get(0));
        assertEquals("429 0 too_many_requests", knownAnswers.get(3));
        // the per-address limit of the route
        restoreLimitsNow();
        limit("signin", "2/" + window);
        String other = "nobody-else-" + System.nanoTime() + "@example.com";
        // forwarded headers do not change the address: this server does not run with --proxy-headers
        assertEquals(401, http.postForm("/signin", Map.of("email", other, "password", "x"), "Accept", "application/json",
                "X-Forwarded-For", "198.51.100.7").status());
        assertEquals(401, http.postForm("/signin", Map.of("email", other, "password", "y"), "Accept", "application/json",
                "Forwarded", "for=198.51.100.8").status());
        Http.Response refused = http.postForm("/realms/authority/signin", Map.of("email", known, "password", "Rate-limit-password-1"),
                "Accept", "application/json", "X-Forwarded-For", "198.51.100.9");
        assertEquals(429, refused.status(), refused::toString);
        assertEquals("too_many_requests", refused.json().path("error").asText());
        assertEquals(200, http.get("/realms/authority/signin").status(), "the page itself is not a sign-in attempt");
    }

    @Test
    void activateCountsUserCodeGuessesAndAnOffBucketHasNoHeaders() throws Exception {
        limit("activate", "2/" + safeWindow());
        Http http = new Http(server.baseUri());
        for (int i = 0; i < 4; i++) {
            assertNotEquals(429, http.get("/realms/authority/activate").status(), "the empty form is not a guess");
        }
        assertNotEquals(429, http.get("/realms/authority/activate?user_code=AAAA-BBBB").status());
        assertNotEquals(429, http.get("/realms/authority/device?user_code=AAAA-BBBC").status());
        Http.Response third = http.get("/realms/authority/activate?user_code=AAAA-BBBD");
        assertEquals(429, third.status(), third::toString);
        assertEquals("too_many_requests", third.json().path("error").asText());

        limit("introspect", "off");
        Http.Response introspect = http.postForm("/oauth/introspect", Map.of("token", "x"));
        assertEquals(401, introspect.status());
        assertNull(introspect.header("X-RateLimit-Limit"), "a bucket switched off counts nothing");
        assertNull(http.get("/realms/master").header("X-RateLimit-Limit"), "paths outside the documented API are not counted");
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private static String summary(Http.Response r) {
        String error = r.status() == 429 ? " " + r.json().path("error").asText() : "";
        return r.status() + " " + r.header("X-RateLimit-Remaining") + error;
    }

    private static URI uri(String path) {
        return URI.create(server.baseUri() + path);
    }

    private static String client(String prefix) {
        String id = prefix + "-" + System.nanoTime();
        Fixtures.serviceClient(admin, REALM, id, id + "-secret-1", Map.of());
        return id;
    }

    private static HTTPResponse clientCredentials(URI endpoint, String clientId, String secret) throws Exception {
        return ApiTraffic.send(new TokenRequest(endpoint, new ClientSecretBasic(new ClientID(clientId), new Secret(secret)), new ClientCredentialsGrant())
                .toHTTPRequest());
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** The refund of a 401 runs after the answer is written; give it a moment. */
    private static void awaitRefunds() throws InterruptedException {
        Thread.sleep(500);
    }

    private void limit(String bucket, String value) {
        Map<String, String> previous = attributes(Map.of("authority.rate-limit." + bucket, value));
        previous.forEach(restore::putIfAbsent);
    }

    private void restoreLimitsNow() {
        restoreLimits();
    }

    /** A window (seconds, at least an hour) whose current fixed window has 5 minutes left: no reset mid-test. */
    public static long safeWindow() {
        long now = System.currentTimeMillis() / 1000;
        long window = 3600;
        while (window - now % window < 300) {
            window++;
        }
        return window;
    }

    private static void awaitWindowStart(long window) throws InterruptedException {
        long millis = System.currentTimeMillis();
        long next = (millis / 1000 / window + 1) * window * 1000;
        Thread.sleep(next - millis + 200);
    }


    private static Map<String, String> attributes(Map<String, String> values) {
        return RealmAttributes.set(admin, REALM, values);
    }
}
