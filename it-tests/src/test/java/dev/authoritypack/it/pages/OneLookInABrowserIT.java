package dev.authoritypack.it.pages;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.Clip;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.ContentSecurityPolicyCheck;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import dev.authoritypack.it.support.PageAudit;
import dev.authoritypack.it.support.RealBrowser;
import dev.authoritypack.it.support.Totp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One look for every page a user can reach (docs/pages.md, "One look"): the pack's pages (pack-layout.ftl) and
 * Keycloak's (template.ftl), each opened in English and German, on a desktop (1280 px) and a phone (375 px). On every
 * one: the primary button, the text input, the error message and the link have the same computed styles as on the
 * first page that has them (font, size, colours, corners, height, focus ring, width relative to the form), the phone
 * never scrolls sideways, a German page shows no sentence of the English bundles (the pack's and Keycloak's values
 * that differ from the German ones), the browser reports no Content-Security-Policy violation, and axe-core finds no
 * serious or critical violation (at the phone width; at 1280 px the other browser classes run it). The pack's and Keycloak's TOTP setup pages draw the QR code and the key alike.
 * Each page is loaded once per language and seen at both widths by resizing the viewport. Writes a screenshot of each
 * into {@code themes/screenshots/} ({@code <page>-<lang>-<desktop|phone>.png}).
 */
@PackIntegrationTest
class OneLookInABrowserIT {

    private static final String REALM = "authority";
    private static final String PASSWORD = "One-look-password-1";
    private static final String APP = "look-consent-it";
    private static final String DEVICE_APP = "look-device-it";
    private static final String REDIRECT = "http://app.localtest/cb";
    private static final Path SCREENSHOTS = KeycloakServer.projectRoot().resolve("themes/screenshots");
    /** The tallest part of a page a screenshot keeps (CSS pixels): the form, not the whole profile. */
    private static final int SHOT_HEIGHT = 1100;
    private static final List<Width> WIDTHS = List.of(new Width("desktop", 1280, 800), new Width("phone", 375, 812));

    @RegisterExtension
    static final RealBrowser chromium = new RealBrowser();
    @RegisterExtension
    static final ContentSecurityPolicyCheck csp = new ContentSecurityPolicyCheck();
    private static AdminApi admin;
    private static KeycloakServer server;

    record Width(String name, int width, int height) {
    }

    /**
     * The controls a page is compared by, each a CSS selector or null when the page has none: its primary button,
     * a text input, an error message, a link in its text.
     */
    record Controls(String button, String input, String error, String link) {
        Map<String, String> selectors() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("button", button);
            m.put("input", input);
            m.put("error", error);
            m.put("link", link);
            m.values().removeIf(java.util.Objects::isNull);
            return m;
        }
    }

    @BeforeAll
    static void launch(AdminApi adminApi, KeycloakServer keycloak) {
        // the pages look the same whatever the database: once per suite run is enough
        assumeTrue(!"postgres".equals(System.getProperty("it.db")), "the look is checked on the dev-file run");
        admin = adminApi;
        server = keycloak;
        admin.createClient(REALM, """
                {"clientId": "%s", "name": "Look Consent App", "publicClient": true, "consentRequired": true,
                 "standardFlowEnabled": true, "redirectUris": ["%s"],
                 "attributes": {"tosUri": "https://app.localtest/terms", "policyUri": "https://app.localtest/privacy"}}
                """.formatted(APP, REDIRECT));
        admin.createClient(REALM, """
                {"clientId": "%s", "name": "Look TV App", "publicClient": true, "standardFlowEnabled": false,
                 "attributes": {"oauth2.device.authorization.grant.enabled": "true"}}
                """.formatted(DEVICE_APP));
    }

    @Test
    void everyPageHasOneLookInBothLanguagesOnADesktopAndAPhone() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        long start = System.nanoTime();
        Tour tour = new Tour();
        for (String lang : List.of("en", "de")) {
            tour.visit(lang);
        }
        System.err.println("[look] " + tour.pages + " pages compared in " + (System.nanoTime() - start) / 1_000_000 + " ms (axe-core "
                + tour.axeNanos / 1_000_000 + " ms, screenshots " + tour.shotNanos / 1_000_000 + " ms), screenshots in " + SCREENSHOTS);
        List<String> problems = new ArrayList<>(tour.problems);
        problems.addAll(tour.audit.problems("pages of the look tour"));
        assertEquals(List.of(), problems, () -> String.join("\n", problems));
        assertTrue(tour.pages >= 60, "every page in both languages and widths: " + tour.pages);
        assertTrue(tour.englishFound >= 16, "the scan for English finds the English pages' sentences: " + tour.englishFound);
    }

    /** The walk through every page, comparing each with the first page that had the same control. */
    private static final class Tour {
        final List<String> problems = new ArrayList<>();
        final PageAudit audit = new PageAudit();
        final Map<String, Map<String, Object>> reference = new LinkedHashMap<>();
        final Map<String, String> referencePage = new LinkedHashMap<>();
        final Map<String, Object> totpReference = new LinkedHashMap<>();
        final Set<String> englishOnly = englishSentences();
        int pages;
        int englishFound;
        long axeNanos;
        long shotNanos;

        /** Every page in one language; each is seen at both widths (the viewport resized, the page not reloaded). */
        void visit(String lang) {
            NewContextOptions options = new NewContextOptions().setLocale("de".equals(lang) ? "de-DE" : "en-US")
                    .setViewportSize(WIDTHS.get(0).width, WIDTHS.get(0).height);
            // the pack's pages, then consent and logout confirmation in the same browser (signed in by /signin)
            String ada = user("ada." + lang);
            try (BrowserContext context = csp.watch(chromium.newContext(options))) {
                serveTheApp(context);
                Page page = context.newPage();
                page.navigate(url("/realms/authority/signin"));
                look(page, "sign-in", lang, new Controls("#signin-submit", "#email", null, "#forgot-password"));
                packSignIn(page, ada, "wrong-password-1");
                look(page, "sign-in-error", lang, new Controls("#signin-submit", "#email", "#signin-error", "#forgot-password"));
                page.navigate(url("/realms/authority/forgot-password"));
                look(page, "forgot-password", lang, new Controls("#forgot-password-submit", "#email", null, "#back-to-signin"));
                page.navigate(url("/realms/authority/account/password/confirm?token=not-a-token"));
                look(page, "new-password-bad-link", lang, new Controls(null, null, "#password-reset-error", "#new-link"));
                packSignIn(page, ada, PASSWORD);
                assertTrue(page.url().endsWith("/realms/authority/profile"), page.url());
                look(page, "profile", lang, new Controls(null, null, null, "#profile-mfa-setup"));
                page.navigate(url("/realms/authority/mfa/setup"));
                look(page, "mfa-setup", lang, new Controls("#mfa-enable", "#totp_code", null, "#mfa-otpauth"));
                compareTotp(page, "mfa-setup " + lang, "#mfa-qr", "#mfa-secret");
                page.navigate(authorize());
                keycloakSignInIfAsked(page, ada);
                look(page, "consent", lang, new Controls("#kc-login", null, null, "a[href*=terms]"));
                page.navigate(url("/realms/authority/protocol/openid-connect/logout"));
                look(page, "logout-confirmation", lang, new Controls("#kc-logout", null, null, null));
            }
            // Keycloak's pages in a fresh browser: device activation, its sign-in form, a required action, an error
            String totpUser = user("grace." + lang);
            requiredAction(totpUser, "CONFIGURE_TOTP");
            try (BrowserContext context = csp.watch(chromium.newContext(options))) {
                serveTheApp(context);
                Page page = context.newPage();
                Http.Response device = new Http(server.baseUri()).postForm("/device/code", Map.of("client_id", DEVICE_APP, "scope", "openid"));
                assertEquals(200, device.status(), device::toString);
                page.navigate(device.json().path("verification_uri").asText());
                look(page, "device-activation", lang, new Controls("#kc-login", "#device_user_code", null, null));
                page.locator("#device_user_code").fill("WRONG-CODE");
                page.locator("#kc-login").click();
                page.waitForLoadState();
                look(page, "device-activation-error", lang, new Controls("#kc-login", "#device_user_code", "[role=alert]", null));
                page.navigate(authorize());
                look(page, "keycloak-sign-in", lang, new Controls("#kc-login", "#username", null, "a[href*=reset-credentials]"));
                keycloakSignIn(page, totpUser, "wrong-password-1");
                look(page, "keycloak-sign-in-error", lang, new Controls("#kc-login", "#username", "#input-error-username .authority-field-error", null));
                keycloakSignIn(page, totpUser, PASSWORD);
                look(page, "required-action-configure-totp", lang, new Controls("#saveTOTPBtn", "#totp", null, "#mode-manual"));
                compareTotp(page, "configure-totp " + lang, "#kc-totp-secret-qr-code", "#kc-totp-secret-key");
                page.navigate(url("/authorize?response_type=code&client_id=no-such-app&redirect_uri=" + REDIRECT));
                look(page, "keycloak-error", lang, new Controls(null, null, "#kc-error-message > .instruction", null));
            }
            // the pack's second step, refused, and Keycloak's new-password required action
            String mfaUser = user("hedy." + lang);
            String secret = enableMfa(mfaUser);
            String passwordUser = user("lin." + lang);
            requiredAction(passwordUser, "UPDATE_PASSWORD");
            try (BrowserContext context = csp.watch(chromium.newContext(options))) {
                serveTheApp(context);
                Page page = context.newPage();
                packSignIn(page, mfaUser, PASSWORD);
                page.locator("#totp_code").fill(Totp.wrongCode(secret, 0));
                page.locator("#mfa-verify").click();
                page.waitForLoadState();
                look(page, "mfa-verify-error", lang, new Controls("#mfa-verify", "#totp_code", "#mfa-error", null));
            }
            try (BrowserContext context = csp.watch(chromium.newContext(options))) {
                serveTheApp(context);
                Page page = context.newPage();
                page.navigate(authorize());
                keycloakSignIn(page, passwordUser, PASSWORD);
                look(page, "required-action-update-password", lang, new Controls("#kc-submit", null, null, null));
            }
        }

        /** Everything this test asks of one page, at each width. */
        void look(Page page, String name, String lang, Controls controls) {
            page.waitForLoadState();
            for (Width width : WIDTHS) {
                page.setViewportSize(width.width, width.height);
                look(page, name, lang, width, controls);
            }
        }

        void look(Page page, String name, String lang, Width width, Controls controls) {
            String where = name + " (" + lang + ", " + width.name + ")";
            pages++;
            long shotStart = System.nanoTime();
            if (!lang.equals(page.locator("html").getAttribute("lang"))) {
                problems.add(where + ": html lang is " + page.locator("html").getAttribute("lang") + " at " + page.url());
            }
            screenshot(page, name + "-" + lang + "-" + width.name);
            shotNanos += System.nanoTime() - shotStart;
            compareControls(page, where, controls);
            if (width.width < 500) {
                Number overflow = (Number) page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth");
                if (overflow.intValue() > 0) {
                    problems.add(where + ": scrolls sideways by " + overflow + " px");
                }
            }
            if (width == WIDTHS.get(0)) {
                String text = (String) page.evaluate(VISIBLE_TEXT);
                for (String sentence : englishOnly) {
                    if (!text.contains(sentence)) {
                        continue;
                    }
                    if ("de".equals(lang)) {
                        problems.add(where + ": English on a German page: \"" + sentence + "\"");
                    } else {
                        englishFound++; // the scan finds what it looks for (on the English pages)
                    }
                }
            }
            // axe-core at the phone width: the other browser classes (PagesInABrowserIT, KeycloakPagesInABrowserIT)
            // run it on these pages at 1280 px, and one run a page keeps this test short
            long axeStart = System.nanoTime();
            if (width.width < 500) {
                audit.axe(page, where);
            }
            axeNanos += System.nanoTime() - axeStart;
        }

        void compareControls(Page page, String where, Controls controls) {
            @SuppressWarnings("unchecked")
            Map<String, Object> found = (Map<String, Object>) page.evaluate(STYLES, controls.selectors());
            for (Map.Entry<String, String> control : controls.selectors().entrySet()) {
                String kind = control.getKey();
                @SuppressWarnings("unchecked")
                Map<String, Object> styles = (Map<String, Object>) found.get(kind);
                if (styles == null) {
                    problems.add(where + ": no " + kind + " (" + control.getValue() + ")");
                    continue;
                }
                Map<String, Object> expected = reference.get(kind);
                if (expected == null) {
                    reference.put(kind, styles);
                    referencePage.put(kind, where);
                    continue;
                }
                for (Map.Entry<String, Object> e : expected.entrySet()) {
                    Object actual = styles.get(e.getKey());
                    if (!String.valueOf(e.getValue()).equals(String.valueOf(actual))) {
                        problems.add(where + ": the " + kind + "'s " + e.getKey() + " is " + actual + ", on "
                                + referencePage.get(kind) + " " + e.getValue());
                    }
                }
            }
        }

        /** The QR code and the key look the same on the pack's /mfa/setup and Keycloak's CONFIGURE_TOTP. */
        void compareTotp(Page page, String where, String qr, String secret) {
            @SuppressWarnings("unchecked")
            Map<String, Object> styles = (Map<String, Object>) page.evaluate(TOTP_STYLES, List.of(qr, secret));
            if (totpReference.isEmpty()) {
                totpReference.putAll(styles);
                totpReference.put("where", where);
                return;
            }
            for (Map.Entry<String, Object> e : styles.entrySet()) {
                if (!String.valueOf(e.getValue()).equals(String.valueOf(totpReference.get(e.getKey())))) {
                    problems.add(where + ": the authenticator setup's " + e.getKey() + " is " + e.getValue() + ", on "
                            + totpReference.get("where") + " " + totpReference.get(e.getKey()));
                }
            }
        }
    }

    /**
     * The computed styles of the controls a page is compared by. Widths are relative to the card's content box
     * (the form's width); a button's row spans the form and its buttons share the row equally.
     */
    private static final String STYLES = """
            selectors => {
              const main = document.querySelector('main');
              const ms = getComputedStyle(main);
              const content = main.clientWidth - parseFloat(ms.paddingLeft) - parseFloat(ms.paddingRight);
              const r2 = x => Math.round(x * 100) / 100;
              const pick = (e, props) => { const s = getComputedStyle(e); const o = {}; for (const p of props) o[p] = s[p]; return o; };
              const ring = e => { e.focus({preventScroll: true}); const s = getComputedStyle(e);
                                  const f = s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor + ' ' + s.outlineOffset; e.blur(); return f; };
              const out = {};
              for (const [kind, selector] of Object.entries(selectors)) {
                const e = document.querySelector(selector);
                if (!e) continue;
                const box = e.getBoundingClientRect();
                let o;
                if (kind === 'button') {
                  o = pick(e, ['fontFamily', 'fontSize', 'fontWeight', 'color', 'backgroundColor', 'borderTopColor', 'borderTopWidth', 'borderTopLeftRadius', 'paddingTop']);
                  // a label too long for one line (German, a phone) makes a taller button: compared is the height of one line
                  const s = getComputedStyle(e), lh = parseFloat(s.lineHeight);
                  const inner = box.height - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom) - parseFloat(s.borderTopWidth) - parseFloat(s.borderBottomWidth);
                  const lines = Math.max(1, Math.round(inner / lh));
                  o.height = Math.round(lines === 1 ? box.height : Math.max(parseFloat(s.minHeight) || 0, box.height - (lines - 1) * lh));
                  const row = e.parentElement, rowBox = row.getBoundingClientRect();
                  const n = [...row.children].filter(c => c.tagName === 'BUTTON' || c.tagName === 'A').length;
                  const gap = parseFloat(getComputedStyle(row).columnGap) || 0;
                  o.rowWidthOfForm = r2(rowBox.width / content);
                  o.shareOfRow = r2((box.width * n + gap * (n - 1)) / rowBox.width);
                  o.focusRing = ring(e);
                } else if (kind === 'input') {
                  o = pick(e, ['fontFamily', 'fontSize', 'color', 'backgroundColor', 'borderTopColor', 'borderTopWidth', 'borderTopLeftRadius', 'paddingLeft']);
                  o.height = Math.round(box.height);
                  o.widthOfForm = r2(box.width / content);
                  o.focusRing = ring(e);
                } else if (kind === 'error') {
                  o = pick(e, ['fontFamily', 'fontSize', 'fontWeight', 'color', 'backgroundColor', 'borderTopLeftRadius', 'paddingTop', 'paddingLeft']);
                  o.widthOfForm = r2(box.width / content);
                } else {
                  o = pick(e, ['fontFamily', 'fontSize', 'fontWeight', 'color', 'textDecorationLine']);
                  o.focusRing = ring(e);
                }
                out[kind] = o;
              }
              return out;
            }""";

    private static final String TOTP_STYLES = """
            ([qr, secret]) => {
              const q = document.querySelector(qr), k = document.querySelector(secret);
              if (!q || !k) return {missing: (q ? '' : qr) + ' ' + (k ? '' : secret)};
              const qs = getComputedStyle(q), ks = getComputedStyle(k);
              return {qrWidth: Math.round(q.getBoundingClientRect().width), qrHeight: Math.round(q.getBoundingClientRect().height),
                      qrBorder: qs.borderTopWidth + ' ' + qs.borderTopColor, qrStep: q.closest('ol') && q.closest('ol').className,
                      keyFont: ks.fontFamily + ' ' + ks.fontSize, keyBackground: ks.backgroundColor, keyPadding: ks.padding,
                      keyDisplay: ks.display, keyStep: k.closest('ol') && k.closest('ol').className};
            }""";

    /** What a person reads on the page: its text, and the names of images and controls. */
    private static final String VISIBLE_TEXT = """
            () => [document.body.innerText, document.title,
                   ...[...document.querySelectorAll('[aria-label],[alt],[title],[placeholder]')].map(e =>
                        [e.getAttribute('aria-label'), e.getAttribute('alt'), e.getAttribute('title'), e.getAttribute('placeholder')].join(' '))]
                  .join('\\n').replace(/[ \\t\\u00a0]+/g, ' ')""";

    /**
     * Sentences (three words or more) of the English bundles the pages are rendered from — Keycloak's base and
     * keycloak.v2 login messages, then the pack's — whose German differs or is missing; placeholders split a value
     * into its fixed parts.
     */
    static Set<String> englishSentences() {
        Properties en = bundle("en");
        Properties de = bundle("de");
        Set<String> sentences = new LinkedHashSet<>();
        for (String key : en.stringPropertyNames()) {
            String english = en.getProperty(key);
            if (english.equals(de.getProperty(key))) {
                continue;
            }
            for (String part : english.replaceAll("<[^>]*>", " ").replace("''", "'").split("\\{\\d+}")) {
                String sentence = part.replaceAll("\\s+", " ").strip();
                if (sentence.split(" ").length >= 3 && sentence.length() >= 15) {
                    sentences.add(sentence);
                }
            }
        }
        assertTrue(sentences.size() > 100, "the English bundles were read: " + sentences.size());
        return sentences;
    }

    private static Properties bundle(String lang) {
        Properties messages = new Properties();
        Path lib = Path.of(System.getProperty("keycloak.dist.dir")).resolve("lib/lib/main");
        try (Stream<Path> jars = Files.list(lib)) {
            Path themes = jars.filter(p -> p.getFileName().toString().matches("org\\.keycloak\\.keycloak-themes-\\d.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no keycloak-themes jar in " + lib));
            try (ZipFile jar = new ZipFile(themes.toFile())) {
                for (String theme : List.of("base", "keycloak.v2")) {
                    ZipEntry entry = jar.getEntry("theme/" + theme + "/login/messages/messages_" + lang + ".properties");
                    if (entry != null) {
                        load(messages, jar.getInputStream(entry));
                    }
                }
            }
            load(messages, Files.newInputStream(KeycloakServer.projectRoot()
                    .resolve("themes/src/main/resources/theme/authority/login/messages/messages_" + lang + ".properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return messages;
    }

    private static void load(Properties messages, InputStream in) throws IOException {
        try (InputStreamReader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            messages.load(reader);
        }
    }

    /** A viewport-wide PNG of the page's top (at most {@link #SHOT_HEIGHT} px), at one device pixel per CSS pixel. */
    private static void screenshot(Page page, String name) {
        Number height = (Number) page.evaluate("() => document.documentElement.scrollHeight");
        double width = page.viewportSize().width;
        page.screenshot(new Page.ScreenshotOptions().setFullPage(true).setAnimations(com.microsoft.playwright.options.ScreenshotAnimations.DISABLED)
                .setClip(new Clip(0, 0, width, Math.min(SHOT_HEIGHT, height.doubleValue())))
                .setPath(SCREENSHOTS.resolve(name + ".png")));
    }

    // ---- users, flows -----------------------------------------------------------------------------------------------

    /** A user with a stable address (the screenshots show it): {@code name@example.com}. */
    private static String user(String name) {
        String email = name + "@example.com";
        admin.createUser(REALM, email, PASSWORD);
        return email;
    }

    private static void requiredAction(String email, String action) {
        String id = admin.getJson("/realms/" + REALM + "/users?exact=true&email=" + email).get(0).path("id").asText();
        Http.Response set = admin.send("PUT", "/realms/" + REALM + "/users/" + id, Json.text("requiredActions", List.of(action)));
        assertEquals(204, set.status(), set::toString);
    }

    /** Turns MFA on through the pack's JSON routes; returns the secret. */
    private static String enableMfa(String email) {
        Http http = new Http(server.baseUri());
        assertEquals(302, http.postForm("/signin", Map.of("email", email, "password", PASSWORD)).status());
        Http.Response setup = http.get("/realms/authority/mfa/setup", "Accept", "application/json");
        assertEquals(200, setup.status(), setup::toString);
        String secret = setup.json().path("secret").asText();
        Http.Response enabled = http.postForm("/realms/authority/mfa/enable", Map.of("totp_code", Totp.code(secret, 0),
                "csrf_token", setup.json().path("csrf_token").asText()));
        assertEquals(302, enabled.status(), enabled::toString);
        return secret;
    }

    private static String url(String path) {
        return server.baseUri() + path;
    }

    private static String authorize() {
        String challenge = CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier()).getValue();
        return url("/authorize?response_type=code&client_id=" + APP + "&redirect_uri=" + REDIRECT + "&scope=openid%20email&state=look"
                + "&code_challenge_method=S256&code_challenge=" + challenge);
    }

    private static void serveTheApp(BrowserContext context) {
        context.route("http://app.localtest/**", route -> route.fulfill(new Route.FulfillOptions().setContentType("text/html")
                .setBody("<!DOCTYPE html><html lang=\"en\"><title>App</title><main><h1>App</h1></main></html>")));
    }

    private static void packSignIn(Page page, String email, String password) {
        page.navigate(url("/realms/authority/signin"));
        page.locator("#email").fill(email);
        page.locator("#password").fill(password);
        page.locator("#signin-submit").click();
        page.waitForLoadState();
    }

    private static void keycloakSignIn(Page page, String email, String password) {
        page.locator("#username").fill(email);
        page.locator("#password").fill(password);
        page.locator("#kc-login").click();
        page.waitForLoadState();
    }

    /** /authorize after the pack's sign-in finds Keycloak's session; signs in should it not. */
    private static void keycloakSignInIfAsked(Page page, String email) {
        page.waitForLoadState();
        if (page.locator("#username").count() > 0) {
            keycloakSignIn(page, email, PASSWORD);
        }
    }
}
