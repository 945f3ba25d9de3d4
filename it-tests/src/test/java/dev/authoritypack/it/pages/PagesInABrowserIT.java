package dev.authoritypack.it.pages;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.ContentSecurityPolicyCheck;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.LocalSite;
import dev.authoritypack.it.support.PackIntegrationTest;
import dev.authoritypack.it.support.PageAudit;
import dev.authoritypack.it.support.RealBrowser;
import dev.authoritypack.it.support.Totp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pack's pages in a real browser (Debian's chromium via Playwright): axe-core finds no serious or critical
 * WCAG 2.1 A/AA violation on any of them; their forms work without JavaScript; a form another site's page posts
 * into a signed-in browser changes nothing.
 */
@PackIntegrationTest
class PagesInABrowserIT {

    private static final String REALM = "authority";
    private static final String PASSWORD = "Browser-password-1";
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
    }


    private static String user(String prefix) {
        return Fixtures.user(admin, REALM, prefix, PASSWORD);
    }

    private static String url(String path) {
        return server.baseUri() + path;
    }

    private static void signIn(Page page, String email, String password) {
        page.navigate(url("/realms/authority/signin"));
        page.locator("#email").fill(email);
        page.locator("#password").fill(password);
        page.locator("#signin-submit").click();
        page.waitForLoadState();
    }

    /** Signs in and expects the profile, saying where the browser ended up otherwise. */
    private static void signInToProfile(Page page, String email) {
        signIn(page, email, PASSWORD);
        String html = page.content().replaceAll("\\s+", " ");
        assertTrue(page.url().endsWith("/realms/authority/profile"),
                () -> "after sign-in the browser is at " + page.url() + ": " + html.substring(0, Math.min(1500, html.length())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"en-US", "de-DE"})
    void everyPackPageHasNoSeriousOrCriticalAccessibilityViolation(String browserLocale) {
        String email = user("a11y");
        PageAudit audit = new PageAudit(browserLocale);
        try (BrowserContext context = csp.watch(chromium.newContext(new NewContextOptions().setLocale(browserLocale)))) {
            Page page = context.newPage();
            page.navigate(url("/realms/authority/signin"));
            audit.audit(page, "sign-in");
            signIn(page, email, "wrong-password-1");
            assertTrue(page.locator("#signin-error").isVisible(), "the wrong password is reported");
            assertEquals(browserLocale.substring(0, 2), page.locator("html").getAttribute("lang"));
            audit.audit(page, "sign-in with an error");
            page.navigate(url("/realms/authority/forgot-password"));
            audit.audit(page, "forgot password");
            page.navigate(url("/realms/authority/account/password/confirm?token=not-a-token"));
            audit.audit(page, "new password (bad link)");
            page.navigate(url("/realms/authority/account/email/verify?token=not-a-token"));
            audit.audit(page, "email verification (bad link)");
            signInToProfile(page, email);
            assertTrue(page.locator("#profile-sessions time[datetime]").count() >= 2, "the session's times in <time>");
            String started = page.locator("#profile-sessions time[datetime]").first().getAttribute("datetime");
            assertTrue(!page.locator("#profile-sessions time[datetime]").first().textContent().contains(started), "a time for people, not the raw instant");
            audit.audit(page, "profile");
            page.navigate(url("/realms/authority/mfa/setup"));
            audit.audit(page, "MFA setup");
        }
        assertEquals(List.of(), audit.problems("pack pages"));
    }

    @Test
    void pagesSpeakTheBrowsersLanguageAndTheSwitchIsRemembered() {
        PageAudit audit = new PageAudit();
        try (BrowserContext context = csp.watch(chromium.newContext(new NewContextOptions().setLocale("de-DE")))) {
            Page page = context.newPage();
            page.navigate(url("/realms/authority/signin"));
            assertEquals("de", page.locator("html").getAttribute("lang"), "Accept-Language: de");
            assertEquals("Bei Authority anmelden", page.locator("h1").textContent().trim());
            assertTrue(page.getByLabel("Passwort").isVisible());
            page.getByLabel("E-Mail").fill("nobody-" + System.nanoTime() + "@example.com");
            page.getByLabel("Passwort").fill("wrong-password-1");
            page.locator("#signin-submit").click();
            page.waitForLoadState();
            assertEquals("E-Mail-Adresse oder Passwort ist falsch.", page.locator("#signin-error").textContent().trim());
            audit.audit(page, "sign-in in German with an error");
            page.locator("nav.authority-languages a[lang=en]").click();
            page.waitForLoadState();
            assertEquals("en", page.locator("html").getAttribute("lang"), "the switch");
            page.navigate(url("/realms/authority/forgot-password"));
            assertEquals("en", page.locator("html").getAttribute("lang"), "the choice is remembered (Keycloak's locale cookie)");
            assertEquals("Reset your password", page.locator("h1").textContent().trim());
            page.navigate(url("/realms/authority/forgot-password?kc_locale=de"));
            assertEquals("Passwort zurücksetzen", page.locator("h1").textContent().trim());
        }
        assertEquals(List.of(), audit.problems("German pack pages"));
    }

    /**
     * Keycloak's account console runs under the realm's policy: its inline scripts are allowed there only (routes'
     * AccountConsolePolicy), and it starts its own sign-in (keycloak-js redirects to the authorization endpoint).
     */
    @Test
    void keycloaksAccountConsoleStillRuns() {
        try (BrowserContext context = csp.watch(chromium.newContext())) {
            Page page = context.newPage();
            com.microsoft.playwright.Response console = page.navigate(server.baseUri() + "/realms/authority/account/");
            String policy = console.headerValue("content-security-policy");
            assertTrue(policy != null && policy.contains("frame-ancestors 'self'") && !policy.contains("script-src"),
                    "the realm's policy without its script rules: " + policy);
            page.waitForURL("**/protocol/openid-connect/auth**", new Page.WaitForURLOptions().setTimeout(30_000));
            String profilePolicy = page.navigate(server.baseUri() + "/realms/authority/profile").headerValue("content-security-policy");
            assertTrue(profilePolicy.contains("script-src 'self'"), "every other page keeps the strict policy: " + profilePolicy);
        }
    }

    /** A user with two-factor authentication on, set up over HTTP as MfaIT does; returns the TOTP secret. */
    private static String enableMfa(String email) {
        Http http = new Http(server.baseUri());
        assertEquals(302, http.postForm("/signin", Map.of("email", email, "password", PASSWORD)).status());
        Http.Response setup = http.get("/realms/authority/mfa/setup", "Accept", "application/json");
        assertEquals(200, setup.status(), setup::toString);
        String secret = setup.json().get("secret").asText();
        Http.Response enabled = http.postForm("/realms/authority/mfa/enable",
                Map.of("totp_code", Totp.code(secret, 0), "csrf_token", setup.json().get("csrf_token").asText()));
        assertEquals(302, enabled.status(), enabled::toString);
        return secret;
    }

    private static String text(Page page, String selector) {
        return page.locator(selector).textContent().trim();
    }

    /**
     * An application's {@code ui_locales} (OpenID Connect) on the pack's sign-in page chooses its language over the
     * browser's, and the choice carries through the sign-in: the form's POST (which carries no parameter), the MFA
     * step, the profile; the texts the pack's Java code puts on these pages (a refused password, a refused code, a
     * bad link) are German too.
     */
    @Test
    void uiLocalesChoosesTheLanguageOfTheWholeSignIn() {
        String email = user("uilocales");
        String secret = enableMfa(email);
        PageAudit audit = new PageAudit("ui_locales de");
        try (BrowserContext context = chromium.newContext(new NewContextOptions().setLocale("en-US"))) {
            Page page = context.newPage();
            page.navigate(url("/realms/authority/signin?ui_locales=fr-CA%20de-CH"));
            assertEquals("de", page.locator("html").getAttribute("lang"), "fr-CA is not offered, de-CH is served by de");
            assertEquals("Bei Authority anmelden", text(page, "h1"));

            page.locator("#email").fill("nobody-" + System.nanoTime() + "@example.com");
            page.locator("#password").fill("wrong-password-1");
            page.locator("#signin-submit").click();
            page.waitForLoadState();
            assertEquals("de", page.locator("html").getAttribute("lang"), "remembered: the POST carries no ui_locales");
            assertEquals("E-Mail-Adresse oder Passwort ist falsch.", text(page, "#signin-error"));

            signIn(page, email, PASSWORD);
            assertTrue(page.url().contains("/realms/authority/mfa/verify?tab_id="), page.url());
            assertEquals("de", page.locator("html").getAttribute("lang"));
            assertEquals("Code eingeben", text(page, "h1"));
            page.locator("#totp_code").fill(Totp.wrongCode(secret, 1));
            page.locator("#mfa-verify").click();
            page.waitForLoadState();
            assertEquals("Der Code ist ungültig.", text(page, "#mfa-error"), "the refusal of MfaVerification, in German");
            audit.audit(page, "MFA code refused");
            page.locator("#totp_code").fill(Totp.code(secret, 1)); // the current window's code enabled MFA: the next one
            page.locator("#mfa-verify").click();
            page.waitForURL("**/realms/authority/profile");
            assertEquals("de", page.locator("html").getAttribute("lang"));
            assertEquals("Ihr Profil", text(page, "h1"));

            page.navigate(url("/realms/authority/account/password/confirm?token=not-a-token"));
            assertEquals("Dieser Link zum Zurücksetzen des Passworts ist ungültig, abgelaufen, bereits benutzt oder durch einen "
                    + "neueren ersetzt. Fordern Sie einen neuen Link an.", text(page, "#password-reset-error"));
            page.navigate(url("/realms/authority/account/email/verify?token=not-a-token"));
            page.locator("#email-verify-submit").click();
            page.waitForLoadState();
            assertEquals("Dieser Bestätigungslink ist ungültig, abgelaufen oder bereits benutzt. Fordern Sie einen neuen Link an.",
                    text(page, "#email-verify-error"));
            audit.audit(page, "email verification refused");
        }
        assertEquals(List.of(), audit.problems("pages chosen by ui_locales"));
    }

    @Test
    void signInAndProfileFormsWorkWithoutJavaScript() {
        String email = user("nojs");
        Http otherDevice = new Http(server.baseUri());
        assertEquals(302, otherDevice.postForm("/signin", Map.of("email", email, "password", PASSWORD)).status());
        try (BrowserContext context = csp.watch(chromium.newContext(new NewContextOptions().setJavaScriptEnabled(false)))) {
            Page page = context.newPage();
            signInToProfile(page, email);
            assertTrue(page.locator("#profile-email").textContent().contains(email));
            assertEquals(2, page.locator("#profile-sessions tbody tr").count(), "this browser and the other device");
            page.locator("#profile-signout-others").click();
            page.waitForURL("**/realms/authority/profile");
            assertEquals(1, page.locator("#profile-sessions tbody tr").count());
        }
        assertEquals(401, otherDevice.get("/realms/authority/profile", "Accept", "application/json").status(), "the other device is signed out");
    }

    @Test
    void signingOutASessionFromTheProfileEndsItsTokensAndSigningOutThisOneEndsHere() {
        String email = user("tokens");
        Fixtures.passwordGrantClient(admin, REALM, "pages-phone-app");
        Http phone = new Http(server.baseUri());
        Http.Response tokens = phone.postForm("/realms/authority/token", Map.of("grant_type", "password", "client_id", "pages-phone-app",
                "username", email, "password", PASSWORD, "scope", "openid"));
        assertEquals(200, tokens.status(), tokens::toString);
        String refresh = tokens.json().path("refresh_token").asText();
        try (BrowserContext context = csp.watch(chromium.newContext())) {
            Page page = context.newPage();
            signInToProfile(page, email);
            assertTrue(page.locator("#profile-sessions").textContent().contains("pages-phone-app"), "the phone's session and its app");
            page.locator("#profile-sessions tbody tr:not([aria-current]) button").click();
            page.waitForURL("**/realms/authority/profile");
            assertEquals(1, page.locator("#profile-sessions tbody tr").count());
            Http.Response refreshed = phone.postForm("/realms/authority/token", Map.of("grant_type", "refresh_token",
                    "client_id", "pages-phone-app", "refresh_token", refresh));
            assertEquals(400, refreshed.status(), "the phone's tokens ended with its session: " + refreshed);
            assertEquals("invalid_grant", refreshed.json().path("error").asText());

            page.locator("#profile-sessions tbody tr[aria-current] button").click(); // this browser's own session
            page.waitForURL("**/realms/authority/signin**");
            page.navigate(url("/realms/authority/profile"));
            assertTrue(page.url().contains("/realms/authority/signin"), "signed out: the profile asks to sign in, at " + page.url());
        }
    }

    @Test
    void aFormPostedFromAnotherSiteChangesNothing() {
        String email = user("csrf");
        Http otherDevice = new Http(server.baseUri());
        assertEquals(302, otherDevice.postForm("/signin", Map.of("email", email, "password", PASSWORD)).status());
        try (BrowserContext context = csp.watch(chromium.newContext())) {
            Page page = context.newPage();
            signInToProfile(page, email);
            String token = page.locator("input[name=csrf_token]").first().inputValue();
            // another site's page (served by the browser's own routing, at another origin) posts the form, token included
            page.route("http://attacker.test/**", route -> route.fulfill(new com.microsoft.playwright.Route.FulfillOptions()
                    .setContentType("text/html").setBody("""
                            <html><body><form id="f" method="post" action="%s">
                            <input type="hidden" name="action" value="signout_others">
                            <input type="hidden" name="csrf_token" value="%s"></form>
                            <script>document.getElementById('f').submit()</script></body></html>
                            """.formatted(url("/realms/authority/profile"), token))));
            Response posted = page.waitForResponse(r -> r.url().equals(url("/realms/authority/profile")) && "POST".equals(r.request().method()),
                    () -> page.navigate("http://attacker.test/page"));
            // 403 when the browser sent the session cookies (SameSite=None on http://localhost), else a sign-in redirect
            assertTrue(posted.status() == 403 || posted.status() == 302, "the cross-site post is refused: " + posted.status());
            System.err.println("[browser] cross-site POST /profile answered " + posted.status());
        }
        assertEquals(200, otherDevice.get("/realms/authority/profile", "Accept", "application/json").status(), "the other session lives on");
    }

    /**
     * Login CSRF in a real browser: another site's page submits the sign-in form, and calls {@code fetch()}, with the
     * right credentials of the attacker's account. The browser sends what no page can forge (its Origin, and
     * {@code Sec-Fetch-Site: cross-site} where it sends Fetch Metadata); the pack refuses both, and the browser is
     * signed in as nobody.
     */
    @Test
    void anotherSitesPageCannotSignThisBrowserIn() throws Exception {
        String attacker = user("attacker");
        String action = url("/realms/authority/signin");
        String html = """
                <html><body><form id="f" method="post" action="%s">
                <input name="email" value="%s"><input name="password" value="%s"></form>
                <script>
                  if (location.pathname === '/form') document.getElementById('f').submit();
                  else fetch('%s', {method: 'POST', mode: 'no-cors', credentials: 'include',
                      referrerPolicy: location.pathname === '/fetch-no-referrer' ? 'no-referrer' : 'strict-origin-when-cross-origin',
                      body: new URLSearchParams({email: '%s', password: '%s'})});
                </script></body></html>
                """.formatted(action, attacker, PASSWORD, action, attacker, PASSWORD);
        // the attacker's site is a real server on 127.0.0.1 (another origin and site than http://localhost:<port>);
        // a page the browser's routing made up counts as a public site, whose fetch() to localhost Chromium's Local
        // Network Access blocks before it is sent
        LocalSite site = LocalSite.serve(LocalSite.Content.html(html));
        String attackerOrigin = site.origin();
        try (site; BrowserContext context = csp.watch(chromium.newContext())) {
            Page page = context.newPage();
            page.navigate(url("/realms/authority/signin")); // the victim's browser even holds a sign-in cookie of its own
            // the fetch without a Referer proves the rule's premise in a real browser: a page's POST always names its
            // Origin (or Fetch Metadata); were it sent without both, the pack would take it for a program and sign in
            for (String how : List.of("/form", "/fetch", "/fetch-no-referrer")) {
                Response posted = page.waitForResponse(r -> r.url().equals(action) && "POST".equals(r.request().method()),
                        () -> page.navigate(attackerOrigin + how));
                assertEquals(403, posted.status(), how + ": the cross-site sign-in is refused");
                Map<String, String> sent = posted.request().allHeaders();
                if (how.equals("/form")) { // Playwright reports the network's own headers for navigations only
                    assertEquals(attackerOrigin, sent.get("origin"), how + ": what the browser sent: " + sent);
                    assertEquals("cross-site", sent.get("sec-fetch-site"), how + ": " + sent);
                }
                System.err.println("[browser] cross-site " + how + " sign-in: Origin " + sent.get("origin") + ", Sec-Fetch-Site "
                        + sent.get("sec-fetch-site") + " -> " + posted.status());
            }
            page.navigate(url("/realms/authority/profile"));
            assertTrue(page.url().contains("/realms/authority/signin"), "the browser is signed in as nobody: " + page.url());
        }
        String id = Fixtures.userId(admin, REALM, attacker);
        assertEquals(0, admin.getJson("/realms/" + REALM + "/users/" + id + "/sessions").size(), "no session for the attacker's account");
    }
}
