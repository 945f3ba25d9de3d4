package dev.authoritypack.it.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authoritypack.it.hardening.RateLimitIT;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.Distribution;
import dev.authoritypack.it.support.FormClient;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.Pkce;
import dev.authoritypack.it.support.RealmAttributes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The pack behind a TLS reverse proxy, as docs/reverse-proxy.md deploys it: Debian's HAProxy running
 * {@code docker/haproxy.cfg} unchanged, with a certificate this test makes (openssl), in front of a production
 * Keycloak ({@code kc.sh build}, then {@code start --optimized} with {@code --hostname=https://localhost:<proxy port>},
 * {@code --proxy-headers=xforwarded}, {@code --proxy-trusted-addresses=127.0.0.1/32}, plain HTTP on 127.0.0.1).
 * What a user of the public address sees: the issuer and every address Keycloak names are https, every cookie is
 * {@code Secure}, the host-root routes answer through the proxy, the rate limits count the client's address the proxy
 * forwards and ignore one a client names itself. Then a restart with another {@code KC_HOSTNAME} moves the device
 * flow's addresses without a new import (the default, without a host name, is {@code oauth/DeviceVerificationUriIT}).
 *
 * <p>Every machine address here is a loopback one: the proxy reaches Keycloak from 127.0.0.1 (trusted), the test's
 * "clients" connect from 127.0.0.2 to 127.0.0.5 (Linux answers all of 127/8), so a direct request is one from an
 * address Keycloak does not trust. Runs once, in the dev-file run: a server of its own whose database does not matter,
 * on every machine (the PostgreSQL run already carries the cluster test). About a minute: one build, two starts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsProxyIT {

    private static final String REALM = "authority";
    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    private static final String PASSWORD = "Proxy-user-password-1";
    private static final String DEVICE = "proxy-device";

    private static Path dir;
    private static Path home;
    private static Process keycloak;
    private static Process haproxy;
    private static final int KEYCLOAK_PORT = KeycloakServer.freePort();
    private static final int MANAGEMENT_PORT = KeycloakServer.freePort();
    private static final int PROXY_PORT = KeycloakServer.freePort();
    private static final URI PUBLIC = URI.create("https://localhost:" + PROXY_PORT);
    private static final URI DIRECT = URI.create("http://127.0.0.1:" + KEYCLOAK_PORT);
    private static SSLContext tls;
    private static AdminApi admin;
    private static String email;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue("dev-file".equals(System.getProperty("it.db", "dev-file")), "a server of its own: runs once, in the dev-file run");
        if (!Files.isExecutable(HAPROXY)) {
            String message = "no " + HAPROXY + " (apt-get install haproxy)";
            if ("1".equals(System.getenv("AUTHORITY_IT_PROXY_REQUIRED"))) {
                fail(message);
            }
            assumeTrue(false, message + ": the reverse-proxy test is skipped");
        }
        dir = Path.of(System.getProperty("it.log.dir", "target")).resolve("tls-proxy");
        KeycloakServer.deleteRecursively(dir);
        Files.createDirectories(dir);
        tls = selfSignedCertificate();
        home = Distribution.builtCopy(dir.resolve("keycloak"), List.of("--db=dev-file", "--health-enabled=true"));
        startKeycloak(List.of("--hostname=" + PUBLIC), Map.of());
        startHaproxy();
        admin = new AdminApi(DIRECT);
        email = Fixtures.user(admin, REALM, "proxy", PASSWORD);
        admin.createClient(REALM, Json.text("clientId", DEVICE, "publicClient", true, "standardFlowEnabled", false,
                "attributes", Map.of("oauth2.device.authorization.grant.enabled", "true")));
    }

    @AfterAll
    static void stop() {
        if (haproxy != null) {
            KeycloakServer.stopTree(haproxy);
        }
        if (keycloak != null) {
            KeycloakServer.stopTree(keycloak);
        }
    }

    // ---- through the proxy ---------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void theIssuerAndEveryAddressOfDiscoveryAreHttpsAtBothBases() {
        for (String path : List.of("/realms/authority/.well-known/openid-configuration", "/.well-known/openid-configuration")) {
            Http.Response r = proxied().get(path);
            assertEquals(200, r.status(), r::toString);
            assertEquals(PUBLIC + "/realms/authority", r.json().path("issuer").asText(), path);
            for (Iterator<Map.Entry<String, JsonNode>> it = r.json().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getValue().isTextual() && field.getValue().asText().startsWith("http")) {
                    assertTrue(field.getValue().asText().startsWith(PUBLIC + "/"), path + " " + field.getKey() + ": " + field.getValue());
                }
            }
        }
    }

    @Test
    @Order(2)
    void theBrowserSignInStaysOnHttpsWithSecureCookies() {
        String app = "https://app.example.test";
        Fixtures.browserApp(admin, REALM, "proxy-app", app);
        Http http = proxied();
        List<String> cookies = new ArrayList<>();

        // /authorize at the host root -> the issuer route -> Keycloak's sign-in page
        Http.Response page = follow(http, http.get("/authorize?response_type=code&client_id=proxy-app&redirect_uri=" + app
                + "/callback&scope=openid&state=s" + Pkce.S256_PARAMS), app, cookies);
        assertEquals(200, page.status(), page::toString);
        String action = FormClient.formAction(page.body(), "kc-form-login");
        assertTrue(action.startsWith(PUBLIC + "/realms/authority/"), "the form posts to the public https address: " + action);
        Http.Response done = follow(http, http.postForm(action, Map.of("username", email, "password", PASSWORD, "credentialId", "")), app, cookies);
        assertEquals(302, done.status(), done::toString);
        assertTrue(done.header("Location").startsWith(app + "/callback?") && done.header("Location").contains("code="), done.header("Location"));

        // the pack's own sign-in and sign-out pages
        Http browser = proxied();
        Http.Response signin = browser.postForm("/signin", Map.of("email", email, "password", PASSWORD));
        cookies.addAll(signin.raw().headers().allValues("Set-Cookie"));
        assertEquals(302, signin.status(), signin::toString);
        assertEquals(PUBLIC + "/realms/authority/profile", https(signin));
        Http.Response profile = browser.get("/realms/authority/profile");
        assertEquals(200, profile.status(), profile::toString);
        Http.Response root = browser.send(browser.request("/signout").header("Origin", PUBLIC.toString())
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(307, root.status(), root::toString);
        assertEquals(PUBLIC + "/realms/authority/signout", https(root));
        Http.Response out = browser.send(browser.request(https(root)).header("Origin", PUBLIC.toString())
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        cookies.addAll(out.raw().headers().allValues("Set-Cookie"));
        assertEquals(302, out.status(), out::toString);
        assertEquals(PUBLIC + "/realms/authority/signin", https(out));

        assertTrue(cookies.stream().anyMatch(c -> c.startsWith("KEYCLOAK_IDENTITY=")), "the SSO cookie came: " + cookies);
        for (String cookie : cookies) {
            if (cookie.matches("[^=]+=;.*(?i:max-age=0).*")) {
                continue; // Keycloak deletes its KC_RESTART cookie without the flag: empty and expired, it carries nothing
            }
            assertTrue(cookie.toLowerCase(Locale.ROOT).matches(".*;\\s*secure(;.*|$)"), "Secure: " + cookie);
        }
    }

    @Test
    @Order(3)
    void theHostRootRoutesAnswerThroughTheProxy() throws Exception {
        Http http = proxied();
        Http.Response jwks = http.get("/.well-known/jwks.json");
        assertEquals(200, jwks.status(), jwks::toString);
        assertFalse(jwks.json().path("keys").isEmpty(), jwks::toString);

        Fixtures.passwordGrantClient(admin, REALM, "proxy-cli");
        Http.Response token = http.postForm("/oauth/token", Map.of("grant_type", "password", "client_id", "proxy-cli",
                "username", email, "password", PASSWORD, "scope", "openid"));
        assertEquals(200, token.status(), token::toString);
        String accessToken = token.json().path("access_token").asText();
        JsonNode claims = Http.JSON.readTree(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]));
        assertEquals(PUBLIC + "/realms/authority", claims.path("iss").asText());
        Http.Response userinfo = http.get("/userinfo", "Authorization", "Bearer " + accessToken);
        assertEquals(200, userinfo.status(), userinfo::toString);
        assertEquals(email, userinfo.json().path("email").asText());

        // a page of the realm's cookies: from the host root to the issuer route (docs/routes.md), on the https address
        Http.Response toIssuer = http.get("/activate");
        assertEquals(307, toIssuer.status(), toIssuer::toString);
        Http.Response activate = http.get(https(toIssuer));
        assertEquals(200, activate.status(), activate::toString);
        String action = FormClient.formAction(activate.body(), "kc-user-verify-device-user-code-form");
        assertTrue(activate.raw().uri().resolve(action).toString().startsWith(PUBLIC + "/"), "the activation form posts to https: " + action);
        for (String base : List.of("", "/realms/authority")) {
            Http.Response device = http.postForm(base + "/device/code", Map.of("client_id", DEVICE));
            assertEquals(200, device.status(), device::toString);
            assertEquals(PUBLIC + base + "/activate", device.json().path("verification_uri").asText(), "the device's address at " + base + "/");
        }
        assertEquals(200, http.get("/health_check").status());
    }

    /**
     * One bucket lowered to two requests (its realm attribute, as RateLimitIT does): through the proxy each client
     * address has its own count and a client's own {@code X-Forwarded-For} changes nothing; straight to Keycloak, from
     * an address it does not trust, the header is ignored and the connection's address counts.
     */
    @Test
    @Order(4)
    void rateLimitsCountTheForwardedAddressOnlyFromTheTrustedProxy() {
        Map<String, String> previous = RealmAttributes.set(admin, REALM, Map.of("authority.rate-limit.introspect", "2/" + RateLimitIT.safeWindow()));
        try {
            assertNotEquals(429, viaProxy("127.0.0.2", null));
            assertNotEquals(429, viaProxy("127.0.0.2", null));
            assertEquals(429, viaProxy("127.0.0.2", null), "the third request of 127.0.0.2 through the proxy");
            assertNotEquals(429, viaProxy("127.0.0.3", null), "another client of the same proxy has its own count");
            assertNotEquals(429, viaProxy("127.0.0.3", "127.0.0.9"), "a client's own X-Forwarded-For is replaced by the proxy");
            assertEquals(429, viaProxy("127.0.0.3", "127.0.0.9"), "still counted as 127.0.0.3");

            assertNotEquals(429, direct("127.0.0.4", "10.0.0.1"));
            assertNotEquals(429, direct("127.0.0.4", "10.0.0.2"));
            assertEquals(429, direct("127.0.0.4", "10.0.0.3"), "from an untrusted address the header is ignored: one count for 127.0.0.4");
            assertNotEquals(429, direct("127.0.0.5", "127.0.0.2"), "nor can it borrow another client's count");
        } finally {
            RealmAttributes.set(admin, REALM, previous);
        }
    }

    // ---- another host name ------------------------------------------------------------------------------------------

    /** {@code KC_HOSTNAME} changed at a restart: the new address at both bases, on the realm of the first import. */
    @Test
    @Order(5)
    void aRestartWithAnotherHostNameMovesTheDeviceAddresses() {
        KeycloakServer.stopTree(keycloak);
        String host = "https://auth.example.test";
        startKeycloak(List.of(), Map.of("KC_HOSTNAME", host));
        Http http = new Http(DIRECT);
        for (String base : List.of("", "/realms/authority")) {
            Http.Response discovery = http.get(base + "/.well-known/openid-configuration");
            assertEquals(host + "/realms/authority", discovery.json().path("issuer").asText());
            Http.Response device = http.postForm(base + "/device/code", Map.of("client_id", DEVICE));
            assertEquals(200, device.status(), device::toString);
            assertEquals(host + base + "/activate", device.json().path("verification_uri").asText());
            assertEquals(host + base + "/activate?user_code=" + device.json().path("user_code").asText(),
                    device.json().path("verification_uri_complete").asText());
        }
        assertEquals(1, admin.getJson("/realms/" + REALM + "/users?exact=true&email=" + URLEncoder.encode(email, StandardCharsets.UTF_8)).size(),
                "the realm of the first start: not imported again");
    }

    // ---- the parts -----------------------------------------------------------------------------------------------

    private static Http proxied() {
        return new Http(PUBLIC, tls);
    }

    /** Follows redirects up to one to {@code stopAt}; each must name the public https address. */
    private static Http.Response follow(Http http, Http.Response r, String stopAt, List<String> cookies) {
        int hops = 0;
        cookies.addAll(r.raw().headers().allValues("Set-Cookie"));
        while (r.status() / 100 == 3 && hops++ < 10) {
            String location = r.raw().uri().resolve(r.header("Location")).toString();
            if (location.startsWith(stopAt)) {
                return r;
            }
            assertTrue(location.startsWith(PUBLIC + "/"), "a redirect to the public https address: " + location);
            r = http.get(location);
            cookies.addAll(r.raw().headers().allValues("Set-Cookie"));
        }
        return r;
    }

    /** The answer's Location, resolved against the request, asserted to be on the public https address. */
    private static String https(Http.Response r) {
        String location = r.raw().uri().resolve(r.header("Location")).toString();
        assertTrue(location.startsWith(PUBLIC + "/"), "https: " + location);
        return location;
    }

    /** A bad introspection request over TLS from a client address of the test's choosing; its status. */
    private static int viaProxy(String from, String forwardedFor) {
        try (Socket socket = tls.getSocketFactory().createSocket(InetAddress.getByName("127.0.0.1"), PROXY_PORT, InetAddress.getByName(from), 0)) {
            return introspect(socket, "localhost:" + PROXY_PORT, forwardedFor);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same request straight to Keycloak's HTTP port, not through the proxy. */
    private static int direct(String from, String forwardedFor) {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), KEYCLOAK_PORT, InetAddress.getByName(from), 0)) {
            return introspect(socket, "127.0.0.1:" + KEYCLOAK_PORT, forwardedFor);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int introspect(Socket socket, String host, String forwardedFor) throws IOException {
        socket.setSoTimeout(30_000);
        byte[] body = "token=not-a-token".getBytes(StandardCharsets.UTF_8);
        String head = "POST /oauth/introspect HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n"
                + (forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor + "\r\nX-Forwarded-Proto: https\r\n") + "\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        InputStream in = socket.getInputStream();
        String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(answer.startsWith("HTTP/1.1 "), answer);
        return Integer.parseInt(answer.substring(9, 12));
    }

    /** The production start behind the proxy, with the options docs/running.md gives; waits until the realm answers. */
    private static void startKeycloak(List<String> options, Map<String, String> settings) {
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/kc.sh").toString(), "start", "--optimized", "--import-realm",
                "--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + KEYCLOAK_PORT, "--http-management-port=" + MANAGEMENT_PORT,
                "--proxy-headers=xforwarded", "--proxy-trusted-addresses=127.0.0.1/32",
                // a one-node cluster on loopback, so that it does not meet the suite's other servers
                "--cache-embedded-network-bind-address=127.0.0.1", "--cache-embedded-network-bind-port=" + KeycloakServer.freePort()));
        command.addAll(options);
        Path log = dir.resolve("keycloak.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("AUTHORITY_"));
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", KeycloakServer.ADMIN_USER);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", KeycloakServer.ADMIN_PASSWORD);
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.putAll(KeycloakServer.suiteRateLimits());
        env.putAll(settings);
        try {
            keycloak = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KeycloakServer.awaitAnswer(keycloak, URI.create(DIRECT + "/realms/authority"), Duration.ofMinutes(Long.getLong("it.start.minutes", 4)), log);
    }

    /** Debian's haproxy on docker/haproxy.cfg, as it is; waits until it answers over TLS. */
    private static void startHaproxy() {
        Path log = dir.resolve("haproxy.log");
        ProcessBuilder builder = new ProcessBuilder(HAPROXY.toString(), "-db", "-f",
                KeycloakServer.projectRoot().resolve("docker/haproxy.cfg").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("HAPROXY_BIND", "127.0.0.1:" + PROXY_PORT);
        builder.environment().put("HAPROXY_CERT", dir.resolve("haproxy.pem").toString());
        builder.environment().put("KEYCLOAK_SERVER", "127.0.0.1:" + KEYCLOAK_PORT);
        try {
            haproxy = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KeycloakServer.awaitAnswer(haproxy, URI.create(PUBLIC + "/health_check"), Duration.ofSeconds(30), log, tls);
    }

    /** A certificate for localhost made with openssl: its PEM for HAProxy, the trust of this test's clients. */
    private static SSLContext selfSignedCertificate() throws Exception {
        Distribution.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString()), dir.resolve("openssl.log"));
        Files.writeString(dir.resolve("haproxy.pem"), Files.readString(dir.resolve("cert.pem")) + Files.readString(dir.resolve("key.pem")));
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream pem = Files.newInputStream(dir.resolve("cert.pem"))) {
            trust.setCertificateEntry("proxy", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
