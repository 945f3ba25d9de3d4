package dev.authoritypack.it.cors;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.authoritypack.it.legacy.TestIssuer;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.LocalSite;
import dev.authoritypack.it.support.PackIntegrationTest;
import dev.authoritypack.it.support.RealBrowser;
import dev.authoritypack.it.support.RealmAttributes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two single-page apps on two loopback origins, in one real browser (Debian's chromium), each signing in with a
 * standard SPA library, oidc-client-ts (its browser build from the npm registry, pinned by version and integrity),
 * through discovery: one with the realm's issuer as authority, one with the host root. Each refreshes, calls
 * userinfo, {@code /api/login} and {@code /account/password/reset}, and reads every answer, a 429 with its
 * {@code Retry-After} and {@code X-RateLimit-*} included. A page on an unregistered origin cannot read any.
 */
@PackIntegrationTest
class TwoAppsInABrowserIT {

    private static final String LIBRARY = "oidc-client-ts-3.5.0";
    private static final String LIBRARY_URL = "https://registry.npmjs.org/oidc-client-ts/-/oidc-client-ts-3.5.0.tgz";
    private static final String LIBRARY_SHA512 = "l2q8l9CTCTOlbX+AnK4p3M+4CEpKpyQhle6blQkdFhm0IsBqsxm15bYaSa11G7pWdsYr6epdsRZxJpCyCRbT8A==";
    private static final String PASSWORD = "Two-apps-password-1";
    private static final String AUDIENCE = "https://legacy-api.example.com";
    private static final String MACHINE = "legacy-backend";

    @RegisterExtension
    static final RealBrowser chromium = new RealBrowser();
    private static AdminApi admin;
    private static KeycloakServer server;
    private static byte[] library;
    private static TestIssuer issuer;
    private static AutoCloseable trust;

    @BeforeAll
    static void setUp(AdminApi adminApi, KeycloakServer keycloak) throws Exception {
        admin = adminApi;
        server = keycloak;
        library = library();
        issuer = new TestIssuer();
        trust = issuer.trustedBy(admin, "authority", AUDIENCE, MACHINE);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (trust != null) {
            trust.close();
            issuer.close();
        }
    }

    /** oidc-client-ts's browser build: from the npm registry once (kept under ~/.cache), checked against its integrity. */
    private static byte[] library() throws Exception {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "authority-it", LIBRARY + ".tgz");
        byte[] tgz = Files.isRegularFile(cache) ? Files.readAllBytes(cache) : null;
        if (tgz == null) {
            try {
                HttpResponse<byte[]> r = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                        .send(HttpRequest.newBuilder(URI.create(LIBRARY_URL)).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
                tgz = r.statusCode() == 200 ? r.body() : null;
            } catch (IOException e) {
                tgz = null;
            }
            if (tgz == null) {
                String message = "the npm registry did not serve " + LIBRARY_URL + ": the two-app browser test is skipped";
                if ("1".equals(System.getenv("AUTHORITY_IT_BROWSER_REQUIRED"))) {
                    fail(message.replace("is skipped", "is required here"));
                }
                assumeTrue(false, message);
            }
        }
        String digest = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(tgz));
        assertEquals(LIBRARY_SHA512, digest, "the library's integrity");
        Files.createDirectories(cache.getParent());
        Files.write(cache, tgz);
        return untar(tgz, "package/dist/browser/oidc-client-ts.min.js");
    }

    private static byte[] untar(byte[] tgz, String wanted) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(tgz))) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512) {
                String name = new String(header, 0, 100, StandardCharsets.US_ASCII).replace("\0", "").trim();
                if (name.isEmpty()) {
                    break;
                }
                long size = Long.parseLong(new String(header, 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim(), 8);
                byte[] content = in.readNBytes((int) size);
                in.skipNBytes((512 - size % 512) % 512);
                if (name.equals(wanted)) {
                    return content;
                }
            }
        }
        throw new IOException(wanted + " is not in the package");
    }

    /** A static site on 127.0.0.1: the library and one page, whose authority and client are given. */
    private static LocalSite site(String authority, String clientId) {
        String page = """
                <!doctype html><html lang="en"><head><meta charset="utf-8"><title>app</title>
                <script src="/oidc-client-ts.min.js"></script></head><body><p id="state">loading</p><script>
                window.mgr = new oidc.UserManager({authority: '%s', client_id: '%s', redirect_uri: location.origin + '/callback',
                  response_type: 'code', scope: 'openid', userStore: new oidc.WebStorageStateStore({store: window.localStorage})});
                window.call = async (url, init) => {
                  try {
                    const r = await fetch(url, init);
                    const headers = {};
                    for (const h of ['retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) headers[h] = r.headers.get(h);
                    return {status: r.status, headers, body: await r.text()};
                  } catch (e) { return {error: String(e)}; }
                };
                if (location.pathname === '/callback') {
                  mgr.signinRedirectCallback().then(u => { window.user = u; document.getElementById('state').textContent = 'signed in'; },
                                                    e => { document.getElementById('state').textContent = 'error ' + e; });
                } else { document.getElementById('state').textContent = 'ready'; }
                </script></body></html>
                """.formatted(authority, clientId);
        return LocalSite.serve(path -> path.equals("/oidc-client-ts.min.js") ? new LocalSite.Content("text/javascript", library)
                : LocalSite.Content.html(page));
    }

    private static String origin(LocalSite site) {
        return site.origin();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> call(Page page, String url, String init) {
        return (Map<String, Object>) page.evaluate("([u, i]) => call(u, JSON.parse(i))", java.util.List.of(url, init));
    }

    @Test
    void twoAppsSignInRefreshAndReadEveryAnswerAStrangerReadsNone() throws Exception {
        String base = server.baseUri().toString().replaceAll("/$", "");
        String email = Fixtures.email("two-apps");
        String userId = admin.createUser("authority", email, PASSWORD);
        JsonNode role = admin.getJson("/realms/authority/roles/license");
        admin.send("POST", "/realms/authority/users/" + userId + "/role-mappings/realm", "[" + role + "]");
        LocalSite issuerApp = site(base + "/realms/authority", "two-apps-issuer");
        LocalSite rootApp = site(base, "two-apps-root");
        LocalSite stranger = site(base, "two-apps-issuer");
        Map<String, String> previous = null;
        try {
            for (LocalSite app : new LocalSite[]{issuerApp, rootApp}) {
                String clientId = app == issuerApp ? "two-apps-issuer" : "two-apps-root";
                Fixtures.browserApp(admin, "authority", clientId, origin(app));
            }
            KeycloakServer.sleep(2_500); // the pack reads the realm's web origins again within two seconds
            try (BrowserContext context = chromium.newContext()) {
                for (LocalSite app : new LocalSite[]{issuerApp, rootApp}) {
                    String what = app == issuerApp ? "the issuer app" : "the host-root app";
                    Page page = context.newPage();
                    page.navigate(origin(app) + "/");
                    page.waitForFunction("document.getElementById('state').textContent === 'ready'");
                    page.evaluate("() => { mgr.signinRedirect(); }");
                    String appOrigin = origin(app);
                    // Keycloak's sign-in form, or straight back when the browser is signed in already
                    page.waitForCondition(() -> page.url().startsWith(appOrigin + "/callback")
                            || !page.url().startsWith(appOrigin) && page.locator("#username").count() > 0);
                    if (!page.url().startsWith(appOrigin)) { // the second app finds the browser signed in already
                        page.locator("#username").fill(email);
                        page.locator("#password").fill(PASSWORD);
                        page.locator("#kc-login").click();
                    }
                    page.waitForURL(origin(app) + "/callback**");
                    page.waitForFunction("document.getElementById('state').textContent !== 'loading'");
                    assertEquals("signed in", page.locator("#state").textContent(), what);

                    String accessToken = (String) page.evaluate("user.access_token");
                    String refreshed = (String) page.evaluate("mgr.signinSilent().then(u => u.access_token)");
                    assertTrue(refreshed != null && !refreshed.equals(accessToken), what + ": a new access token from the refresh token");

                    Map<String, Object> userinfo = call(page, base + "/userinfo",
                            Json.text("headers", Map.of("Authorization", "Bearer " + refreshed)));
                    assertEquals(200, ((Number) userinfo.get("status")).intValue(), what + " userinfo: " + userinfo);
                    assertTrue(String.valueOf(userinfo.get("body")).contains(email), what + ": " + userinfo);

                    String b64 = Base64.getEncoder().encodeToString(email.getBytes(StandardCharsets.UTF_8));
                    Map<String, Object> legacy = call(page, base + "/api/login", Http.JSON.writeValueAsString(Map.of("method", "POST",
                            "headers", Map.of("Content-Type", "application/json", "Authorization", "Bearer " + issuer.machineToken(AUDIENCE, MACHINE)),
                            "body", Json.text("email", b64))));
                    assertEquals(200, ((Number) legacy.get("status")).intValue(), what + " /api/login: " + legacy);
                    assertTrue(String.valueOf(legacy.get("body")).contains("\"status\":\"success\""), legacy::toString);

                    String reset = Http.JSON.writeValueAsString(Map.of("method", "POST", "headers", Map.of("Content-Type", "application/json"),
                            "body", Json.text("email", email)));
                    Map<String, Object> answered = call(page, base + "/account/password/reset", reset);
                    assertEquals(200, ((Number) answered.get("status")).intValue(), what + " reset: " + answered);
                    page.close();
                }

                // a 429 is readable too: the realm allows two account calls a minute from now on
                previous = RealmAttributes.set(admin, "authority", Map.of("authority.rate-limit.account", "2/3600"));
                Page page = context.newPage();
                page.navigate(origin(issuerApp) + "/");
                String reset = Http.JSON.writeValueAsString(Map.of("method", "POST", "headers", Map.of("Content-Type", "application/json"),
                        "body", Json.text("email", "nobody@example.com")));
                Map<String, Object> last = null;
                for (int i = 0; i < 5; i++) {
                    last = call(page, base + "/account/password/reset", reset);
                    if (((Number) last.get("status")).intValue() == 429) {
                        break;
                    }
                }
                assertEquals(429, ((Number) last.get("status")).intValue(), last::toString);
                @SuppressWarnings("unchecked") Map<String, Object> headers = (Map<String, Object>) last.get("headers");
                assertTrue(Integer.parseInt(String.valueOf(headers.get("retry-after"))) >= 1, "Retry-After is readable: " + last);
                assertEquals("0", String.valueOf(headers.get("x-ratelimit-remaining")), last::toString);
                assertTrue(String.valueOf(last.get("body")).contains("too_many_requests"), last::toString);

                // a page on an origin no client registers reads nothing
                Page other = context.newPage();
                other.navigate(origin(stranger) + "/");
                Map<String, Object> refused = call(other, base + "/account/password/reset", reset);
                assertTrue(refused.containsKey("error"), "the browser keeps the answer from an unregistered origin: " + refused);
            }
        } finally {
            if (previous != null) {
                RealmAttributes.set(admin, "authority", previous);
            }
            issuerApp.close();
            rootApp.close();
            stranger.close();
        }
    }
}
