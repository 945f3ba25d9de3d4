package dev.authoritypack.it.pages;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.ContentSecurityPolicyCheck;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import dev.authoritypack.it.support.PageAudit;
import dev.authoritypack.it.support.RealBrowser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keycloak's own pages of the realm — its sign-in form, consent, device activation and its result, error and
 * logout confirmation — in a real browser: they wear the pack's frame (language switch of links, the card), speak
 * the language {@code ui_locales} asks for, have no serious or critical axe-core violation, tie errors to fields,
 * and their forms work without JavaScript. Consent approve and deny and the whole device flow end to end.
 */
@PackIntegrationTest
class KeycloakPagesInABrowserIT {

    private static final String REALM = "authority";
    private static final String PASSWORD = "Keycloak-pages-password-1";
    private static final String APP = "pages-consent-it";
    private static final String DEVICE_APP = "pages-device-it";
    private static final String REDIRECT = "http://app.localtest/cb";
    @RegisterExtension
    static final RealBrowser chromium = new RealBrowser();
    @RegisterExtension
    static final ContentSecurityPolicyCheck csp = new ContentSecurityPolicyCheck();
    private static AdminApi admin;
    private static KeycloakServer server;

    @BeforeAll
    static void launch(AdminApi adminApi, KeycloakServer keycloak) {
        admin = adminApi;
        server = keycloak;
        admin.createClient(REALM, """
                {"clientId": "%s", "name": "Pages Consent App", "publicClient": true, "consentRequired": true,
                 "standardFlowEnabled": true, "redirectUris": ["%s"],
                 "attributes": {"tosUri": "https://app.localtest/terms", "policyUri": "https://app.localtest/privacy"}}
                """.formatted(APP, REDIRECT));
        admin.createClient(REALM, """
                {"clientId": "%s", "name": "Pages TV App", "publicClient": true, "standardFlowEnabled": false,
                 "attributes": {"oauth2.device.authorization.grant.enabled": "true"}}
                """.formatted(DEVICE_APP));
    }


    private static String user(String prefix) {
        return Fixtures.user(admin, REALM, prefix, PASSWORD);
    }

    private static String url(String path) {
        return server.baseUri() + path;
    }

    /** An authorization request of the consent app (host-root /authorize, PKCE), with extra parameters. */
    private static String authorize(String state, String extra) {
        String challenge = CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier()).getValue();
        return url("/authorize?response_type=code&client_id=" + APP + "&redirect_uri=" + REDIRECT + "&scope=openid%20email&state=" + state
                + "&code_challenge_method=S256&code_challenge=" + challenge + extra);
    }

    /** The app's redirect URI answered inside the browser, so the test sees where Keycloak sent it. */
    private static void serveTheApp(BrowserContext context) {
        context.route("http://app.localtest/**", route -> route.fulfill(new Route.FulfillOptions().setContentType("text/html")
                .setBody("<!DOCTYPE html><html lang=\"en\"><title>App</title><main><h1>App</h1></main></html>")));
    }

    private static Map<String, String> query(String url) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = URI.create(url).getRawQuery();
        for (String pair : raw == null ? new String[0] : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return query;
    }

    private static void assertPackFrame(Page page, String lang) {
        assertEquals(lang, page.locator("html").getAttribute("lang"), page.url());
        assertEquals(1, page.locator("main.authority-card").count(), "the pack's card: " + page.url());
        assertEquals(1, page.locator("nav.authority-languages [aria-current=true][lang=" + lang + "]").count(), "the language switch");
    }

    private static void keycloakSignIn(Page page, String email, String password) {
        page.locator("#username").fill(email);
        page.locator("#password").fill(password);
        page.locator("#kc-login").click();
        page.waitForLoadState();
    }

    @Test
    void signInConsentApproveAndDenyInEitherLanguage() {
        PageAudit audit = new PageAudit();
        String email = user("kc-pages");
        try (BrowserContext context = csp.watch(chromium.newContext())) {
            serveTheApp(context);
            Page page = context.newPage();
            page.navigate(authorize("s-approve", "&ui_locales=de"));
            assertPackFrame(page, "de");
            audit.audit(page, "Keycloak sign-in (de)");
            page.locator("nav.authority-languages a[lang=en]").click();
            page.waitForLoadState();
            assertPackFrame(page, "en");
            audit.audit(page, "Keycloak sign-in");
            // Keycloak's own script, loaded from the theme under the realm's policy, still shows the password
            page.locator("#password").fill("shown-1");
            page.locator("#password-show-password").click();
            assertEquals("text", page.locator("#password").getAttribute("type"), "the password visibility toggle works");
            page.locator("#password-show-password").click();
            assertEquals("password", page.locator("#password").getAttribute("type"));

            keycloakSignIn(page, email, "wrong-password-1");
            // Keycloak's inline history script, caught unrun by template.ftl, is made by the theme's file
            assertFalse(page.url().contains("session_code="), "the address after the post is the flow's: " + page.url());
            String describedBy = page.locator("#username").getAttribute("aria-describedby");
            assertEquals("true", page.locator("#username").getAttribute("aria-invalid"), "the error is tied to the field");
            assertTrue(page.locator("#" + describedBy).textContent().contains("Invalid"), "the field's description is the error");
            audit.audit(page, "Keycloak sign-in with an error");

            keycloakSignIn(page, email, PASSWORD);
            assertPackFrame(page, "en");
            assertEquals("Grant Access to Pages Consent App", page.locator("h1").textContent().trim().replaceAll("\\s+", " "), "the application's name");
            assertTrue(page.locator("#kc-oauth li").count() >= 1, "the requested scopes in words");
            assertEquals("https://app.localtest/terms", page.locator("a[href*=terms]").getAttribute("href"));
            audit.audit(page, "consent");
            page.locator("#kc-login").click();
            page.waitForURL("http://app.localtest/**");
            Map<String, String> approved = query(page.url());
            assertEquals("s-approve", approved.get("state"));
            assertFalse(approved.getOrDefault("code", "").isEmpty(), "a code for the app: " + page.url());
        }
        // the rest in German (the browser's Accept-Language): consent, error and logout pages in both languages
        try (BrowserContext context = csp.watch(chromium.newContext(new NewContextOptions().setLocale("de-DE")))) {
            serveTheApp(context);
            Page page = context.newPage();
            page.navigate(authorize("s-deny", ""));
            keycloakSignIn(page, user("kc-pages-deny"), PASSWORD);
            assertPackFrame(page, "de");
            assertTrue(page.locator("h1").textContent().contains("Pages Consent App"), "the application's name");
            audit.audit(page, "consent (de)");
            page.locator("#kc-cancel").click();
            page.waitForURL("http://app.localtest/**");
            Map<String, String> denied = query(page.url());
            assertEquals("access_denied", denied.get("error"));
            assertEquals("s-deny", denied.get("state"));
            assertFalse(denied.containsKey("code"));

            errorAndLogoutPages(page, "de", " (de)", audit);
        }
        try (BrowserContext context = csp.watch(chromium.newContext())) {
            errorAndLogoutPages(context.newPage(), "en", "", audit);
        }
        assertEquals(List.of(), audit.problems("Keycloak pages"));
    }

    /**
     * {@code response_mode=form_post}: Keycloak answers with a page that posts the code to the application from an
     * {@code onload} handler; the realm's policy allows exactly that handler (its hash, docs/pages.md), so the browser
     * posts, and no violation is reported.
     */
    @Test
    void aFormPostAnswerReachesTheApplication() {
        String email = user("kc-form-post");
        try (BrowserContext context = csp.watch(chromium.newContext())) {
            java.util.concurrent.atomic.AtomicReference<String> posted = new java.util.concurrent.atomic.AtomicReference<>();
            context.route("http://app.localtest/**", route -> {
                if ("POST".equals(route.request().method())) {
                    posted.set(route.request().postData());
                }
                route.fulfill(new Route.FulfillOptions().setContentType("text/html")
                        .setBody("<!DOCTYPE html><html lang=\"en\"><title>App</title><main><h1>App</h1></main></html>"));
            });
            Page page = context.newPage();
            page.navigate(authorize("s-form-post", "&response_mode=form_post"));
            keycloakSignIn(page, email, PASSWORD);
            page.locator("#kc-login").click(); // consent
            page.waitForURL("http://app.localtest/**");
            page.waitForLoadState();
            String form = String.valueOf(posted.get());
            assertTrue(form.contains("code=") && form.contains("state=s-form-post"), "the code was posted to the app: " + form);
        }
    }

    /**
     * Keycloak's one-time-code step (the pack's login-otp.ftl, no inline code) of a user with two-factor
     * authentication: in the pack's frame, audited, and a backup code gets through to the consent.
     */
    @Test
    void theSecondFactorStepPassesTheAudit() {
        PageAudit audit = new PageAudit();
        String email = user("kc-otp");
        Http http = new Http(server.baseUri());
        assertEquals(302, http.postForm("/signin", Map.of("email", email, "password", PASSWORD)).status());
        Http.Response setup = http.get("/realms/authority/mfa/setup", "Accept", "application/json");
        assertEquals(200, setup.status(), setup::toString);
        Http.Response enabled = http.postForm("/realms/authority/mfa/enable", Map.of("totp_code",
                dev.authoritypack.it.support.Totp.code(setup.json().path("secret").asText(), 0), "csrf_token", setup.json().path("csrf_token").asText()));
        assertEquals(302, enabled.status(), enabled::toString);
        String backupCode = setup.json().path("backup_codes").get(0).asText();
        try (BrowserContext context = csp.watch(chromium.newContext())) {
            serveTheApp(context);
            Page page = context.newPage();
            page.navigate(authorize("s-otp", ""));
            keycloakSignIn(page, email, PASSWORD);
            assertEquals(1, page.locator("#kc-otp-login-form").count(), "the one-time-code step: " + page.url());
            assertPackFrame(page, "en");
            audit.audit(page, "Keycloak one-time code");
            page.locator("#otp").fill(backupCode);
            page.locator("#kc-login").click();
            page.waitForLoadState();
            assertTrue(page.locator("h1").textContent().contains("Pages Consent App"), "past the second factor: " + page.url());
        }
        assertEquals(List.of(), audit.problems("one-time-code page"));
    }

    /**
     * The pages keycloak-js loads in hidden frames (the third-party cookie check, the session status frame) run their
     * inline scripts, which the realm's policy allows by hash (docs/pages.md).
     */
    @Test
    void keycloakJsFramesRunUnderThePolicy() {
        try (BrowserContext context = csp.watch(chromium.newContext())) {
            Page page = context.newPage();
            // step 1's script sets a test cookie and moves on to step 2: it ran
            page.navigate(url("/realms/authority/protocol/openid-connect/3p-cookies/step1.html"));
            page.waitForURL("**/3p-cookies/step2.html");
            page.waitForLoadState();
            page.navigate(url("/realms/authority/protocol/openid-connect/login-status-iframe.html"));
            page.waitForLoadState();
        }
    }

    /** Keycloak's error page (an unknown client) and its logout confirmation, in the page's language. */
    private static void errorAndLogoutPages(Page page, String lang, String suffix, PageAudit audit) {
        page.navigate(url("/authorize?response_type=code&client_id=no-such-app&redirect_uri=" + REDIRECT));
        assertPackFrame(page, lang);
        audit.audit(page, "Keycloak error" + suffix);
        page.navigate(url("/realms/authority/protocol/openid-connect/logout"));
        assertPackFrame(page, lang);
        audit.audit(page, "logout confirmation" + suffix);
    }

    /**
     * The consent form ({@code docs/pages.md}) posted by another site's page into a browser that waits at the consent screen: the
     * browser sends it as a real cross-site form, the pack refuses it, and nothing is granted.
     */
    @Test
    void aConsentPostedFromAnotherSiteGrantsNothing() {
        String email = user("kc-consent-csrf");
        String challenge = CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier()).getValue();
        try (BrowserContext context = csp.watch(chromium.newContext())) {
            serveTheApp(context);
            Page page = context.newPage();
            page.navigate(url("/authorize?response_type=code&client_id=" + APP + "&redirect_uri=" + REDIRECT
                    + "&scope=openid%20email&state=s-csrf&code_challenge_method=S256&code_challenge=" + challenge));
            keycloakSignIn(page, email, PASSWORD);
            assertEquals(1, page.locator("#kc-login").count(), "waiting at the consent screen");
            page.route("http://attacker.test/**", route -> route.fulfill(new Route.FulfillOptions().setContentType("text/html").setBody("""
                    <html><body><form id="f" method="post" action="%s">
                    <input type="hidden" name="consent_action" value="approve">
                    <input type="hidden" name="response_type" value="code"><input type="hidden" name="client_id" value="%s">
                    <input type="hidden" name="redirect_uri" value="%s"><input type="hidden" name="scope" value="openid email">
                    <input type="hidden" name="state" value="s-csrf"><input type="hidden" name="code_challenge_method" value="S256">
                    <input type="hidden" name="code_challenge" value="%s"></form>
                    <script>document.getElementById('f').submit()</script></body></html>
                    """.formatted(url("/realms/authority/authorize"), APP, REDIRECT, challenge))));
            com.microsoft.playwright.Response posted = page.waitForResponse(
                    r -> r.url().startsWith(url("/realms/authority/authorize")) && "POST".equals(r.request().method()),
                    () -> page.navigate("http://attacker.test/page"));
            assertTrue(posted.status() == 403 || posted.status() == 400, "the cross-site consent is refused: " + posted.status());
            assertFalse(page.url().startsWith("http://app.localtest/"), "no code reached the app: " + page.url());
        }
        String id = admin.getJson("/realms/" + REALM + "/users?exact=true&email=" + email).get(0).path("id").asText();
        assertEquals(0, admin.getJson("/realms/" + REALM + "/users/" + id + "/consents").size(), "nothing granted");
    }

    /**
     * Keycloak's required-action pages (each met by a user who has that one action pending, signing in through
     * /authorize) are in the pack's frame and pass the audit too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"en-US", "de-DE"})
    void requiredActionPagesPassTheAudit(String browserLocale) {
        PageAudit audit = new PageAudit(browserLocale);
        String lang = browserLocale.substring(0, 2);
        for (String action : List.of("UPDATE_PASSWORD", "CONFIGURE_TOTP", "UPDATE_PROFILE", "VERIFY_EMAIL")) {
            String email = user("kc-action");
            String id = admin.getJson("/realms/" + REALM + "/users?exact=true&email=" + email).get(0).path("id").asText();
            Http.Response set = admin.send("PUT", "/realms/" + REALM + "/users/" + id, Json.text("requiredActions", List.of(action)));
            assertEquals(204, set.status(), set::toString);
            try (BrowserContext context = csp.watch(chromium.newContext(new NewContextOptions().setLocale(browserLocale)))) {
                serveTheApp(context);
                Page page = context.newPage();
                page.navigate(authorize("s-" + action, ""));
                keycloakSignIn(page, email, PASSWORD);
                assertPackFrame(page, lang);
                assertTrue(page.locator("body").getAttribute("data-page-id").startsWith("login-"), page.url());
                audit.audit(page, "required action " + action.toLowerCase(Locale.ROOT).replace('_', ' '));
            }
        }
        assertEquals(List.of(), audit.problems("required-action pages"));
    }

    /** A device asks for a code; a person activates it in the browser; the device then gets its tokens. */
    private static void activateADevice(boolean javaScript, PageAudit audit, String browserLocale) {
        String lang = browserLocale.substring(0, 2);
        Http http = new Http(server.baseUri());
        Http.Response device = http.postForm("/device/code", Map.of("client_id", DEVICE_APP, "scope", "openid"));
        assertEquals(200, device.status(), device::toString);
        String userCode = device.json().path("user_code").asText();
        String deviceCode = device.json().path("device_code").asText();
        assertEquals(url("/activate"), device.json().path("verification_uri").asText(), "the documented address (docs/pages.md)");

        try (BrowserContext context = csp.watch(chromium.newContext(new NewContextOptions().setJavaScriptEnabled(javaScript).setLocale(browserLocale)))) {
            Page page = context.newPage();
            page.navigate(device.json().path("verification_uri").asText());
            assertPackFrame(page, lang);
            assertEquals("true", page.locator("#device_user_code").getAttribute("aria-required"));
            audit(audit, page, "device activation");

            page.locator("#device_user_code").fill("WRONG-CODE");
            page.locator("#kc-login").click();
            page.waitForLoadState();
            assertFalse(page.locator("[role=alert]").textContent().isBlank(), "a wrong code says so");
            audit(audit, page, "device activation with a wrong code");

            // as people type it: lower case, no dash
            page.locator("#device_user_code").fill(userCode.replace("-", "").toLowerCase(Locale.ROOT));
            page.locator("#kc-login").click();
            page.waitForLoadState();
            keycloakSignIn(page, user("kc-device"), PASSWORD);
            assertTrue(page.locator("h1").textContent().contains("Pages TV App"), "the device's application");
            audit(audit, page, "device consent");
            page.locator("#kc-login").click();
            page.waitForLoadState();
            assertPackFrame(page, lang);
            audit(audit, page, "device activated");
        }
        Http.Response tokens = http.postForm("/device/token", Map.of("client_id", DEVICE_APP, "device_code", deviceCode,
                "grant_type", "urn:ietf:params:oauth:grant-type:device_code"));
        assertEquals(200, tokens.status(), tokens::toString);
    }

    /** axe-core runs inside the page: only where the page may run scripts. */
    private static void audit(PageAudit audit, Page page, String name) {
        if (audit != null) {
            audit.audit(page, name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"en-US", "de-DE"})
    void deviceActivationEndToEnd(String browserLocale) {
        PageAudit audit = new PageAudit(browserLocale);
        activateADevice(true, audit, browserLocale);
        assertEquals(List.of(), audit.problems("device pages"));
    }

    @Test
    void deviceActivationWorksWithoutJavaScript() {
        activateADevice(false, null, "en-US");
    }
}
