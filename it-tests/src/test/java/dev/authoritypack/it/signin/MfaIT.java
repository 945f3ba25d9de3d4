package dev.authoritypack.it.signin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.Concurrently;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.FormClient;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import dev.authoritypack.it.support.Pkce;
import dev.authoritypack.it.support.Totp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MFA routes on the real server; TOTP codes are computed here from the secret the setup page shows. */
@PackIntegrationTest
public class MfaIT {

    private static final String REALM = "authority";
    private static final String PASSWORD = "Mfa-password-1";
    private static AdminApi admin;
    private static KeycloakServer server;

    @BeforeAll
    static void init(AdminApi adminApi, KeycloakServer keycloak) {
        admin = adminApi;
        server = keycloak;
    }

    /** A signed-in browser of a new user. */
    private record User(String email, Http http) {
    }

    private record Mfa(String secret, List<String> codes) {
    }

    private static User signedIn(String prefix) {
        String email = Fixtures.user(admin, REALM, prefix, PASSWORD);
        Http http = new Http(server.baseUri());
        Http.Response r = http.postForm("/signin", Map.of("email", email, "password", PASSWORD));
        assertEquals(302, r.status(), r::toString);
        return new User(email, http);
    }

    private static JsonNode setup(Http http) {
        Http.Response r = http.get("/realms/authority/mfa/setup", "Accept", "application/json");
        assertEquals(200, r.status(), r::toString);
        return r.json();
    }

    private static Mfa enable(User user) {
        JsonNode setup = setup(user.http);
        String secret = setup.get("secret").asText();
        Http.Response r = user.http.postForm("/realms/authority/mfa/enable", Map.of("totp_code", Totp.code(secret, 0), "csrf_token", setup.get("csrf_token").asText()));
        assertEquals(302, r.status(), r::toString);
        List<String> codes = new ArrayList<>();
        setup.get("backup_codes").forEach(c -> codes.add(c.asText()));
        return new Mfa(secret, codes);
    }

    private static List<String> credentialTypes(String email) {
        String id = admin.getJson("/realms/" + REALM + "/users?exact=true&email=" + email).get(0).get("id").asText();
        List<String> types = new ArrayList<>();
        admin.getJson("/realms/" + REALM + "/users/" + id + "/credentials").forEach(c -> types.add(c.get("type").asText()));
        return types;
    }

    /** Signs in with the password in a fresh browser; returns it and the tab of the pending sign-in. */
    private static String[] pendingSignin(String email, Http http) {
        Http.Response r = http.postForm("/signin", Map.of("email", email, "password", PASSWORD));
        assertEquals(302, r.status(), r::toString);
        String location = r.header("Location");
        assertTrue(location.contains("/mfa/verify?tab_id="), location);
        return new String[]{location.substring(location.indexOf("tab_id=") + 7)};
    }

    private static Http.Response verify(Http http, String tabId, String code, String... headers) {
        return http.postForm("/realms/authority/mfa/verify", Map.of("totp_code", code, "tab_id", tabId), headers);
    }

    // ---- tests ------------------------------------------------------------------------------------------------------

    /** C095 of docs/conformance.md: enabling or disabling MFA needs a signed-in session; without one nothing changes. */
    @Test
    void enableAndDisableNeedASignedInSession() {
        Http nobody = new Http(server.baseUri());
        for (String route : new String[]{"/realms/authority/mfa/enable", "/realms/authority/mfa/disable"}) {
            Map<String, String> form = route.endsWith("enable") ? Map.of("totp_code", "123456") : Map.of("password", "x");
            Http.Response json = nobody.postForm(route, form, "Accept", "application/json");
            assertEquals(401, json.status(), json::toString);
            assertEquals("login_required", json.json().path("error").asText());
            Http.Response page = nobody.postForm(route, form, "Accept", "text/html");
            assertEquals(302, page.status(), page::toString);
            assertTrue(page.header("Location").contains("/realms/authority/signin"), "to the sign-in: " + page.header("Location"));
        }
    }

    @Test
    void setupRequiresASignedInUser(Http http) {
        Http.Response r = http.get("/realms/authority/mfa/setup");
        assertEquals(302, r.status());
        assertTrue(r.header("Location").contains("/signin?forward_url="), r.header("Location"));
        assertEquals(401, http.get("/realms/authority/mfa/setup", "Accept", "application/json").status());
        Http.Response root = http.get("/mfa/setup");
        assertEquals(307, root.status(), "the host root sends the browser where its session cookie is sent");
        assertEquals("/realms/authority/mfa/setup", root.header("Location"));
    }

    @Test
    void setupPageShowsQrSecretAndBackupCodes() {
        User user = signedIn("page");
        Http.Response page = user.http.get("/realms/authority/mfa/setup");
        assertEquals(200, page.status(), page::toString);
        assertTrue(page.body().contains("data:image/png;base64,"), "QR code rendered server-side");
        assertTrue(page.body().contains("id=\"mfa-secret\"") && page.body().contains("otpauth://totp/"));
        JsonNode json = setup(user.http);
        assertTrue(json.get("backup_codes").size() >= 10);
        assertFalse(json.get("mfa_enabled").asBoolean());
    }

    @Test
    void enableNeedsTheRightCodeAndTheCsrfToken() {
        User user = signedIn("enable");
        JsonNode setup = setup(user.http);
        String secret = setup.get("secret").asText();
        String csrf = setup.get("csrf_token").asText();

        Http.Response noCsrf = user.http.postForm("/realms/authority/mfa/enable", Map.of("totp_code", Totp.code(secret, 0)));
        assertEquals(403, noCsrf.status(), noCsrf::toString);
        Http.Response wrongCsrf = user.http.postForm("/realms/authority/mfa/enable", Map.of("totp_code", Totp.code(secret, 0), "csrf_token", "forged"));
        assertEquals(403, wrongCsrf.status());
        Http.Response wrong = user.http.postForm("/realms/authority/mfa/enable", Map.of("totp_code", Totp.wrongCode(secret, 0), "csrf_token", csrf));
        assertEquals(400, wrong.status(), wrong::toString);
        Http.Response missing = user.http.postForm("/realms/authority/mfa/enable", Map.of("csrf_token", csrf), "Accept", "application/json");
        assertEquals(400, missing.status());
        assertEquals("invalid_code", missing.json().get("error").asText());
        assertFalse(credentialTypes(user.email).contains("otp"), "nothing stored");

        Http.Response ok = user.http.postForm("/realms/authority/mfa/enable", Map.of("totp_code", Totp.code(secret, 0), "csrf_token", csrf));
        assertEquals(302, ok.status(), ok::toString);
        assertTrue(ok.header("Location").endsWith("/realms/authority/profile"));
        assertTrue(credentialTypes(user.email).containsAll(List.of("otp", "recovery-authn-codes")), credentialTypes(user.email).toString());
    }

    @Test
    void signinWithTotpAndBackupCodes() {
        User user = signedIn("verify");
        Mfa mfa = enable(user);

        Http browser = new Http(server.baseUri());
        String tab = pendingSignin(user.email, browser)[0];
        String code = Totp.code(mfa.secret, 1); // next window: the current one was spent enabling MFA
        Http.Response ok = verify(browser, tab, code);
        assertEquals(302, ok.status(), ok::toString);
        assertTrue(ok.header("Location").endsWith("/realms/authority/profile"));
        assertTrue(ok.raw().headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("KEYCLOAK_IDENTITY=")));

        Http replay = new Http(server.baseUri());
        String tab2 = pendingSignin(user.email, replay)[0];
        Http.Response replayed = verify(replay, tab2, code);
        assertEquals(401, replayed.status(), "a TOTP code cannot be replayed: " + replayed);

        Http.Response backup = verify(replay, tab2, mfa.codes.get(5));
        assertEquals(302, backup.status(), "any backup code, in any order: " + backup);

        Http again = new Http(server.baseUri());
        String tab3 = pendingSignin(user.email, again)[0];
        Http.Response reused = verify(again, tab3, mfa.codes.get(5), "Accept", "application/json");
        assertEquals(401, reused.status(), "a backup code works once: " + reused);
        assertEquals("invalid_credentials", reused.json().get("error").asText());

        assertEquals(mfa.codes.size() - 1, setup(user.http).get("backup_codes_remaining").asInt());
    }

    @Test
    void theSameBackupCodeSubmittedConcurrentlyWinsOnce() throws Exception {
        User user = signedIn("race");
        Mfa mfa = enable(user);
        int n = 20;
        List<Http> browsers = new ArrayList<>();
        List<String> tabs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Http http = new Http(server.baseUri());
            tabs.add(pendingSignin(user.email, http)[0]);
            browsers.add(http);
        }
        List<Integer> statuses = Concurrently.each(n, k -> verify(browsers.get(k), tabs.get(k), mfa.codes.get(0)).status());
        assertEquals(1, statuses.stream().filter(s -> s == 302).count(), "exactly one success: " + statuses);
        assertTrue(statuses.stream().allMatch(s -> s == 302 || s == 401 || s == 423), "no 5xx: " + statuses);
    }

    @Test
    void differentBackupCodesUsedAtOnceAreAllConsumed() throws Exception {
        User user = signedIn("pair");
        Mfa mfa = enable(user);
        int rounds = 4;
        List<Integer> accepted = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            List<String> pair = List.of(mfa.codes.get(2 * round), mfa.codes.get(2 * round + 1));
            List<Http> browsers = new ArrayList<>();
            List<String> tabs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Http http = new Http(server.baseUri());
                tabs.add(pendingSignin(user.email, http)[0]);
                browsers.add(http);
            }
            List<Integer> results = Concurrently.each(2, k -> verify(browsers.get(k), tabs.get(k), pair.get(k)).status());
            for (int k = 0; k < 2; k++) {
                int status = results.get(k);
                // 423: Keycloak's protector refuses a parallel attempt of the same user on one node (docs/signin.md, parallel attempts)
                assertTrue(status == 302 || status == 423, "code accepted or the parallel attempt refused: " + status);
                if (status == 302) {
                    accepted.add(2 * round + k);
                }
            }
            Thread.sleep(1_100);
        }
        assertFalse(accepted.isEmpty());
        Thread.sleep(500); // the repair runs after the commit
        assertEquals(12 - accepted.size(), remainingBackupCodes(user.email), "no used code came back into the stored credential");
        for (int i : accepted.subList(0, Math.min(4, accepted.size()))) { // and none works again (five failures would lock)
            Http http = new Http(server.baseUri());
            String tab = pendingSignin(user.email, http)[0];
            assertNotEquals(302, verify(http, tab, mfa.codes.get(i)).status(), "code " + i + " was used");
            Thread.sleep(1_100); // the realm's quick-login check: failures closer than 1 s lock the account
        }
    }

    private static int remainingBackupCodes(String email) throws Exception {
        String id = admin.getJson("/realms/" + REALM + "/users?exact=true&email=" + email).get(0).get("id").asText();
        for (JsonNode c : admin.getJson("/realms/" + REALM + "/users/" + id + "/credentials")) {
            if (c.get("type").asText().equals("recovery-authn-codes")) {
                return Http.JSON.readTree(c.get("credentialData").asText()).get("remainingCodes").asInt();
            }
        }
        return 0;
    }

    @Test
    void failedCodesLeadToALockout() {
        User user = signedIn("mfalock");
        enable(user);
        Http browser = new Http(server.baseUri());
        String tab = pendingSignin(user.email, browser)[0];
        Http.Response last = null;
        for (int i = 0; i < 8 && (last == null || last.status() != 423); i++) {
            last = verify(browser, tab, "12345" + i);
            assertTrue(last.status() == 401 || last.status() == 423, last::toString);
        }
        assertEquals(423, last.status(), "wrong codes count toward Keycloak's brute-force lockout");
        assertNotNull(last.header("Retry-After"));
    }

    @Test
    void disableNeedsThePasswordThenSigninGoesStraightThrough() {
        User user = signedIn("disable");
        enable(user);
        String csrf = setup(user.http).get("csrf_token").asText();
        Http.Response wrong = user.http.postForm("/realms/authority/mfa/disable", Map.of("password", "wrong", "csrf_token", csrf));
        assertEquals(401, wrong.status(), wrong::toString);
        assertTrue(credentialTypes(user.email).contains("otp"), "a wrong password changes nothing");
        Http.Response forged = user.http.postForm("/realms/authority/mfa/disable", Map.of("password", PASSWORD, "csrf_token", "forged"));
        assertEquals(403, forged.status());

        Http.Response ok = user.http.postForm("/realms/authority/mfa/disable", Map.of("password", PASSWORD, "csrf_token", csrf));
        assertEquals(302, ok.status(), ok::toString);
        assertFalse(credentialTypes(user.email).contains("otp"));
        assertFalse(credentialTypes(user.email).contains("recovery-authn-codes"));
        Http.Response signin = new Http(server.baseUri()).postForm("/signin", Map.of("email", user.email, "password", PASSWORD));
        assertTrue(signin.header("Location").endsWith("/realms/authority/profile"), signin.header("Location"));
    }

    @Test
    void authorizeLoginAsksForTheSecondFactorAndTakesABackupCode() {
        User user = signedIn("oidcmfa");
        Mfa mfa = enable(user);
        FormClient browser = new FormClient(new Http(server.baseUri()));
        String redirect = server.baseUri() + "/realms/authority/account/";
        Http.Response login = browser.open("/realms/authority/authorize?response_type=code&client_id=account-console&redirect_uri=" + redirect
                + "&scope=openid" + Pkce.S256_PARAMS, redirect);
        Http.Response otpPage = browser.login(login, user.email, PASSWORD, redirect);
        assertEquals(200, otpPage.status(), otpPage::toString);
        String action = FormClient.formAction(otpPage.body(), "kc-otp-login-form");
        Http.Response back = browser.follow(browser.http().postForm(action, Map.of("otp", mfa.codes.get(3))), redirect);
        assertEquals(302, back.status(), back::toString);
        assertTrue(back.header("Location").startsWith(redirect) && back.header("Location").contains("code="), back.header("Location"));
    }

    @Test
    void noPendingSecretSurvivesASignout() {
        User user = signedIn("pending");
        JsonNode setup = setup(user.http);
        Http.Response out = user.http.send(user.http.request("/realms/authority/signout").header("Origin", server.baseUri().toString())
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(302, out.status());
        assertEquals(302, user.http.postForm("/signin", Map.of("email", user.email, "password", PASSWORD)).status());
        String csrf = setup(user.http).get("csrf_token").asText(); // a new session: new pending secret, new token
        Http.Response stale = user.http.postForm("/realms/authority/mfa/enable", Map.of("totp_code", Totp.code(setup.get("secret").asText(), 0), "csrf_token", csrf));
        assertEquals(400, stale.status(), "the old secret is gone with the old session: " + stale);
    }

    @Test
    void verifyWithoutAPendingSigninGoesToSignin(Http http) {
        Http.Response r = http.postForm("/realms/authority/mfa/verify", Map.of("totp_code", "123456", "tab_id", "nope"));
        assertEquals(302, r.status());
        assertTrue(r.header("Location").endsWith("/realms/authority/signin"), r.header("Location"));
    }

    @Test
    void noSecretOrCodeInTheServerLog() throws Exception {
        User user = signedIn("log");
        Mfa mfa = enable(user);
        Http browser = new Http(server.baseUri());
        verify(browser, pendingSignin(user.email, browser)[0], mfa.codes.get(7));
        String log = Files.readString(server.logFile());
        assertFalse(log.contains(mfa.secret.replace(" ", "")), "the TOTP secret appears in the log");
        for (String code : mfa.codes) {
            assertFalse(log.contains(code), "a backup code appears in the log");
        }
    }

    // ---- a GET changes nothing; replacing a second factor needs the current one ------------------------------------

    private static String otpCredentialId(String email) {
        String id = admin.getJson("/realms/" + REALM + "/users?exact=true&email=" + email).get(0).get("id").asText();
        for (JsonNode c : admin.getJson("/realms/" + REALM + "/users/" + id + "/credentials")) {
            if ("otp".equals(c.get("type").asText())) {
                return c.get("id").asText();
            }
        }
        return null;
    }

    @Test
    void repeatedGetsKeepThePendingSecretAndOnlyAPostStartsOver() {
        User user = signedIn("idempotent");
        JsonNode first = setup(user.http);
        String secret = first.get("secret").asText();
        String csrf = first.get("csrf_token").asText();
        // what an <img> or a link on another site makes the browser do
        user.http.get("/realms/authority/mfa/setup", "Sec-Fetch-Site", "cross-site", "Sec-Fetch-Dest", "image");
        user.http.method("HEAD", "/realms/authority/mfa/setup");
        assertTrue(user.http.get("/realms/authority/mfa/setup").body().contains(secret.substring(0, 4)), "the page shows the same secret");
        JsonNode again = setup(user.http);
        assertEquals(secret, again.get("secret").asText(), "a GET does not replace the secret the user may have scanned");
        assertEquals(first.get("backup_codes"), again.get("backup_codes"));
        assertTrue(again.get("setup_expires_in").asLong() > 0 && again.get("setup_expires_in").asLong() <= 900);

        // starting over is a POST with the form token, from this site
        Http.Response noToken = user.http.postForm("/realms/authority/mfa/setup", Map.of(), "Accept", "application/json");
        assertEquals(403, noToken.status(), noToken::toString);
        Http.Response crossSite = user.http.postForm("/realms/authority/mfa/setup", Map.of("csrf_token", csrf),
                "Origin", "https://evil.example", "Accept", "application/json");
        assertEquals(403, crossSite.status(), crossSite::toString);
        assertEquals("cross_site_request", crossSite.json().get("error").asText());
        assertEquals(secret, setup(user.http).get("secret").asText(), "refused requests change nothing");

        Http.Response restart = user.http.postForm("/realms/authority/mfa/setup", Map.of("csrf_token", csrf));
        assertEquals(303, restart.status(), restart::toString);
        assertTrue(restart.header("Location").endsWith("/realms/authority/mfa/setup"));
        String fresh = setup(user.http).get("secret").asText();
        assertFalse(secret.equals(fresh), "a POST makes a new secret");

        // and enabling works with the secret in force
        Http.Response ok = user.http.postForm("/realms/authority/mfa/enable", Map.of("totp_code", Totp.code(fresh, 0), "csrf_token", csrf),
                "Origin", server.baseUri().toString());
        assertEquals(302, ok.status(), ok::toString);
    }

    @Test
    void crossSiteEnableAndDisableChangeNothing() {
        User user = signedIn("xsite");
        JsonNode setup = setup(user.http);
        String csrf = setup.get("csrf_token").asText();
        Http.Response enable = user.http.postForm("/realms/authority/mfa/enable", Map.of("totp_code", Totp.code(setup.get("secret").asText(), 0),
                "csrf_token", csrf), "Sec-Fetch-Site", "cross-site");
        assertEquals(403, enable.status(), enable::toString);
        assertFalse(credentialTypes(user.email).contains("otp"));
        enable(user);
        Http.Response disable = user.http.postForm("/realms/authority/mfa/disable", Map.of("password", PASSWORD, "csrf_token", csrf),
                "Origin", "https://evil.example");
        assertEquals(403, disable.status(), disable::toString);
        assertTrue(credentialTypes(user.email).contains("otp"));
    }

    @Test
    void replacingASecondFactorNeedsThePasswordOrACurrentCode() throws Exception {
        User user = signedIn("replace");
        Mfa old = enable(user);
        String oldCredential = otpCredentialId(user.email);
        JsonNode setup = setup(user.http);
        assertTrue(setup.get("reauthentication_required").asBoolean());
        String secret = setup.get("secret").asText();
        String csrf = setup.get("csrf_token").asText();
        assertTrue(user.http.get("/realms/authority/mfa/setup").body().contains("name=\"current_code\""), "the page asks for it");

        // a session alone (stolen, or a borrowed computer) cannot swap the authenticator
        Http.Response bare = user.http.postForm("/realms/authority/mfa/enable", Map.of("totp_code", Totp.code(secret, 0), "csrf_token", csrf),
                "Accept", "application/json");
        assertEquals(401, bare.status(), bare::toString);
        assertEquals("reauthentication_required", bare.json().get("error").asText());
        Http.Response wrongPassword = user.http.postForm("/realms/authority/mfa/enable", Map.of("totp_code", Totp.code(secret, 0), "csrf_token", csrf,
                "password", "not-the-password"), "Accept", "application/json");
        assertEquals(401, wrongPassword.status(), wrongPassword::toString);
        Thread.sleep(1100); // two failures within the realm's quick-login window (1 s) would lock the account for a minute
        Http.Response wrongCode = user.http.postForm("/realms/authority/mfa/enable", Map.of("totp_code", Totp.code(secret, 0), "csrf_token", csrf,
                "current_code", Totp.wrongCode(old.secret, 1)), "Accept", "application/json");
        assertEquals(401, wrongCode.status(), wrongCode::toString);
        assertEquals(oldCredential, otpCredentialId(user.email), "refused attempts change nothing");
        String id = admin.getJson("/realms/" + REALM + "/users?exact=true&email=" + user.email).get(0).get("id").asText();
        Instant deadline = Instant.now().plusSeconds(10);
        int failures = 0;
        while (failures < 2 && Instant.now().isBefore(deadline)) {
            failures = admin.getJson("/realms/" + REALM + "/attack-detection/brute-force/users/" + id).get("numFailures").asInt();
        }
        assertEquals(2, failures, "wrong passwords and codes count as failed logins");

        // a current code proves it: the new authenticator replaces the old one
        Http.Response ok = user.http.postForm("/realms/authority/mfa/enable", Map.of("totp_code", Totp.code(secret, 0), "csrf_token", csrf,
                "current_code", Totp.code(old.secret, 1)));
        assertEquals(302, ok.status(), ok::toString);
        String replaced = otpCredentialId(user.email);
        assertNotNull(replaced);
        assertFalse(oldCredential.equals(replaced), "a new OTP credential");

        // and so does the password
        JsonNode next = setup(user.http);
        Http.Response withPassword = user.http.postForm("/realms/authority/mfa/enable", Map.of("totp_code", Totp.code(next.get("secret").asText(), 0),
                "csrf_token", csrf, "password", PASSWORD));
        assertEquals(302, withPassword.status(), withPassword::toString);
        assertFalse(replaced.equals(otpCredentialId(user.email)));
    }

    /**
     * The refusals of the MFA pages (texts of the pack's Java code) speak the page's language; the JSON answers keep
     * their English descriptions (an API). German is asked for by {@code Accept-Language}, and by {@code ui_locales}
     * on the sign-in page, which the pending sign-in's MFA step remembers.
     */
    @Test
    void refusalsOnTheMfaPagesSpeakThePagesLanguage() {
        User user = signedIn("sprache");
        JsonNode setup = setup(user.http);
        String csrf = setup.get("csrf_token").asText();
        Http.Response mismatch = user.http.postForm("/realms/authority/mfa/enable", Map.of("totp_code", Totp.wrongCode(setup.get("secret").asText(), 0),
                "csrf_token", csrf), "Accept", "text/html", "Accept-Language", "de");
        assertEquals(400, mismatch.status(), mismatch::toString);
        assertEquals("de", mismatch.header("Content-Language"));
        assertTrue(mismatch.body().contains("Der Code passt nicht zum neuen Schlüssel; es wurde nichts geändert."), mismatch.body());
        assertFalse(mismatch.body().contains("does not match"), mismatch.body());
        Http.Response stale = user.http.postForm("/realms/authority/mfa/enable", Map.of("totp_code", "123456", "csrf_token", "forged"),
                "Accept", "text/html", "Accept-Language", "de");
        assertEquals(403, stale.status(), stale::toString);
        assertTrue(stale.body().contains("Das Formular ist veraltet oder kam von einer anderen Website."), stale.body());
        Http.Response api = user.http.postForm("/realms/authority/mfa/enable", Map.of("totp_code", "123456", "csrf_token", csrf),
                "Accept", "application/json", "Accept-Language", "de");
        assertEquals("The code does not match the new secret; nothing was changed", api.json().get("error_description").asText(), api::toString);

        Mfa mfa = enable(user);
        setup(user.http); // a new pending setup: replacing the second factor now needs proof
        Http.Response unproven = user.http.postForm("/realms/authority/mfa/enable", Map.of("totp_code", "123456", "csrf_token", csrf),
                "Accept", "text/html", "Accept-Language", "de");
        assertEquals(401, unproven.status(), unproven::toString);
        assertTrue(unproven.body().contains("Die Zwei-Faktor-Authentifizierung ist aktiv: Geben Sie Ihr Passwort oder einen Code"), unproven.body());

        Http browser = new Http(server.baseUri());
        Http.Response signinPage = browser.get("/realms/authority/signin?ui_locales=de", "Accept", "text/html", "Accept-Language", "en");
        assertEquals("de", signinPage.header("Content-Language"), "ui_locales outranks Accept-Language");
        String tab = pendingSignin(user.email, browser)[0];
        Http.Response verifyPage = browser.get("/realms/authority/mfa/verify?tab_id=" + tab, "Accept", "text/html", "Accept-Language", "en");
        assertEquals("de", verifyPage.header("Content-Language"), "the language of the sign-in page is remembered");
        Http.Response wrong = verify(browser, tab, Totp.wrongCode(mfa.secret, 1), "Accept", "text/html", "Accept-Language", "en");
        assertEquals(401, wrong.status(), wrong::toString);
        assertTrue(wrong.body().contains("Der Code ist ungültig."), wrong.body());
        assertFalse(wrong.body().contains("not valid"), wrong.body());
        assertEquals(302, verify(browser, tab, Totp.code(mfa.secret, 1)).status(), "and the sign-in goes on");
    }

    @Test
    void theSignInAPageAsksForKeepsItsLanguage(Http http) {
        Http.Response r = http.get("/realms/authority/mfa/setup?ui_locales=de%20en");
        assertEquals(302, r.status());
        assertTrue(r.header("Location").contains("/signin?forward_url=") && r.header("Location").endsWith("&ui_locales=de%20en"), r.header("Location"));
        Http.Response signin = http.get(r.header("Location"), "Accept", "text/html", "Accept-Language", "en");
        assertEquals("de", signin.header("Content-Language"), signin::toString);
    }
}
