package dev.authoritypack.it.clients;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authoritypack.it.legacy.TestIssuer;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.MailServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import dev.authoritypack.it.support.RawHttp;
import dev.authoritypack.it.support.RealmAttributes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kind of client gets the documented answers (issue 24): the JSON sign-in of {@code docs/signin.md} (401, 423 with
 * {@code Retry-After}, 302 with JSON), an account reset that mails the account, and {@code /api/login} ({@code docs/legacy-login.md}),
 * from Node's own {@code fetch()} (undici, run with {@code node --test}), Java's {@code HttpClient}, curl, and raw
 * HTTP/1.1 carrying the headers other stacks send ({@code Sec-Fetch-Mode: cors} alone as undici does,
 * {@code Sec-Fetch-Site: none} as a browser extension's own request). None of them is a web page, so none needs
 * the sign-in form's token (providers/routes/.../SameOrigin.java); SigninIT and PagesInABrowserIT keep the web
 * pages' cross-site posts refused.
 */
@PackIntegrationTest
class ClientMatrixIT {

    private static final String REALM = "authority";
    private static final String PASSWORD = "Client-matrix-password-1";
    private static final String AUDIENCE = "https://legacy-api.example.com";
    private static final String MACHINE = "legacy-backend";

    private static AdminApi admin;
    private static KeycloakServer server;
    private static MailServer mail;
    private static TestIssuer issuer;
    private static AutoCloseable trust;
    private static AutoCloseable mailLimit;

    @BeforeAll
    static void setUp(AdminApi adminApi, KeycloakServer keycloak, MailServer mailServer) throws Exception {
        admin = adminApi;
        server = keycloak;
        mail = mailServer;
        issuer = new TestIssuer();
        trust = issuer.trustedBy(admin, REALM, AUDIENCE, MACHINE);
        // every stack mails from 127.0.0.1: the per-client-address mail limit has its own test (RateLimitIT's kin)
        Map<String, String> before = RealmAttributes.set(admin, REALM, Map.of("authority.account.mails-per-client-address", "100000"));
        mailLimit = () -> RealmAttributes.set(admin, REALM, before);
    }

    @AfterAll
    static void tearDown() throws Exception {
        mailLimit.close();
        trust.close();
        issuer.close();
    }

    /** The accounts one client works with: a plain one, one it locks, one it resets, one with the licence role. */
    record Accounts(String email, String locked, String reset, String legacy) {
        static Accounts create(String stack) {
            String tag = stack.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "") + "-" + System.nanoTime();
            Accounts a = new Accounts("matrix-" + tag + "@example.com", "matrix-locked-" + tag + "@example.com",
                    "matrix-reset-" + tag + "@example.com", "matrix-legacy-" + tag + "@example.com");
            for (String email : List.of(a.email, a.locked, a.reset, a.legacy)) {
                admin.createUser(REALM, email, PASSWORD);
            }
            String id = admin.getJson("/realms/" + REALM + "/users?exact=true&email=" + a.legacy).get(0).get("id").asText();
            JsonNode role = admin.getJson("/realms/" + REALM + "/roles/license");
            admin.send("POST", "/realms/" + REALM + "/users/" + id + "/role-mappings/realm", "[" + role + "]");
            return a;
        }
    }

    // ---- Node's fetch ------------------------------------------------------------------------------------------

    @Test
    void nodeFetch() throws Exception {
        Path script = KeycloakServer.projectRoot().resolve("it-tests/src/test/node/client-matrix.test.mjs");
        String node = nodeCommand();
        Accounts a = Accounts.create("node");
        ProcessBuilder pb = new ProcessBuilder(node, "--test", "--test-reporter=spec", script.toString()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("AUTHORITY_BASE", server.baseUri().toString().replaceAll("/$", ""));
        env.put("AUTHORITY_PASSWORD", PASSWORD);
        env.put("AUTHORITY_EMAIL", a.email);
        env.put("AUTHORITY_LOCKED_EMAIL", a.locked);
        env.put("AUTHORITY_RESET_EMAIL", a.reset);
        env.put("AUTHORITY_LEGACY_EMAIL", a.legacy);
        env.put("AUTHORITY_AUTH0_TOKEN", issuer.machineToken(AUDIENCE, MACHINE));
        Process p = pb.start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "node --test finished");
        System.err.println("[clients] node --test:\n" + output.indent(2));
        assertEquals(0, p.exitValue(), "Node's fetch got other answers than documented:\n" + output);
        assertTrue(output.matches("(?s).*\\bpass 6\\b.*") && output.matches("(?s).*\\bfail 0\\b.*"), "all six Node tests ran and passed:\n" + output);
        assertResetMailed(a);
    }

    /** Debian's {@code nodejs}; without it the Node column is skipped, unless the run says it must not be (CI). */
    private static String nodeCommand() {
        for (String candidate : List.of("node", "nodejs")) {
            try {
                Process p = new ProcessBuilder(candidate, "--version").redirectErrorStream(true).start();
                String version = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && version.matches("v(1[89]|[2-9][0-9]).*")) {
                    return candidate;
                }
            } catch (IOException | InterruptedException e) {
                // try the next name
            }
        }
        String message = "Node.js 18 or newer is not installed (Debian: apt-get install nodejs): the Node client column is skipped";
        if ("1".equals(System.getenv("AUTHORITY_IT_NODE_REQUIRED"))) {
            throw new AssertionError(message.replace("is skipped", "is required here (AUTHORITY_IT_NODE_REQUIRED=1)"));
        }
        System.err.println("[clients] " + message);
        Assumptions.abort(message);
        return null;
    }

    // ---- the JVM's client, curl and raw HTTP/1.1 as other stacks send it ----------------------------------------

    /** An HTTP answer, whatever client got it. */
    record Answer(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).flatMap(e -> e.getValue().stream())
                    .findFirst().orElse(null);
        }

        List<String> all(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).flatMap(e -> e.getValue().stream()).toList();
        }

        JsonNode json() {
            try {
                return Http.JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }

    /** A client stack: how it sends a request with a body, and the headers it adds by itself. */
    enum Stack {
        /** java.net.http.HttpClient with its defaults: no Accept, no Origin, no Fetch Metadata. */
        JAVA_HTTP_CLIENT,
        /** curl, as the README's examples and shell scripts use it. */
        CURL,
        /** raw HTTP/1.1 with undici's headers: Sec-Fetch-Mode: cors, Accept-Language: *, User-Agent: node. */
        RAW_AS_UNDICI,
        /** raw HTTP/1.1 with a browser extension's own request: Sec-Fetch-Site: none and its Origin. */
        RAW_AS_EXTENSION,
        /** raw HTTP/1.1 as Python's requests or Go's net/http send it: Accept: *&#47;*, no browser header. */
        RAW_PLAIN;

        Answer send(String method, String path, String contentType, String body, String... headers) throws Exception {
            URI uri = URI.create(server.baseUri().toString().replaceAll("/$", "") + path);
            List<String> h = new ArrayList<>(List.of(headers));
            switch (this) {
                case RAW_AS_UNDICI -> h.addAll(List.of("Sec-Fetch-Mode", "cors", "Accept-Language", "*", "User-Agent", "node"));
                case RAW_AS_EXTENSION -> h.addAll(List.of("Sec-Fetch-Site", "none", "Sec-Fetch-Mode", "cors", "Sec-Fetch-Dest", "empty",
                        "Origin", "chrome-extension://abcdefghijklmnopabcdefghijklmnop"));
                case RAW_PLAIN -> h.addAll(List.of("User-Agent", "python-requests/2.32", "Accept-Encoding", "identity"));
                default -> {
                }
            }
            return switch (this) {
                case JAVA_HTTP_CLIENT -> jdk(method, uri, contentType, body, h);
                case CURL -> curl(method, uri, contentType, body, h);
                default -> raw(method, uri, contentType, body, h);
            };
        }
    }

    private static Answer jdk(String method, URI uri, String contentType, String body, List<String> headers) throws Exception {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build(); // its defaults, h2c included
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i < headers.size(); i += 2) {
            b.header(headers.get(i), headers.get(i + 1));
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.headers().map(), r.body());
    }

    private static Answer curl(String method, URI uri, String contentType, String body, List<String> headers) throws Exception {
        Path headerFile = Files.createTempFile("curl-headers", ".txt");
        Path bodyFile = Files.createTempFile("curl-body", ".txt");
        try {
            List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "-X", method, "-D", headerFile.toString(), "-o", bodyFile.toString()));
            if (contentType != null) {
                cmd.addAll(List.of("-H", "Content-Type: " + contentType));
            }
            for (int i = 0; i < headers.size(); i += 2) {
                cmd.addAll(List.of("-H", headers.get(i) + ": " + headers.get(i + 1)));
            }
            if (body != null) {
                cmd.addAll(List.of("--data-binary", body));
            }
            cmd.add(uri.toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "curl failed: " + out);
            return parse(Files.readString(headerFile, StandardCharsets.ISO_8859_1), Files.readString(bodyFile, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(headerFile);
            Files.deleteIfExists(bodyFile);
        }
    }

    private static Answer raw(String method, URI uri, String contentType, String body, List<String> headers) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method + " " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nConnection: close\r\nAccept: */*\r\n");
        for (int i = 0; i < headers.size(); i += 2) {
            head.append(headers.get(i)).append(": ").append(headers.get(i + 1)).append("\r\n");
        }
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
        String text = RawHttp.exchange(uri.getHost(), uri.getPort(), head.toString(), bytes, 30_000);
        int split = text.indexOf("\r\n\r\n");
        String rawBody = text.substring(split + 4);
        String headerText = text.substring(0, split + 2);
        if (headerText.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
            rawBody = unchunk(rawBody);
        }
        return parse(headerText, rawBody);
    }

    private static String unchunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < chunked.length()) {
            int eol = chunked.indexOf("\r\n", i);
            int size = Integer.parseInt(chunked.substring(i, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(chunked, eol + 2, eol + 2 + size); // the answers here are ASCII JSON
            i = eol + 2 + size + 2;
        }
        return out.toString();
    }

    private static Answer parse(String headerText, String body) {
        String[] lines = headerText.split("\r\n");
        int last = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("HTTP/")) {
                last = i; // curl -D keeps every answer of a connection; only the last one counts
            }
        }
        int status = Integer.parseInt(lines[last].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = last + 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
            }
        }
        return new Answer(status, headers, body);
    }

    @ParameterizedTest
    @EnumSource(Stack.class)
    void theDocumentedAnswersForEveryClient(Stack stack) throws Exception {
        if (stack == Stack.CURL) {
            Assumptions.assumeTrue(new ProcessBuilder("curl", "--version").start().waitFor() == 0, "curl is not installed");
        }
        Accounts a = Accounts.create(stack.name());
        String form = "application/x-www-form-urlencoded";

        Answer description = stack.send("GET", "/signin", null, null, "Accept", "application/json");
        assertEquals(200, description.status(), description::toString);
        assertEquals("email", description.json().get("fields").get(0).asText());

        Answer wrong = stack.send("POST", "/realms/authority/signin", form, Http.form(Map.of("email", a.email, "password", "wrong-one")),
                "Accept", "application/json");
        assertEquals(401, wrong.status(), stack + ": " + wrong);
        assertEquals("invalid_credentials", wrong.json().get("error").asText());

        Answer ok = stack.send("POST", "/realms/authority/signin", form, Http.form(Map.of("email", a.email, "password", PASSWORD)),
                "Accept", "application/json");
        assertEquals(302, ok.status(), stack + " is no web page and needs no form token: " + ok);
        assertTrue(ok.header("Location").endsWith("/realms/authority/profile"), ok.header("Location"));
        assertEquals("ok", ok.json().get("status").asText());
        assertTrue(ok.all("Set-Cookie").stream().anyMatch(c -> c.startsWith("KEYCLOAK_IDENTITY=") && !c.startsWith("KEYCLOAK_IDENTITY=;")),
                "the SSO cookie: " + ok.all("Set-Cookie"));

        Answer locked = null;
        for (int i = 0; i < 20; i++) {
            locked = stack.send("POST", "/realms/authority/signin", form, Http.form(Map.of("email", a.locked, "password", "wrong-" + i)),
                    "Accept", "application/json");
            if (locked.status() == 423) {
                break;
            }
            assertEquals(401, locked.status(), locked::toString);
            KeycloakServer.sleep(150); // brute-force detection records failures in the background
        }
        assertEquals(423, locked.status(), locked::toString);
        assertTrue(Integer.parseInt(locked.header("Retry-After")) >= 1, locked::toString);
        assertEquals("account_locked", locked.json().get("error").asText());

        Answer reset = stack.send("POST", "/account/password/reset", "application/json", Json.text("email", a.reset));
        assertEquals(200, reset.status(), reset::toString);
        Answer unknown = stack.send("POST", "/account/password/reset", "application/json", Json.text("email", "nobody-" + System.nanoTime() + "@example.com"));
        assertEquals(200, unknown.status(), unknown::toString);
        assertEquals(reset.json(), unknown.json(), "an unknown address gets the same answer");

        String b64 = Base64.getEncoder().encodeToString(a.legacy.getBytes(StandardCharsets.UTF_8));
        Answer login = stack.send("POST", "/api/login", "application/json", Json.text("email", b64),
                "Authorization", "Bearer " + issuer.machineToken(AUDIENCE, MACHINE));
        assertEquals(200, login.status(), login::toString);
        assertEquals("success", login.json().get("status").asText());
        Answer refused = stack.send("POST", "/api/login", "application/json", Json.text("email", b64));
        assertEquals(401, refused.status(), refused::toString);
        assertEquals("Unauthorized or invalid token", refused.json().get("message").asText());

        assertResetMailed(a);
    }

    /** The reset mail came, and its token sets a new password ({@code POST /account/password/confirm}, docs/account.md). */
    private static void assertResetMailed(Accounts a) {
        MailServer.Mail m = mail.await(a.reset, 1, Duration.ofSeconds(30));
        String token = m.token(server.baseUri() + "/realms/authority/account/password/confirm?token=");
        Http.Response confirmed = new Http(server.baseUri()).postJson("/account/password/confirm",
                Json.text("token", token, "password", "Matrix-new-password-2"));
        assertEquals(200, confirmed.status(), confirmed::toString);
    }
}
