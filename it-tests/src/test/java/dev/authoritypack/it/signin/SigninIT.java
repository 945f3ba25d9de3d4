package dev.authoritypack.it.signin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.Concurrently;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.FormClient;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import dev.authoritypack.it.support.Pkce;
import dev.authoritypack.it.support.Totp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /signin} and {@code /signout} against the real server. Brute-force settings are made short for the run
 * (3 failures, 5 s increment, 10 s cap) and Keycloak's asynchronous failure writes are awaited through the admin
 * brute-force API, so the lockout steps are deterministic.
 */
@PackIntegrationTest
class SigninIT {

    private static final String REALM = "authority";
    private static final String PASSWORD = "Signin-password-1";
    private static final int FACTOR = 3;
    private static final int WAIT_INCREMENT = 5;
    private static final int MAX_WAIT = 10;
    /** account-console requires S256; RFC 7636 appendix B's example pair. */

    private static AdminApi admin;
    private static KeycloakServer server;
    private static JsonNode originalRealm;

    @BeforeAll
    static void shortLockouts(AdminApi adminApi, KeycloakServer keycloak) {
        admin = adminApi;
        server = keycloak;
        originalRealm = admin.getJson("/realms/" + REALM);
        setRealm(Map.of("failureFactor", FACTOR, "waitIncrementSeconds", WAIT_INCREMENT, "maxFailureWaitSeconds", MAX_WAIT,
                "quickLoginCheckMilliSeconds", 1, "minimumQuickLoginWaitSeconds", WAIT_INCREMENT, "permanentLockout", false));
        ObjectNode attrs = ((ObjectNode) originalRealm.get("attributes")).deepCopy();
        attrs.put("authority.signin.forward-url-allow-list", "https://app.example.com https://other.example.com/only/");
        admin.send("PUT", "/realms/" + REALM, Json.text("attributes", attrs));
    }

    @AfterAll
    static void restore() {
        setRealm(Map.of("failureFactor", originalRealm.get("failureFactor").asInt(),
                "waitIncrementSeconds", originalRealm.get("waitIncrementSeconds").asInt(),
                "maxFailureWaitSeconds", originalRealm.get("maxFailureWaitSeconds").asInt(),
                "quickLoginCheckMilliSeconds", originalRealm.get("quickLoginCheckMilliSeconds").asInt(),
                "minimumQuickLoginWaitSeconds", originalRealm.get("minimumQuickLoginWaitSeconds").asInt(),
                "permanentLockout", originalRealm.get("permanentLockout").asBoolean()));
    }

    private static void setRealm(Map<String, Object> settings) {
        Http.Response r = admin.send("PUT", "/realms/" + REALM, Http.JSON.valueToTree(settings).toString());
        assertEquals(204, r.status(), r::toString);
    }

    private static String newUser(String prefix) {
        return Fixtures.user(admin, REALM, prefix, PASSWORD);
    }

    private static String userId(String email) {
        return admin.getJson("/realms/" + REALM + "/users?exact=true&email=" + email).get(0).get("id").asText();
    }

    private static Http http() {
        return new Http(server.baseUri());
    }

    /** Signs in at the issuer route, where a browser sends Keycloak's session cookies (path /realms/{realm}/). */
    private static Http.Response signinAtIssuer(Http http, String email, String password, String... headers) {
        return http.postForm("/realms/authority/signin", Map.of("email", email, "password", password), headers);
    }

    private static Http.Response signin(Http http, String email, String password, String forwardUrl, String... headers) {
        Map<String, String> form = new java.util.HashMap<>(Map.of("email", email, "password", password));
        if (forwardUrl != null) {
            form.put("forward_url", forwardUrl);
        }
        return http.postForm("/signin", form, headers);
    }

    /** A page with its per-browser form token blanked (each browser gets its own random one). */
    private static String withoutFormToken(String html) {
        return html.replaceAll("name=\"csrf_token\" value=\"[A-Za-z0-9]*\"", "name=\"csrf_token\" value=\"\"");
    }

    /** A user with a password and a TOTP credential (secret JBSWY3DPEHPK3PXP), imported through the admin API. */
    private static void importUserWithOtp(String email) {
        Http.Response imported = admin.send("POST", "/realms/" + REALM + "/partialImport", """
                {"ifResourceExists": "FAIL", "users": [{"username": "%s", "email": "%s", "enabled": true, "emailVerified": true,
                  "credentials": [{"type": "password", "value": "%s"},
                    {"type": "otp", "userLabel": "phone", "secretData": "{\\"value\\":\\"JBSWY3DPEHPK3PXP\\"}",
                     "credentialData": "{\\"subType\\":\\"totp\\",\\"digits\\":6,\\"counter\\":0,\\"period\\":30,\\"algorithm\\":\\"HmacSHA1\\"}"}]}]}
                """.formatted(email, email, PASSWORD));
        assertEquals(200, imported.status(), imported::toString);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Waits until Keycloak has written the user's n-th failure (its writes are asynchronous). */
    private static JsonNode awaitFailures(String email, int n) {
        String id = userId(email);
        Instant deadline = Instant.now().plusSeconds(10);
        JsonNode state;
        do {
            state = admin.getJson("/realms/" + REALM + "/attack-detection/brute-force/users/" + id);
            if (state.get("numFailures").asInt() >= n) {
                return state;
            }
            sleep(100);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("Keycloak did not record " + n + " failures for " + email + ": " + state);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- success and forward_url --------------------------------------------------------------------------------

    @Test
    void signinCreatesAKeycloakSsoSessionAndGoesToProfile() {
        String email = newUser("ok");
        Http http = http();
        Http.Response r = signin(http, email, PASSWORD, null);
        assertEquals(302, r.status(), r::toString);
        assertTrue(r.header("Location").endsWith("/realms/authority/profile"), r.header("Location"));
        assertTrue(r.raw().headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("KEYCLOAK_IDENTITY=")));
        assertEquals(1, admin.getJson("/realms/" + REALM + "/users/" + userId(email) + "/sessions").size());

        // the SSO session serves the next authorization request without a second sign-in
        Http.Response authorize = http.get("/realms/authority/protocol/openid-connect/auth?response_type=code&client_id=account-console"
                + "&redirect_uri=" + server.baseUri() + "/realms/authority/account/&scope=openid&state=s"
                + Pkce.S256_PARAMS);
        assertEquals(302, authorize.status(), authorize::toString);
        assertTrue(authorize.header("Location").contains("code="), authorize.header("Location"));

        // also from the host root: 307 to the issuer route, where the browser sends the session cookie
        Http.Response root = new FormClient(http).open("/authorize?response_type=code&client_id=account-console"
                + "&redirect_uri=" + server.baseUri() + "/realms/authority/account/&scope=openid&state=s"
                + Pkce.S256_PARAMS, server.baseUri() + "/realms/authority/account/");
        assertEquals(302, root.status(), root::toString);
        assertTrue(root.header("Location").contains("code="), "no second sign-in: " + root.header("Location"));
    }

    @Test
    void allowedForwardUrlsAreFollowed() {
        String email = newUser("fwd");
        assertEquals("https://app.example.com/after?x=1", signin(http(), email, PASSWORD, b64("https://app.example.com/after?x=1")).header("Location"));
        assertEquals("https://other.example.com/only/here", signin(http(), email, PASSWORD, b64("https://other.example.com/only/here")).header("Location"));
        assertTrue(signin(http(), email, PASSWORD, b64("/realms/authority/account")).header("Location").endsWith("/realms/authority/account"));
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString("https://app.example.com/a?b=c~".getBytes(StandardCharsets.UTF_8));
        assertEquals("https://app.example.com/a?b=c~", signin(http(), email, PASSWORD, urlSafe).header("Location"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example/x", "javascript:alert(1)", "//evil.example/x", "https://app.example.com.evil.example/",
            "https://other.example.com/elsewhere", "https://user@app.example.com/x", "\\\\evil.example", "data:text/html,hi",
            // not URIs: the sign-in once failed with a 500 on them after its session was made (review of issue 24, F6)
            "/a b", "/a%zz", "/realms/authority/profile#\"><x>", "/x\u2028y", "/x<y"})
    void forwardUrlsOffTheAllowListAreNeverFollowed(String target) {
        String email = newUser("nofwd");
        Http.Response r = signin(http(), email, PASSWORD, b64(target));
        assertEquals(302, r.status(), r::toString);
        assertTrue(r.header("Location").endsWith("/realms/authority/profile"), target + " -> " + r.header("Location"));
    }

    @Test
    void badBase64ForwardUrlIsIgnored() {
        Http.Response r = signin(http(), newUser("b64"), PASSWORD, "%%%not-base64%%%");
        assertTrue(r.header("Location").endsWith("/realms/authority/profile"), r.header("Location"));
    }

    // ---- 401 -----------------------------------------------------------------------------------------------------

    @Test
    void wrongPasswordAndUnknownEmailAreAnsweredAlike() {
        String email = newUser("wrong");
        Http.Response wrong = signin(http(), email, "not-the-password", null);
        Http.Response unknown = signin(http(), "nobody-" + System.nanoTime() + "@example.com", "not-the-password", null);
        assertEquals(401, wrong.status(), wrong::toString);
        assertEquals(401, unknown.status(), unknown::toString);
        assertEquals(withoutFormToken(wrong.body()), withoutFormToken(unknown.body()), "the page must not tell which of email or password was wrong");
        assertTrue(wrong.body().contains("email or password is incorrect"));
        assertNotNull(wrong.header("WWW-Authenticate"));

        Http.Response wrongJson = signin(http(), email, "not-the-password", null, "Accept", "application/json");
        Http.Response unknownJson = signin(http(), "nobody2-" + System.nanoTime() + "@example.com", "x", null, "Accept", "application/json");
        assertEquals(401, wrongJson.status());
        assertEquals(wrongJson.body(), unknownJson.body());
        assertEquals("invalid_credentials", wrongJson.json().get("error").asText());
        assertEquals("no-store", wrongJson.header("Cache-Control"), "a sign-in outcome is never cached (issue 32)");
    }

    @Test
    void disabledUserGetsNoSession() {
        String email = newUser("disabled");
        admin.send("PUT", "/realms/" + REALM + "/users/" + userId(email), Json.text("enabled", false));
        Http.Response r = signin(http(), email, PASSWORD, null, "Accept", "application/json");
        assertEquals(403, r.status(), r::toString);
        assertEquals("account_disabled", r.json().get("error").asText());
        assertNull(r.header("Location"));
    }

    // ---- 423 -----------------------------------------------------------------------------------------------------

    @Test
    void lockoutAnswers423WithRetryAfterUntilTheWaitIsOver() {
        String email = newUser("lock");
        for (int i = 1; i <= FACTOR; i++) {
            assertEquals(401, signin(http(), email, "bad-" + i, null).status());
            awaitFailures(email, i);
        }
        JsonNode state = awaitFailures(email, FACTOR);
        Http.Response locked = signin(http(), email, PASSWORD, null);
        long expected = state.get("failedLoginNotBefore").asLong() - Instant.now().getEpochSecond();
        assertEquals(423, locked.status(), "the right password does not help while locked: " + locked);
        long retryAfter = Long.parseLong(locked.header("Retry-After"));
        assertTrue(Math.abs(retryAfter - expected) <= 1, "Retry-After " + retryAfter + " vs expected " + expected);
        assertTrue(retryAfter <= WAIT_INCREMENT && retryAfter >= 1, "Retry-After " + retryAfter);
        assertTrue(locked.body().contains("Try again in"), "the page says how long");

        Http.Response json = signin(http(), email, PASSWORD, null, "Accept", "application/json");
        assertEquals(423, json.status());
        assertEquals("no-store", json.header("Cache-Control"), "a sign-in outcome is never cached (issue 32)");
        assertEquals("account_locked", json.json().get("error").asText());
        assertTrue(json.json().get("retry_after").asLong() >= 1);

        sleep(Long.parseLong(json.header("Retry-After")) * 1000 + 1200);
        assertEquals(302, signin(http(), email, PASSWORD, null).status(), "signs in again after the wait");
    }

    @Test
    void unknownEmailsAreLockedAfterTheSameNumberOfFailures() {
        String ghost = "ghost-" + System.nanoTime() + "@example.com";
        for (int i = 1; i <= FACTOR; i++) {
            assertEquals(401, signin(http(), ghost, "bad-" + i, null).status());
        }
        Http.Response locked = signin(http(), ghost, "anything", null);
        assertEquals(423, locked.status(), locked::toString);
        long retryAfter = Long.parseLong(locked.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= WAIT_INCREMENT, "Retry-After " + retryAfter);
        Http.Response json = signin(http(), ghost, "anything", null, "Accept", "application/json");
        assertEquals("account_locked", json.json().get("error").asText());
    }

    @Test
    void permanentLockoutAnswers423WithoutRetryAfter() {
        String email = newUser("perm");
        setRealm(Map.of("permanentLockout", true, "maxTemporaryLockouts", 0));
        try {
            for (int i = 1; i <= FACTOR; i++) {
                signin(http(), email, "bad-" + i, null);
                awaitFailures(email, i);
            }
            Instant deadline = Instant.now().plusSeconds(10);
            while (admin.getJson("/realms/" + REALM + "/users/" + userId(email)).get("enabled").asBoolean() && Instant.now().isBefore(deadline)) {
                sleep(100);
            }
            Http.Response r = signin(http(), email, PASSWORD, null, "Accept", "application/json");
            assertEquals(423, r.status(), r::toString);
            assertNull(r.header("Retry-After"));
            assertTrue(r.json().get("error_description").asText().contains("administrator"));
        } finally {
            setRealm(Map.of("permanentLockout", false));
        }
    }

    @Test
    void fiftyConcurrentWrongPasswordsLockTheAccountWithout5xx() throws Exception {
        String email = newUser("burst");
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            answers.add(pool.submit(() -> signin(http(), email, "bad-" + n, null).status()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : answers) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertTrue(statuses.stream().allMatch(s -> s == 401 || s == 423), "only 401 and 423: " + statuses);
        // Keycloak's blocking protector answers "temporarily disabled" (423) to an attempt while another attempt of
        // the same user is running, without counting it; every 401 is a failure Keycloak records.
        int failures = (int) statuses.stream().filter(s -> s == 401).count();
        assertTrue(failures >= 1, "at least one attempt was checked: " + statuses);
        awaitFailures(email, failures);
        sleep(500);
        JsonNode state = admin.getJson("/realms/" + REALM + "/attack-detection/brute-force/users/" + userId(email));
        assertEquals(failures, state.get("numFailures").asInt(), "recorded failures = 401 answers: " + statuses);

        // and the lockout follows the configuration from exactly that count
        Http.Response after = signin(http(), email, PASSWORD, null);
        if (failures >= FACTOR) {
            assertEquals(423, after.status(), after::toString);
            assertTrue(Long.parseLong(after.header("Retry-After")) <= MAX_WAIT, "capped by maxFailureWaitSeconds");
        } else if (after.status() == 423) {
            // two failures within quickLoginCheckMilliSeconds lock for minimumQuickLoginWaitSeconds
            assertTrue(Long.parseLong(after.header("Retry-After")) <= WAIT_INCREMENT, "only the quick-login wait: " + after);
        } else {
            assertEquals(302, after.status(), failures + " failures stay under the factor " + FACTOR + ": " + after);
        }
    }

    /** Clients whose connection is open before the race, so that the requests leave at the same moment. */
    private static List<Http> connectedClients(int n) {
        List<Http> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Http http = http();
            http.get("/realms/authority/.well-known/openid-configuration");
            clients.add(http);
        }
        return clients;
    }

    /** Six wrong passwords for one email at the same moment; the answers as (status, Retry-After, error). */
    private static List<String> parallelAttempts(String email) throws Exception {
        int n = 6;
        List<Http> clients = connectedClients(n);
        List<String> seen = new ArrayList<>();
        for (Http.Response r : Concurrently.each(n, k -> signin(clients.get(k), email, "wrong-" + k, null, "Accept", "application/json"))) {
            seen.add(r.status() + " " + r.header("Retry-After") + " " + r.json().get("error").asText());
        }
        return seen;
    }

    @Test
    void parallelAttemptsGetTheSameAnswersForKnownAndUnknownEmails() throws Exception {
        // Keycloak's protector answers a parallel attempt of a known user "locked" (423, Retry-After 1); an unknown
        // email must get exactly that too, or a burst of sign-ins tells which accounts exist
        List<String> known = List.of();
        List<String> unknown = List.of();
        for (int round = 0; round < 3; round++) {
            known = parallelAttempts(newUser("parallel"));
            unknown = parallelAttempts("nobody-" + System.nanoTime() + "@example.com");
            if (known.contains("423 1 account_locked") && unknown.contains("423 1 account_locked")) {
                break;
            }
        }
        for (List<String> answers : List.of(known, unknown)) {
            assertTrue(answers.stream().allMatch(a -> a.equals("401 null invalid_credentials") || a.equals("423 1 account_locked")),
                    "only a 401 or a parallel-attempt 423: " + answers);
        }
        assertTrue(known.contains("423 1 account_locked"), "a parallel attempt of a known user is refused: " + known);
        assertTrue(unknown.contains("423 1 account_locked"), "and of an unknown email alike: " + unknown);
        assertTrue(known.contains("401 null invalid_credentials") && unknown.contains("401 null invalid_credentials"), known + " / " + unknown);
    }

    // ---- the password grant (/token) ---------------------------------------------------------------------------------

    @Test
    void thePasswordGrantAnswersKnownAndUnknownEmailsAlikeThroughALockout() throws Exception {
        // the realm's direct grant flow is the pack's (authority-direct-grant-*): a known account, locked or not,
        // must not answer otherwise than an unknown email, on status, headers or body
        Fixtures.passwordGrantClient(admin, REALM, "signin-it-grant");
        String known = newUser("grant");
        String unknown = "nobody-grant-" + System.nanoTime() + "@example.com";
        for (int i = 0; i < FACTOR + 2; i++) { // one after another, past the lockout after FACTOR failures
            assertEquals(grantAnswer(http(), unknown, "wrong-" + i), grantAnswer(http(), known, "wrong-" + i), "attempt " + (i + 1));
        }
        // now locked (for WAIT_INCREMENT seconds): even the right password is refused as a wrong one
        assertEquals(grantAnswer(http(), unknown, PASSWORD), grantAnswer(http(), known, PASSWORD));
        assertTrue(grantAnswer(http(), known, PASSWORD).startsWith("400 "), "no token for a locked account");

        List<String> knownBurst = parallelGrants(newUser("grant-burst"));
        List<String> unknownBurst = parallelGrants("nobody-burst-" + System.nanoTime() + "@example.com");
        assertEquals(unknownBurst, knownBurst, "a burst of parallel attempts");
    }

    /** Status, headers (but the date and the per-client rate-limit counters) and body of a password grant. */
    private static String grantAnswer(Http http, String email, String password) {
        Http.Response r = http.postForm("/realms/authority/token", Map.of("grant_type", "password", "client_id", "signin-it-grant",
                "username", email, "password", password));
        Map<String, List<String>> headers = new java.util.TreeMap<>(r.raw().headers().map());
        headers.keySet().removeIf(h -> h.equalsIgnoreCase("date") || h.toLowerCase(java.util.Locale.ROOT).startsWith("x-ratelimit-"));
        return r.status() + " " + headers + " " + r.body();
    }

    private static List<String> parallelGrants(String email) throws Exception {
        int n = 6;
        List<Http> clients = connectedClients(n);
        List<String> seen = Concurrently.each(n, k -> grantAnswer(clients.get(k), email, "wrong-" + k));
        return seen.stream().sorted().toList();
    }

    // ---- the same through an OIDC login -----------------------------------------------------------------------------

    @Test
    void authorizeLoginAnswers401And423Too() {
        String email = newUser("oidc");
        String authorize = "/realms/authority/protocol/openid-connect/auth?response_type=code&client_id=account-console&redirect_uri="
                + server.baseUri() + "/realms/authority/account/&scope=openid" + Pkce.S256_PARAMS;
        for (int i = 1; i <= FACTOR; i++) {
            FormClient browser = new FormClient(http());
            Http.Response page = browser.open(authorize, null);
            Http.Response r = browser.login(page, email, "bad-" + i, null);
            assertEquals(401, r.status(), r::toString);
            awaitFailures(email, i);
        }
        FormClient browser = new FormClient(http());
        Http.Response r = browser.login(browser.open(authorize, null), email, PASSWORD, null);
        assertEquals(423, r.status(), r::toString);
        assertNotNull(r.header("Retry-After"));
    }

    // ---- MFA hand-over --------------------------------------------------------------------------------------------

    @Test
    void userWithOtpIsSentToMfaVerifyWithoutASession() {
        String email = "mfa-" + System.nanoTime() + "@example.com";
        importUserWithOtp(email);
        Http.Response r = signin(http(), email, PASSWORD, null);
        assertEquals(302, r.status(), r::toString);
        assertTrue(r.header("Location").contains("/mfa/verify"), r.header("Location"));
        assertFalse(r.raw().headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("KEYCLOAK_IDENTITY=")),
                "no SSO session before the second factor");
        assertEquals(0, admin.getJson("/realms/" + REALM + "/users/" + userId(email) + "/sessions").size());
    }

    // ---- sign-out -------------------------------------------------------------------------------------------------

    @Test
    void signoutEndsTheSessionAndRefusesCrossSiteRequests() {
        String email = newUser("out");
        Http http = http();
        assertEquals(302, signin(http, email, PASSWORD, null).status());
        String sessionsPath = "/realms/" + REALM + "/users/" + userId(email) + "/sessions";
        assertEquals(1, admin.getJson(sessionsPath).size());
        String accessToken = tokenFromSsoSession(http);
        assertEquals(200, http.get("/userinfo", "Authorization", "Bearer " + accessToken).status());

        // Keycloak scopes its session cookies to /realms/{realm}/, so a browser sends them to the issuer route
        Http.Response crossSite = http.send(http.request("/realms/authority/signout").header("Origin", "https://evil.example")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(403, crossSite.status(), crossSite::toString);
        assertEquals("no-store", crossSite.header("Cache-Control"));
        assertEquals(1, admin.getJson(sessionsPath).size(), "a cross-site request changes nothing");

        // the host-root route sends the browser (307 keeps the POST) to the issuer route, where its cookie goes
        Http.Response redirect = http.send(http.request("/signout").header("Origin", server.baseUri().toString())
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(307, redirect.status(), redirect::toString);
        assertEquals("/realms/authority/signout", redirect.header("Location"));
        Http.Response out = http.send(http.request(redirect.header("Location")).header("Origin", server.baseUri().toString())
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(302, out.status(), out::toString);
        assertTrue(out.header("Location").endsWith("/realms/authority/signin"), out.header("Location"));
        assertEquals(0, admin.getJson(sessionsPath).size(), "the SSO session is gone");
        assertEquals(401, http.get("/userinfo", "Authorization", "Bearer " + accessToken).status(),
                "tokens of the ended session are no longer accepted");
    }

    /** An access token of the browser's SSO session: authorization code flow without a second sign-in. */
    private static String tokenFromSsoSession(Http http) {
        String redirect = server.baseUri() + "/realms/authority/account/";
        Http.Response authorize = http.get("/realms/authority/authorize?response_type=code&client_id=account-console&redirect_uri="
                + redirect + "&scope=openid" + Pkce.S256_PARAMS);
        assertEquals(302, authorize.status(), authorize::toString);
        String code = java.net.URLDecoder.decode(authorize.header("Location").replaceAll(".*[?&]code=([^&]+).*", "$1"), StandardCharsets.UTF_8);
        Http.Response token = http.postForm("/realms/authority/oauth/token", Map.of("grant_type", "authorization_code",
                "client_id", "account-console", "code", code, "redirect_uri", redirect, "code_verifier", Pkce.VERIFIER));
        assertEquals(200, token.status(), token::toString);
        return token.json().get("access_token").asText();
    }

    @Test
    void signinPageIsServedAtBothBases(Http http) {
        for (String path : new String[]{"/signin", "/realms/authority/signin"}) {
            Http.Response page = http.get(path + "?forward_url=" + b64("/x"));
            assertEquals(200, page.status(), page::toString);
            assertTrue(page.body().contains("name=\"email\"") && page.body().contains("name=\"password\"")
                    && page.body().contains("name=\"forward_url\""), page.body());
            assertTrue(page.body().contains("forgot-password"));
        }
        assertEquals("email", http.get("/signin", "Accept", "application/json").json().get("fields").get(0).asText());
    }

    @Test
    void failuresAreKeycloakLoginErrorEvents() {
        String email = newUser("events");
        signin(http(), email, "bad", null);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        boolean found = false;
        while (!found && Instant.now().isBefore(deadline)) {
            for (JsonNode e : admin.getJson("/realms/" + REALM + "/events?type=LOGIN_ERROR&user=" + userId(email))) {
                found |= "invalid_user_credentials".equals(e.get("error").asText());
            }
            sleep(200);
        }
        assertTrue(found, "LOGIN_ERROR event for the failed sign-in");
    }

    // ---- login CSRF (a cross-site POST must not sign the browser in) ----------------------------------------------

    private static boolean setsSsoCookie(Http.Response r) {
        return r.raw().headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("KEYCLOAK_IDENTITY=") && !c.startsWith("KEYCLOAK_IDENTITY=;"));
    }

    private static int sessions(String email) {
        return admin.getJson("/realms/" + REALM + "/users/" + userId(email) + "/sessions").size();
    }

    /** What an attacker's page can make a victim's browser send: the right credentials of the attacker's account. */
    @ParameterizedTest
    @ValueSource(strings = {"Origin: https://evil.example", "Origin: null", "Sec-Fetch-Site: cross-site", "Sec-Fetch-Site: same-site",
            "Referer: https://evil.example/login.html", "Origin: http://localhost:1", "Origin: https://evil.example|Sec-Fetch-Site: same-origin"})
    void crossSiteSigninPostsAreRefusedAndSignNobodyIn(String headerLines) {
        String attacker = newUser("csrf");
        Http victim = http();
        // the victim's browser may even hold a valid sign-in cookie and form token of its own
        String token = FormClient.hiddenInputs(victim.get("/realms/authority/signin").body()).get("csrf_token");
        List<String> headers = new ArrayList<>();
        for (String line : headerLines.split("\\|")) {
            headers.add(line.substring(0, line.indexOf(':')));
            headers.add(line.substring(line.indexOf(':') + 1).trim());
        }
        for (boolean json : new boolean[]{false, true}) {
            List<String> h = new ArrayList<>(headers);
            if (json) {
                h.addAll(List.of("Accept", "application/json"));
            }
            Http.Response r = victim.postForm("/realms/authority/signin", Map.of("email", attacker, "password", PASSWORD, "csrf_token", token),
                    h.toArray(String[]::new));
            assertEquals(403, r.status(), headerLines + ": " + r);
            assertFalse(setsSsoCookie(r), "no SSO cookie: " + r.raw().headers().allValues("Set-Cookie"));
            if (json) {
                assertEquals("cross_site_request", r.json().get("error").asText());
            } else {
                assertTrue(r.body().contains("name=\"email\""), "the sign-in page again");
            }
        }
        assertEquals(0, sessions(attacker), "no session was created for the attacker's account");
        Http.Response authorize = victim.get("/realms/authority/protocol/openid-connect/auth?response_type=code&client_id=account-console"
                + "&redirect_uri=" + server.baseUri() + "/realms/authority/account/&scope=openid&state=s"
                + Pkce.S256_PARAMS);
        assertEquals(200, authorize.status(), "the next authorization asks the victim to sign in: " + authorize);
    }

    @Test
    void aBrowserFormNeedsTheTokenOfItsOwnSigninCookie() {
        String email = newUser("form");
        String origin = server.baseUri().toString();
        Http browser = http();
        Http.Response page = browser.get("/signin"); // the host-root page; its form posts to the issuer route
        assertEquals(200, page.status(), page::toString);
        String setCookie = page.raw().headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("AUTHORITY_SIGNIN_CSRF=")).findFirst().orElseThrow();
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/realms/authority/"), setCookie);
        String action = FormClient.formAction(page.body(), "signin-form");
        String token = FormClient.hiddenInputs(page.body()).get("csrf_token");
        assertEquals("/realms/authority/signin", action);

        // a same-origin POST without the token, with a forged one, or with another browser's token is refused
        Http.Response none = browser.postForm(action, Map.of("email", email, "password", PASSWORD), "Origin", origin, "Accept", "application/json");
        assertEquals(403, none.status(), none::toString);
        assertEquals("invalid_csrf_token", none.json().get("error").asText());
        Http.Response forged = browser.postForm(action, Map.of("email", email, "password", PASSWORD, "csrf_token", "A".repeat(32)), "Origin", origin);
        assertEquals(403, forged.status(), forged::toString);
        Http other = http();
        String othersToken = FormClient.hiddenInputs(other.get("/realms/authority/signin").body()).get("csrf_token");
        Http.Response foreign = browser.postForm(action, Map.of("email", email, "password", PASSWORD, "csrf_token", othersToken), "Origin", origin);
        assertEquals(403, foreign.status(), foreign::toString);
        Http.Response tokenWithoutCookie = http().postForm(action, Map.of("email", email, "password", PASSWORD, "csrf_token", token));
        assertEquals(403, tokenWithoutCookie.status(), "a token is worth nothing without its browser's cookie: " + tokenWithoutCookie);
        assertEquals(0, sessions(email));

        // the browser's own form, as a browser sends it
        Http.Response ok = browser.postForm(action, Map.of("email", email, "password", PASSWORD, "csrf_token", token, "forward_url", ""),
                "Origin", origin, "Sec-Fetch-Site", "same-origin", "Sec-Fetch-Mode", "navigate");
        assertEquals(302, ok.status(), ok::toString);
        assertTrue(setsSsoCookie(ok));
        assertEquals(1, sessions(email));

        // a wrong password re-renders the form with a token that still works
        Http again = http();
        Http.Response form = again.get("/realms/authority/signin");
        Http.Response wrong = again.postForm("/realms/authority/signin", Map.of("email", email, "password", "nope",
                "csrf_token", FormClient.hiddenInputs(form.body()).get("csrf_token")), "Origin", origin);
        assertEquals(401, wrong.status(), wrong::toString);
        Http.Response retry = again.postForm("/realms/authority/signin", Map.of("email", email, "password", PASSWORD,
                "csrf_token", FormClient.hiddenInputs(wrong.body()).get("csrf_token")), "Origin", origin);
        assertEquals(302, retry.status(), retry::toString);
    }

    @Test
    void apiClientsWithoutABrowserStillSignIn() {
        String email = newUser("api");
        Http.Response r = signin(http(), email, PASSWORD, null, "Accept", "application/json");
        assertEquals(302, r.status(), "no Origin, no Fetch Metadata: not a browser, no form token needed: " + r);
        JsonNode description = http().get("/signin", "Accept", "application/json").json();
        assertEquals(32, description.get("csrf_token").asText().length(), "API clients that are browsers can read the token");
    }

    // ---- a browser that is already signed in -------------------------------------------------------------------------

    @Test
    void signinInASignedInBrowserChecksThePostedCredentials() throws Exception {
        String a = newUser("first");
        String b = newUser("second");
        Http browser = http();
        assertEquals(302, signinAtIssuer(browser, a, PASSWORD).status());
        assertEquals(1, sessions(a));

        for (String[] attempt : new String[][]{{a, "wrong-password"}, {b, "wrong-password"}, {"nobody-" + System.nanoTime() + "@example.com", PASSWORD}}) {
            Http.Response r = signinAtIssuer(browser, attempt[0], attempt[1]);
            assertEquals(401, r.status(), "a wrong password is 401 also with a session: " + r);
            Http.Response json = signinAtIssuer(browser, attempt[0], attempt[1], "Accept", "application/json");
            assertEquals(401, json.status(), json::toString);
            assertEquals("invalid_credentials", json.json().get("error").asText());
            assertFalse(setsSsoCookie(json));
        }
        awaitFailures(a, 1);
        awaitFailures(b, 1);
        assertEquals(1, sessions(a), "the old session is untouched by failed attempts");

        // the other user's right credentials sign that user in, and replace the old session
        Http.Response r = signinAtIssuer(browser, b, PASSWORD);
        assertEquals(302, r.status(), r::toString);
        assertTrue(r.header("Location").endsWith("/realms/authority/profile"), r.header("Location"));
        assertEquals(1, sessions(b));
        assertEquals(0, sessions(a), "the browser's old session of another user is ended");
        String accessToken = tokenFromSsoSession(browser);
        JsonNode claims = Http.JSON.readTree(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]));
        assertEquals(userId(b), claims.get("sub").asText(), "the browser's SSO identity is the posted user");
    }

    @Test
    void aSecondFactorUserSignedInOverAnotherSessionIsPendingAsThemselves() {
        String a = newUser("holder");
        String mfa = "mfa2-" + System.nanoTime() + "@example.com";
        importUserWithOtp(mfa);
        Http browser = http();
        assertEquals(302, signinAtIssuer(browser, a, PASSWORD).status());
        Http.Response wrong = signinAtIssuer(browser, mfa, "wrong-password");
        assertEquals(401, wrong.status(), "never /mfa/verify for a wrong password: " + wrong);
        Http.Response r = signinAtIssuer(browser, mfa, PASSWORD);
        assertEquals(302, r.status(), r::toString);
        assertTrue(r.header("Location").contains("/mfa/verify?tab_id="), r.header("Location"));
        assertEquals(0, sessions(mfa), "no session before the second factor");
        Http.Response wrongCode = browser.postForm("/realms/authority/mfa/verify", Map.of("totp_code", Totp.wrongCode("JBSWY3DPEHPK3PXP", 0),
                "tab_id", r.header("Location").replaceAll(".*tab_id=", "")), "Accept", "application/json");
        assertEquals(401, wrongCode.status(), "the pending sign-in asks the posted user's second factor: " + wrongCode);
    }

    // ---- realms that do not sign in with the pack -------------------------------------------------------------------

    @Test
    void realmsThePackWasNotAppliedToAnswerKeycloaksOwn404NotA500(Http http) {
        // master was never given the pack (docs/existing-keycloak.md): /signin there is no route, answered exactly as
        // Keycloak answers a path it does not know
        Http.Response unknown = http.get("/realms/master/no-such-route", "Accept", "application/json");
        assertEquals(404, unknown.status(), unknown::toString);
        for (Http.Response r : List.of(http.get("/realms/master/signin"), http.get("/realms/master/signin", "Accept", "application/json"),
                http.postForm("/realms/master/signin", Map.of("email", KeycloakServer.ADMIN_USER, "password", "x")))) {
            assertEquals(404, r.status(), r::toString);
            assertFalse(r.body().contains("not_found"), "Keycloak's own answer, not the pack's: " + r);
        }
        assertEquals(unknown.body(), http.get("/realms/master/signin", "Accept", "application/json").body());
    }

    @Test
    void thePackPagesRenderUnderAnotherLoginTheme(Http http) {
        setRealm(Map.of("loginTheme", "keycloak.v2"));
        try {
            Http.Response page = http.get("/realms/authority/signin");
            assertEquals(200, page.status(), page::toString);
            assertTrue(page.body().contains("name=\"csrf_token\""), page.body());
        } finally {
            setRealm(Map.of("loginTheme", originalRealm.get("loginTheme").asText()));
        }
    }
}
