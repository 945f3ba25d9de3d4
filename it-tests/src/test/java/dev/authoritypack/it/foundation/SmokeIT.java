package dev.authoritypack.it.foundation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.FormClient;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.MailServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import dev.authoritypack.it.support.Pkce;
import dev.authoritypack.it.support.RealmAttributes;
import dev.authoritypack.it.support.Totp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The smoke test of the Keycloak lines (it-tests/keycloak-matrix.sh runs it with RouteTableIT, which asks every row
 * of the route table at both bases, on every supported Keycloak; docs/upgrading.md "Keycloak lines"). Each test walks
 * one path end to end through the Keycloak APIs whose form differs between 26.4 and 26.7
 * (providers/common/.../KeycloakLines.java): the authorization code flow with PKCE (the client policy executor), the
 * signed-in pages (Keycloak's identity cookie), MFA set-up and a wrong re-authentication (TOTP QR code, brute-force
 * counting), a password reset by real mail, read back from the SMTP sink and confirmed (the mail's token), and
 * Keycloak's own inline code on its pages against the realm's Content-Security-Policy hashes.
 * It is quick, so the normal test command runs it on the main Keycloak too.
 */
@PackIntegrationTest
class SmokeIT {

    private static final String REALM = "authority";
    private static final String PASSWORD = "Smoke-password-1";
    private static final String NEW_PASSWORD = "Smoke-password-2";
    private static final String APP_ORIGIN = "http://localhost:4711";
    private static final String REDIRECT = APP_ORIGIN + "/callback";
    private static final String CLIENT = "smoke-it";

    private static AdminApi admin;
    private static KeycloakServer server;
    private static MailServer mail;
    private static Map<String, String> previous;

    @BeforeAll
    static void setUp(AdminApi adminApi, KeycloakServer keycloak, MailServer mailServer) {
        admin = adminApi;
        server = keycloak;
        mail = mailServer;
        Fixtures.browserApp(admin, REALM, CLIENT, APP_ORIGIN);
        // every request comes from 127.0.0.1; other classes of the run may have used the address's mail budget
        previous = RealmAttributes.set(admin, REALM, Map.of("authority.account.mails-per-client-address", "100000"));
    }

    @AfterAll
    static void tearDown() {
        RealmAttributes.set(admin, REALM, previous);
    }

    private static Http signedIn(String email, String password) {
        Http http = new Http(server.baseUri());
        Http.Response r = http.postForm("/signin", Map.of("email", email, "password", password));
        assertEquals(302, r.status(), r::toString);
        assertTrue(r.header("Location").endsWith("/realms/authority/profile"), r::toString);
        return http;
    }

    private static String authorizeQuery(boolean withPkce) {
        return "?response_type=code&client_id=" + CLIENT + "&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)
                + "&scope=openid%20email&state=smoke-state" + (withPkce ? Pkce.S256_PARAMS : "");
    }

    private static String queryParameter(String location, String name) {
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            if (pair.startsWith(name + "=")) {
                return java.net.URLDecoder.decode(pair.substring(name.length() + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The tests run on the distribution asked for (-Dit.keycloak.version), not on the one the pack is compiled against. */
    @Test
    void runsTheKeycloakAskedFor() {
        JsonNode info = admin.getJson("/serverinfo");
        assertEquals(System.getProperty("it.keycloak.version"), info.get("systemInfo").get("version").asText());
    }

    /**
     * A signed-in browser's authorization request with PKCE ends at the client with a code that /oauth/token exchanges
     * and /userinfo accepts; without PKCE the pack's client policy refuses it (public clients, docs/compatibility.md).
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "/realms/authority"})
    void authorizationCodeFlowWithPkce(String base) {
        String email = Fixtures.user(admin, REALM, "smoke-code", PASSWORD);
        Http browser = signedIn(email, PASSWORD);
        FormClient form = new FormClient(browser);

        Http.Response refused = form.open(base + "/authorize" + authorizeQuery(false), REDIRECT);
        assertEquals(302, refused.status(), refused::toString);
        assertEquals("invalid_request", queryParameter(refused.header("Location"), "error"), refused::toString);

        Http.Response back = form.open(base + "/authorize" + authorizeQuery(true), REDIRECT);
        assertEquals(302, back.status(), back::toString);
        String location = back.header("Location");
        assertEquals("smoke-state", queryParameter(location, "state"), location);
        String code = queryParameter(location, "code");
        assertTrue(code != null && !code.isEmpty(), location);

        Http app = new Http(server.baseUri());
        Http.Response token = app.postForm(base + "/oauth/token", Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", REDIRECT, "client_id", CLIENT, "code_verifier", Pkce.VERIFIER));
        assertEquals(200, token.status(), token::toString);
        String accessToken = token.json().get("access_token").asText();
        Http.Response userinfo = app.get(base + "/userinfo", "Authorization", "Bearer " + accessToken);
        assertEquals(200, userinfo.status(), userinfo::toString);
        assertEquals(email, userinfo.json().get("email").asText());
    }

    /** The signed-in pages: the profile, MFA set-up with its QR code and enabling, a wrong password counted, sign-out. */
    @Test
    void signedInPagesMfaAndSignout() {
        String email = Fixtures.user(admin, REALM, "smoke-pages", PASSWORD);
        Http browser = signedIn(email, PASSWORD);

        Http.Response profile = browser.get("/realms/authority/profile", "Accept", "application/json");
        assertEquals(200, profile.status(), profile::toString);
        assertTrue(profile.body().contains(email), profile::toString);

        Http.Response setup = browser.get("/realms/authority/mfa/setup", "Accept", "application/json");
        assertEquals(200, setup.status(), setup::toString);
        String secret = setup.json().get("secret").asText();
        String csrf = setup.json().get("csrf_token").asText();
        assertTrue(setup.json().get("qr_code_png_base64").asText().length() > 100, "a QR code image: " + setup);
        Http.Response enabled = browser.postForm("/realms/authority/mfa/enable", Map.of("totp_code", Totp.code(secret, 0), "csrf_token", csrf));
        assertEquals(302, enabled.status(), enabled::toString);

        // a wrong password goes through Keycloak's brute-force protection (counted, not a 500) and changes nothing
        Http.Response wrong = browser.postForm("/realms/authority/mfa/disable", Map.of("password", "wrong", "csrf_token", csrf));
        assertEquals(401, wrong.status(), wrong::toString);
        String userId = Fixtures.userId(admin, REALM, email);
        assertTrue(failuresCounted(userId) >= 1, "the wrong password counted as a failure");

        Http.Response signout = browser.postForm("/realms/authority/signout", Map.of()); // the host root answers 307 to it
        assertEquals(302, signout.status(), signout::toString);
        assertNotEquals(200, browser.get("/realms/authority/profile", "Accept", "application/json").status(), "signed out");
        assertEquals(0, admin.getJson("/realms/" + REALM + "/users/" + userId + "/sessions").size(), "the session ended");
    }

    /**
     * Keycloak's own inline code on this line's pages is allowed by the realm's Content-Security-Policy: the handlers
     * of Keycloak's sign-in page (keycloak.v2's login.ftl under the pack's frame) and the scripts of the frames
     * keycloak-js loads. The realm names them by hash (docs/pages.md); a line whose code differs needs its hash there
     * (realm-config/authority-realm.json keeps those of every supported line). Without a browser: the hashes are
     * computed here as a browser computes them.
     */
    @Test
    void keycloaksInlineCodeIsAllowedByTheRealmPolicy() {
        Http http = new Http(server.baseUri());
        Http.Response login = http.get("/realms/authority/protocol/openid-connect/auth" + authorizeQuery(true));
        assertEquals(200, login.status(), login::toString);
        assertTrue(login.body().contains("id=\"kc-form-login\""), "Keycloak's sign-in form, rendered by the pack's theme");
        assertTrue(login.header("Content-Security-Policy") != null, "the realm's policy on Keycloak's page");
        int checked = allowedInlineCode(login);
        for (String frame : List.of("login-status-iframe.html", "3p-cookies/step1.html", "3p-cookies/step2.html")) {
            Http.Response r = http.get("/realms/authority/protocol/openid-connect/" + frame);
            assertEquals(200, r.status(), r::toString);
            checked += allowedInlineCode(r);
        }
        assertTrue(checked >= 4, "the sign-in form's handler and the frames' scripts were found: " + checked);
    }

    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\ssrc=)([^>]*)>(.*?)</script>", Pattern.DOTALL);
    private static final Pattern HANDLER = Pattern.compile("\\son[a-z]+=\"([^\"]*)\"");

    /** Asserts every inline script and event handler of a page is allowed by its policy's hashes; returns how many. */
    private static int allowedInlineCode(Http.Response page) {
        String policy = page.header("Content-Security-Policy");
        if (policy == null) {
            return 0; // no policy on this answer: nothing is blocked
        }
        String scriptSrc = Arrays.stream(policy.split(";")).map(String::trim).filter(d -> d.startsWith("script-src "))
                .findFirst().orElse("");
        List<String> code = new ArrayList<>();
        Matcher m = INLINE_SCRIPT.matcher(page.body());
        while (m.find()) {
            if (!m.group(1).contains("type=") || m.group(1).matches(".*type=\"(text/javascript|module)\".*")) {
                code.add(m.group(2));
            }
        }
        Matcher h = HANDLER.matcher(page.body());
        while (h.find()) {
            code.add(h.group(1).replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
        }
        for (String c : code) {
            String hash = "'sha256-" + Base64.getEncoder().encodeToString(sha256(c)) + "'";
            assertTrue(scriptSrc.contains(hash), page.raw().uri().getPath() + ": inline code not allowed by the realm's policy ("
                    + hash + " missing from script-src): " + (c.length() > 120 ? c.substring(0, 120) + "..." : c));
        }
        return code.size();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Failures Keycloak's brute-force protection holds for a user (both counters: 26.5+ keep the second factor's apart). */
    private static int failuresCounted(String userId) {
        for (int i = 0; ; i++) {
            JsonNode status = admin.getJson("/realms/" + REALM + "/attack-detection/brute-force/users/" + userId);
            int failures = status.path("numFailures").asInt() + status.path("numSecondaryAuthFailures").asInt();
            if (failures > 0 || i == 20) {
                return failures;
            }
            KeycloakServer.sleep(250);
        }
    }

    /** Real mail: the reset mail reaches the SMTP server, its token resets the password, the new one signs in. */
    @ParameterizedTest
    @ValueSource(strings = {"", "/realms/authority"})
    void passwordResetByMail(String base) {
        String email = Fixtures.user(admin, REALM, "smoke-mail", PASSWORD);
        Http http = new Http(server.baseUri());
        Http.Response asked = http.postJson(base + "/account/password/reset", Json.text("email", email));
        assertEquals(200, asked.status(), asked::toString);

        MailServer.Mail m = mail.await(email, 1);
        String token = m.token(server.baseUri() + "/realms/authority/account/password/confirm?token=");
        Http.Response done = http.postJson(base + "/account/password/confirm",
                Http.JSON.createObjectNode().put("token", token).put("password", NEW_PASSWORD).toString());
        assertEquals(200, done.status(), done::toString);

        assertEquals(401, new Http(server.baseUri()).postForm("/signin", Map.of("email", email, "password", PASSWORD)).status(),
                "the old password is refused");
        signedIn(email, NEW_PASSWORD);
        assertEquals("Your password was changed", mail.await(email, 2).subject());
    }
}
