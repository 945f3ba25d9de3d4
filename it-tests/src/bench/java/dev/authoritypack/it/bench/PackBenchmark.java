package dev.authoritypack.it.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.authoritypack.it.legacy.TestIssuer;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.FormClient;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.Pkce;
import dev.authoritypack.it.support.Totp;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every path where the pack does work, beside the Keycloak request that does the same job, on one server in one run:
 * {@code ./mvnw verify -Pbenchmark}. Keycloak runs as an operator runs it ({@code kc.sh start --optimized}, dev-file
 * database); stock Keycloak (no pack jars) is started too, for start time and heap. Prints a table and writes the
 * same figures to {@code it-tests/target/benchmark.json}.
 *
 * <p>Bounded: a fixed number of requests, all to 127.0.0.1, then it stops. Speed is measured, not asserted; what is
 * asserted is only that the setup worked. Every answer other than the one a side expects is counted and printed
 * beside its figures, never dropped silently. Every side is warmed up before any is measured; then each pair runs
 * its two sides at once, each of the {@value #THREADS} connections alternating between them (a guard is measured
 * with and without on two realms alike but for it). Password-based paths use one user per connection, so Keycloak's
 * per-user guards do not turn parallel requests into refusals.
 */
class PackBenchmark {

    private static final String REALM = "authority";
    private static final String PASSWORD = "Bench-password-1";
    private static final String AUDIENCE = "https://legacy-api.example.com";
    private static final String MACHINE = "bench-legacy-backend";
    private static final String CALLBACK = "http://127.0.0.1/bench-callback";
    private static final String OIDC = "/realms/" + REALM + "/protocol/openid-connect";
    private static final int THREADS = 8;
    private static final int ROUNDS = 6;
    /** Requests per side and round: paths without password hashing, and paths that hash a password. */
    private static final int FAST = 200;
    private static final int SLOW = 40;
    private static final int STARTS = 3;
    /** Two realms alike but for the guards (rate limit of the token route, brute-force detection): their pairs run interleaved. */
    private static final String GUARDS_ON = "bench-guards-on";
    private static final String GUARDS_OFF = "bench-guards-off";

    /** A measured request (or step of a sequence); returns its nanoseconds, or throws {@link Unexpected}. */
    @FunctionalInterface
    private interface Probe {
        long run(Http http, int thread, int sequence) throws Exception;
    }

    /** An answer the side did not expect: counted by its status (or exception), not measured. */
    private static final class Unexpected extends Exception {
        Unexpected(String what) {
            super(what, null, false, false);
        }
    }

    private static final Runnable NOTHING = () -> { };

    /** One side of a pair: what it is called in the table and how one sample is taken. */
    private record Side(String label, Probe probe) {
    }

    /** Two sides; {@code prepare} runs before each round of both (fresh tokens for the sides to use). */
    private record Pair(String group, Side pack, Side twin, int perRound, Runnable prepare) {
        Pair(String group, Side pack, Side twin, int perRound) {
            this(group, pack, twin, perRound, NOTHING);
        }
    }

    private static final class Figures {
        final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        final Map<String, Integer> unexpected = new ConcurrentHashMap<>();

        double p(double q) {
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1e6;
        }

        /** Requests per second at {@value #THREADS} connections (Little's law: connections over the mean latency). */
        double perSecond() {
            double meanSeconds = nanos.stream().mapToLong(Long::longValue).average().orElse(Double.NaN) / 1e9;
            return THREADS / meanSeconds;
        }
    }

    private final Http[] clients = new Http[THREADS];
    private BenchServer server;
    private AdminApi admin;
    private TestIssuer issuer;

    @Test
    void packPathsBesideKeycloaksOwn() throws Exception {
        // one run is enough: it starts its own servers on the dev-file database, whatever the execution
        assumeTrue("dev-file".equals(System.getProperty("it.db", "dev-file")), "the benchmark runs once, in the dev-file execution");
        Path dir = Path.of(System.getProperty("it.log.dir", "target")).resolve("bench");
        Files.createDirectories(dir);
        ObjectNode report = Http.JSON.createObjectNode();
        report.put("threads", THREADS).put("rounds", ROUNDS);

        BenchServer stock = BenchServer.build(dir, "keycloak-stock", false);
        BenchServer pack = BenchServer.build(dir, "keycloak-pack", true);
        server = pack;
        issuer = new TestIssuer();
        try (TestIssuer auth0 = issuer; stock; pack) {
            // the first start of each creates its database (and the pack's imports the realm): not measured
            server.start(true);
            server.stop();
            stock.start(false);
            stock.stop();
            if (!Boolean.getBoolean("bench.skip-start")) {
                report.set("start", startAndHeap(stock));
            }

            server.start(false);
            admin = new AdminApi(server.baseUri());
            for (int t = 0; t < THREADS; t++) {
                clients[t] = new Http(server.baseUri());
            }
            setUp();
            ArrayNode rows = report.putArray("pairs");
            System.out.println();
            System.out.printf(Locale.ROOT, "%-66s %8s %8s %9s %7s %8s  %s%n", "request (" + THREADS + " connections)",
                    "p50 ms", "p95 ms", "req/s", "ratio", "Δp50 ms", "other answers");
            String group = "";
            // -Dbench.only=WORD,WORD: only the groups whose title contains one of them
            List<String> only = List.of(System.getProperty("bench.only", "").split(","));
            List<Pair> pairs = pairs().stream().filter(p -> only.stream().anyMatch(p.group::contains)).toList();
            // every side is warmed up before any is measured: a path measured first would still be compiled by the
            // JIT while its twin, used by earlier pairs, is not (measured: /api/login 0.68× first, 0.80× later)
            for (Pair pair : pairs) {
                pair.prepare.run();
                for (Side side : pair.twin == null ? List.of(pair.pack) : List.of(pair.pack, pair.twin)) {
                    run(side, 2 * pair.perRound, new Figures());
                }
            }
            for (Pair pair : pairs) {
                if (!pair.group.equals(group)) {
                    group = pair.group;
                    System.out.println("-- " + group);
                }
                rows.add(measure(pair));
            }
            System.out.println();
        }
        Path json = dir.getParent().resolve("benchmark.json");
        Files.writeString(json, Http.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        System.out.println("figures written to " + json.toAbsolutePath());
    }

    // ---- start time and heap -------------------------------------------------------------------------------------

    private ObjectNode startAndHeap(BenchServer stock) {
        Map<String, List<Long>> starts = new LinkedHashMap<>();
        Map<String, List<Double>> heaps = new LinkedHashMap<>();
        for (int i = 0; i < STARTS; i++) {
            for (BenchServer s : i % 2 == 0 ? List.of(stock, server) : List.of(server, stock)) {
                String name = s == stock ? "Keycloak" : "Keycloak + pack";
                starts.computeIfAbsent(name, k -> new ArrayList<>()).add(s.start(false));
                heaps.computeIfAbsent(name, k -> new ArrayList<>()).add(s.heapAfterGcMiB());
                s.stop();
            }
        }
        ObjectNode out = Http.JSON.createObjectNode();
        System.out.println();
        System.out.printf(Locale.ROOT, "%-30s %22s %26s%n", "server (kc.sh start --optimized)", "start ms (each run)", "heap after start, MiB");
        for (String name : starts.keySet()) {
            System.out.printf(Locale.ROOT, "%-30s %22s %26s%n", name, starts.get(name),
                    heaps.get(name).stream().map(h -> String.format(Locale.ROOT, "%.1f", h)).toList());
            ObjectNode o = out.putObject(name);
            starts.get(name).forEach(o.putArray("start_ms")::add);
            heaps.get(name).forEach(o.putArray("heap_after_gc_mib")::add);
        }
        double stockStart = median(starts.get("Keycloak")), packStart = median(starts.get("Keycloak + pack"));
        double stockHeap = heaps.get("Keycloak").stream().mapToDouble(d -> d).average().orElseThrow();
        double packHeap = heaps.get("Keycloak + pack").stream().mapToDouble(d -> d).average().orElseThrow();
        System.out.printf(Locale.ROOT, "the pack adds %.1f%% to the start time and %.1f MiB to the heap after start%n",
                100 * (packStart - stockStart) / stockStart, packHeap - stockHeap);
        out.put("start_added_percent", 100 * (packStart - stockStart) / stockStart).put("heap_added_mib", packHeap - stockHeap);
        return out;
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
                : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2.0;
    }

    // ---- the realm for the run ------------------------------------------------------------------------------------

    private String clientSecretTokenForm;
    private String machineToken;
    private final AtomicReference<String> userToken = new AtomicReference<>();
    private final AtomicReference<String> serviceToken = new AtomicReference<>();
    private final AtomicInteger knownFailures = new AtomicInteger();
    private final AtomicInteger knownGrantFailures = new AtomicInteger();

    private void setUp() {
        Fixtures.serviceClient(admin, REALM, "bench-client", "bench-secret", Map.of("oauth2.device.authorization.grant.enabled", "true"));
        // the same grant with a real session (a refresh token, so Keycloak persists the session as /api/login must)
        admin.createClient(REALM, """
                {"clientId": "bench-session-client", "publicClient": false, "secret": "bench-secret", "serviceAccountsEnabled": true,
                 "standardFlowEnabled": false, "attributes": {"client_credentials.use_refresh_token": "true"}}""");
        String stockBrowser = null;
        String stockDirectGrant = null;
        for (JsonNode flow : admin.getJson("/realms/" + REALM + "/authentication/flows")) {
            if ("browser".equals(flow.get("alias").asText())) {
                stockBrowser = flow.get("id").asText();
            }
            if ("direct grant".equals(flow.get("alias").asText())) {
                stockDirectGrant = flow.get("id").asText();
            }
        }
        assertNotNull(stockBrowser, "Keycloak's own browser flow is in the realm");
        assertNotNull(stockDirectGrant, "Keycloak's own direct grant flow is in the realm");
        // Keycloak's own direct-grant steps, for the twin of the pack's (authority-direct-grant-*)
        admin.createClient(REALM, """
                {"clientId": "bench-direct-stock", "publicClient": true, "standardFlowEnabled": false, "directAccessGrantsEnabled": true,
                 "authenticationFlowBindingOverrides": {"direct_grant": "%s"}}""".formatted(stockDirectGrant));
        // Keycloak's own login and OTP forms (its stock browser flow) for the twin of /signin and /mfa/verify
        admin.createClient(REALM, """
                {"clientId": "bench-web", "publicClient": true, "standardFlowEnabled": true, "redirectUris": ["%s"],
                 "authenticationFlowBindingOverrides": {"browser": "%s"}}""".formatted(CALLBACK, stockBrowser));
        Fixtures.passwordGrantClient(admin, REALM, "bench-direct");
        clientSecretTokenForm = Http.form(Map.of("grant_type", "client_credentials", "client_id", "bench-client", "client_secret", "bench-secret"));

        List<String> users = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            users.add(user("bench-signin-" + t, false));
            users.add(user("bench-mfa-" + t, false));
            users.add(user("bench-legacy-" + t, true));
        }
        for (int k = 0; k < (ROUNDS + 3) * SLOW; k++) {
            users.add(user("bench-fail-" + k, false));
            users.add(user("bench-grant-fail-" + k, false));
        }
        for (int from = 0; from < users.size(); from += 200) { // each user's password is hashed: parts, not one long request
            Http.Response imported = admin.send("POST", "/realms/" + REALM + "/partialImport", "{\"ifResourceExists\": \"SKIP\", \"users\": ["
                    + String.join(",", users.subList(from, Math.min(users.size(), from + 200))) + "]}");
            assertEquals(200, imported.status(), imported::toString);
        }

        // /api/login: the Auth0 stand-in, the allow-listed machine client; OTP codes may repeat within their window
        // (one user per connection verifies many times a second; the single-use check is still made, it just allows it)
        assertEquals(204, admin.send("PUT", "/realms/" + REALM + "/identity-provider/instances/auth0", issuer.identityProviderJson()).status());
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("authority.legacy-login.audience", AUDIENCE);
        attributes.put("authority.legacy-login.allowed-clients", MACHINE);
        setRealm(attributes, "\"otpPolicyCodeReusable\": true");
        Instant now = Instant.now();
        machineToken = issuer.sign(new JWTClaimsSet.Builder().issuer(issuer.issuer()).audience(AUDIENCE).subject(MACHINE + "@clients")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)))
                .claim("azp", MACHINE).claim("gty", "client-credentials").claim("scope", "legacy:login").build());

        guardRealm(GUARDS_ON, true);
        guardRealm(GUARDS_OFF, false);

        for (int t = 0; t < THREADS; t++) {
            Http http = clients[t];
            http.forgetCookies();
            assertEquals(302, http.postForm("/signin", Map.of("email", email("bench-mfa-" + t), "password", PASSWORD)).status());
            JsonNode setup = http.get("/realms/" + REALM + "/mfa/setup", "Accept", "application/json").json();
            Http.Response enabled = http.postForm("/realms/" + REALM + "/mfa/enable", Map.of("totp_code",
                    Totp.code(setup.get("secret").asText(), 0), "csrf_token", setup.get("csrf_token").asText()));
            assertEquals(302, enabled.status(), enabled::toString);
            mfaSecrets.put(t, setup.get("secret").asText());
        }
    }

    private final Map<Integer, String> mfaSecrets = new ConcurrentHashMap<>();

    /**
     * A realm with what /api/login and the token route need, with or without the guards: the pack realm's legacy
     * login settings and client, its brute-force settings, the Auth0 stand-in, a service-account client and the
     * licensed users; the token route's rate limit on or off, brute-force detection on or off.
     */
    private void guardRealm(String name, boolean guarded) {
        try {
            JsonNode authority = Http.JSON.readTree(KeycloakServer.projectRoot().resolve("realm-config/authority-realm.json").toFile());
            ObjectNode realm = Http.JSON.createObjectNode().put("realm", name).put("enabled", true);
            for (String field : List.of("failureFactor", "waitIncrementSeconds", "quickLoginCheckMilliSeconds",
                    "minimumQuickLoginWaitSeconds", "maxFailureWaitSeconds", "maxDeltaTimeSeconds", "permanentLockout")) {
                if (authority.has(field)) {
                    realm.set(field, authority.get(field));
                }
            }
            realm.put("bruteForceProtected", guarded);
            ObjectNode attributes = realm.putObject("attributes");
            authority.path("attributes").fields().forEachRemaining(e -> {
                if (e.getKey().startsWith("authority.legacy-login.")) {
                    attributes.set(e.getKey(), e.getValue());
                }
            });
            attributes.put("authority.legacy-login.audience", AUDIENCE).put("authority.legacy-login.allowed-clients", MACHINE)
                    .put("authority.rate-limit.token", guarded ? "100000000/60" : "off");
            realm.putObject("roles").putArray("realm").addObject().put("name", "license");
            ArrayNode realmClients = realm.putArray("clients");
            for (JsonNode client : authority.path("clients")) {
                if ("authority-legacy-login".equals(client.path("clientId").asText())) {
                    ObjectNode copy = client.deepCopy();
                    copy.remove("defaultClientScopes"); // the pack realm's own audience scope is not in this realm
                    realmClients.add(copy);
                }
            }
            realmClients.add(Http.JSON.readTree("""
                    {"clientId": "bench-client", "publicClient": false, "secret": "bench-secret", "serviceAccountsEnabled": true,
                     "standardFlowEnabled": false}"""));
            realm.putArray("identityProviders").add(Http.JSON.readTree(issuer.identityProviderJson()));
            ArrayNode users = realm.putArray("users");
            for (int t = 0; t < THREADS; t++) {
                users.add(Http.JSON.readTree(user("bench-legacy-" + t, true)));
            }
            Http.Response created = admin.send("POST", "/realms", realm.toString());
            assertEquals(201, created.status(), created::toString);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String email(String name) {
        return name + "@bench.example.com";
    }

    private static String user(String name, boolean license) {
        return """
                {"username": "%s", "email": "%s", "emailVerified": true, "enabled": true, "firstName": "Bench", "lastName": "User",
                 "credentials": [{"type": "password", "value": "%s", "temporary": false}]%s}"""
                .formatted(email(name), email(name), PASSWORD, license ? ", \"realmRoles\": [\"license\"]" : "");
    }

    /**
     * Sets realm attributes and other realm fields (JSON members) on the whole realm representation: Keycloak applies
     * some groups of fields (the OTP policy) only when the group comes whole.
     */
    private void setRealm(Map<String, String> attributes, String fields) {
        ObjectNode realm = (ObjectNode) admin.getJson("/realms/" + REALM);
        attributes.forEach(((ObjectNode) realm.get("attributes"))::put);
        try {
            realm.setAll((ObjectNode) Http.JSON.readTree("{" + fields + "}"));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
        Http.Response r = admin.send("PUT", "/realms/" + REALM, realm.toString());
        assertEquals(204, r.status(), r::toString);
    }

    // ---- the pairs ------------------------------------------------------------------------------------------------

    private List<Pair> pairs() {
        List<Pair> pairs = new ArrayList<>();
        String json = Json.text("grant_type", "client_credentials", "client_id", "bench-client", "client_secret", "bench-secret");
        String authorize = "?response_type=code&client_id=bench-web&scope=openid&state=s&prompt=none&redirect_uri="
                + URLEncoder.encode(CALLBACK, StandardCharsets.UTF_8) + Pkce.S256_PARAMS; // the realm asks PKCE of public clients; the code is never exchanged
        Runnable freshUserToken = () -> userToken.set(clients[0].postForm(OIDC + "/token", Map.of("grant_type", "password",
                "client_id", "bench-direct", "username", email("bench-signin-0"), "password", PASSWORD, "scope", "openid"))
                .json().get("access_token").asText());
        Runnable freshServiceToken = () -> serviceToken.set(clients[0].send(form(clients[0], OIDC + "/token", clientSecretTokenForm))
                .json().get("access_token").asText());

        String g = "control: the same request on both sides (the method's noise)";
        pairs.add(new Pair(g, get("GET  " + OIDC + "/certs", OIDC + "/certs", 200), get("GET  " + OIDC + "/certs", OIDC + "/certs", 200), FAST));
        pairs.add(new Pair(g, post("POST " + OIDC + "/token, form", OIDC + "/token", "application/x-www-form-urlencoded", clientSecretTokenForm, 200),
                post("POST " + OIDC + "/token, form", OIDC + "/token", "application/x-www-form-urlencoded", clientSecretTokenForm, 200), FAST));

        g = "mapped routes (pack path vs Keycloak's own)";
        pairs.add(new Pair(g, get("GET  /.well-known/jwks.json (host root)", "/.well-known/jwks.json", 200),
                get("GET  " + OIDC + "/certs", OIDC + "/certs", 200), FAST));
        pairs.add(new Pair(g, get("GET  /realms/authority/.well-known/jwks.json", "/realms/authority/.well-known/jwks.json", 200),
                get("GET  " + OIDC + "/certs", OIDC + "/certs", 200), FAST));
        pairs.add(new Pair(g, get("GET  /.well-known/openid-configuration (host root)", "/.well-known/openid-configuration", 200),
                get("GET  /realms/authority/.well-known/openid-configuration", "/realms/authority/.well-known/openid-configuration", 200), FAST));
        pairs.add(new Pair(g, get("GET  /realms/authority/authorize prompt=none", "/realms/authority/authorize" + authorize, 302),
                get("GET  " + OIDC + "/auth prompt=none", OIDC + "/auth" + authorize, 302), FAST));
        pairs.add(new Pair(g, post("POST /oauth/token client_credentials, form (host root)", "/oauth/token", "application/x-www-form-urlencoded", clientSecretTokenForm, 200),
                post("POST " + OIDC + "/token, form", OIDC + "/token", "application/x-www-form-urlencoded", clientSecretTokenForm, 200), FAST));
        pairs.add(new Pair(g, post("POST /realms/authority/token client_credentials, JSON", "/realms/authority/token", "application/json", json, 200),
                post("POST " + OIDC + "/token, form", OIDC + "/token", "application/x-www-form-urlencoded", clientSecretTokenForm, 200), FAST));
        pairs.add(new Pair(g, bearer("GET  /userinfo (host root)", "/userinfo"), bearer("GET  " + OIDC + "/userinfo", OIDC + "/userinfo"),
                FAST, freshUserToken));
        pairs.add(new Pair(g, tokenPost("POST /oauth/introspect (host root)", "/oauth/introspect"),
                tokenPost("POST " + OIDC + "/token/introspect", OIDC + "/token/introspect"), FAST, freshServiceToken));
        pairs.add(new Pair(g, tokenPost("POST /oauth/revoke (host root)", "/oauth/revoke"),
                tokenPost("POST " + OIDC + "/revoke", OIDC + "/revoke"), FAST, freshServiceToken));
        String device = Http.form(Map.of("client_id", "bench-client", "client_secret", "bench-secret"));
        pairs.add(new Pair(g, post("POST /device/code (host root)", "/device/code", "application/x-www-form-urlencoded", device, 200),
                post("POST " + OIDC + "/auth/device", OIDC + "/auth/device", "application/x-www-form-urlencoded", device, 200), FAST));

        g = "legacy login";
        pairs.add(new Pair(g, new Side("POST /api/login (allow-listed machine token)", (http, t, i) -> apiLogin(http, "", t)),
                post("POST " + OIDC + "/token client_credentials", OIDC + "/token", "application/x-www-form-urlencoded", clientSecretTokenForm, 200), FAST));
        String withSession = Http.form(Map.of("grant_type", "client_credentials", "client_id", "bench-session-client", "client_secret", "bench-secret"));
        pairs.add(new Pair(g, new Side("POST /api/login (allow-listed machine token)", (http, t, i) -> apiLogin(http, "", t)),
                post("POST " + OIDC + "/token client_credentials, with a stored session", OIDC + "/token", "application/x-www-form-urlencoded", withSession, 200), FAST));

        g = "sign-in (GET the page, POST the form; one user per connection)";
        pairs.add(new Pair(g, new Side("/realms/authority/signin", this::packSignin), new Side("Keycloak's login form (auth + form)", this::keycloakSignin), SLOW));
        pairs.add(new Pair(g, new Side("POST /mfa/verify (the OTP step)", this::packOtp), new Side("Keycloak's OTP form (the OTP step)", this::keycloakOtp), SLOW));

        g = "enumeration: wrong password, known vs unknown email (must be equal)";
        pairs.add(new Pair(g, new Side("POST /signin known email, wrong password", (http, t, i) -> wrongPassword(http, email("bench-fail-" + knownFailures.getAndIncrement()))),
                new Side("POST /signin unknown email", (http, t, i) -> wrongPassword(http, "nobody-" + System.nanoTime() + "-" + t + "@bench.example.com")),
                SLOW, () -> bcryptTimingCost("")));

        pairs.add(new Pair(g, new Side("POST /realms/authority/token password grant, known email, wrong password",
                (http, t, i) -> wrongGrant(http, "bench-direct", email("bench-grant-fail-" + knownGrantFailures.getAndIncrement()))),
                new Side("POST /realms/authority/token password grant, unknown email",
                        (http, t, i) -> wrongGrant(http, "bench-direct", "nobody-" + System.nanoTime() + "-" + t + "@bench.example.com")),
                SLOW, () -> bcryptTimingCost("")));

        g = "password grant, refused (unknown email): the pack's direct-grant steps vs Keycloak's";
        Side stockGrant = new Side("Keycloak's direct grant flow", (http, t, i) -> wrongGrant(http, "bench-direct-stock",
                "nobody-" + System.nanoTime() + "-" + t + "@bench.example.com"));
        pairs.add(new Pair(g, new Side("the pack's (authority direct grant)", (http, t, i) -> wrongGrant(http, "bench-direct",
                "nobody-" + System.nanoTime() + "-" + t + "@bench.example.com")), stockGrant, SLOW, () -> bcryptTimingCost("")));
        // while imported bcrypt hashes remain, every refused password also pays one bcrypt (PasswordCheckCost)
        pairs.add(new Pair(g, new Side("the pack's, authority.password.bcrypt-timing-cost=10", (http, t, i) -> wrongGrant(http, "bench-direct",
                "nobody-" + System.nanoTime() + "-" + t + "@bench.example.com")), stockGrant, SLOW, () -> bcryptTimingCost("10")));

        g = "the pack's guards (with vs without: two realms alike but for the guard)";
        String on = "/realms/" + GUARDS_ON, off = "/realms/" + GUARDS_OFF;
        pairs.add(new Pair(g, post("token, rate-limit counters on", on + "/protocol/openid-connect/token", "application/x-www-form-urlencoded", clientSecretTokenForm, 200),
                post("token, rate limits off", off + "/protocol/openid-connect/token", "application/x-www-form-urlencoded", clientSecretTokenForm, 200), FAST));
        pairs.add(new Pair(g, new Side("/api/login, brute-force detection on (lockout lookup)", (http, t, i) -> apiLogin(http, on, t)),
                new Side("/api/login, brute-force detection off", (http, t, i) -> apiLogin(http, off, t)), FAST));
        // the malformed-input guard has no switch: the whole round trip of a request it refuses bounds its cost
        pairs.add(new Pair(g, post("POST /oauth/token, charset refused by the guard (whole request)", "/oauth/token",
                "application/x-www-form-urlencoded; charset=no-such-charset", clientSecretTokenForm, 415), null, FAST));
        return pairs;
    }

    private static HttpRequest form(Http http, String path, String body) {
        return http.request(path).header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static Side get(String label, String path, int status) {
        return new Side(label, (http, t, i) -> timed(() -> http.get(path), status));
    }

    private static Side post(String label, String path, String type, String body, int status) {
        return new Side(label, (http, t, i) -> timed(() -> http.send(http.request(path).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build()), status));
    }

    private Side bearer(String label, String path) {
        return new Side(label, (http, t, i) -> timed(() -> http.get(path, "Authorization", "Bearer " + userToken.get()), 200));
    }

    private Side tokenPost(String label, String path) {
        return new Side(label, (http, t, i) -> timed(() -> http.send(form(http, path, Http.form(Map.of("token", serviceToken.get(),
                "client_id", "bench-client", "client_secret", "bench-secret")))), 200));
    }

    /** {@code POST /api/login} at the host root ({@code base} empty) or at a realm's issuer base. */
    private long apiLogin(Http http, String base, int t) throws Unexpected {
        String body = Json.text("email", Base64.getEncoder().encodeToString(email("bench-legacy-" + t).getBytes(StandardCharsets.UTF_8)));
        return timed(() -> http.postJson(base + "/api/login", body, "Authorization", "Bearer " + machineToken), 200);
    }

    private long packSignin(Http http, int t, int i) throws Unexpected {
        http.forgetCookies();
        long t0 = System.nanoTime();
        Http.Response page = expect(http.get("/realms/" + REALM + "/signin"), 200);
        String csrf = FormClient.hiddenInputs(page.body()).get("csrf_token");
        expect(http.postForm("/realms/" + REALM + "/signin", Map.of("email", email("bench-signin-" + t), "password", PASSWORD,
                "csrf_token", csrf)), 302);
        return System.nanoTime() - t0;
    }

    private long keycloakSignin(Http http, int t, int i) throws Unexpected {
        http.forgetCookies();
        long t0 = System.nanoTime();
        Http.Response r = keycloakPasswordStep(http, "bench-signin-" + t);
        expect(r, 302);
        if (!r.header("Location").startsWith(CALLBACK)) {
            throw new Unexpected("302 elsewhere");
        }
        return System.nanoTime() - t0;
    }

    private Http.Response keycloakPasswordStep(Http http, String user) throws Unexpected {
        Http.Response page = expect(http.get(OIDC + "/auth?response_type=code&client_id=bench-web&scope=openid&state=s&redirect_uri="
                + URLEncoder.encode(CALLBACK, StandardCharsets.UTF_8) + Pkce.S256_PARAMS), 200);
        return http.postForm(FormClient.formAction(page.body(), "kc-form-login"), Map.of("username", email(user), "password", PASSWORD,
                "credentialId", ""));
    }

    private long packOtp(Http http, int t, int i) throws Unexpected {
        http.forgetCookies();
        String location = expect(http.postForm("/signin", Map.of("email", email("bench-mfa-" + t), "password", PASSWORD)), 302).header("Location");
        if (!location.contains("tab_id=")) {
            throw new Unexpected("302 without a second step");
        }
        String tab = location.substring(location.indexOf("tab_id=") + 7);
        String code = Totp.code(mfaSecrets.get(t), 0);
        return timed(() -> http.postForm("/realms/" + REALM + "/mfa/verify", Map.of("totp_code", code, "tab_id", tab)), 302);
    }

    private long keycloakOtp(Http http, int t, int i) throws Unexpected {
        http.forgetCookies();
        Http.Response otpPage = expect(keycloakPasswordStep(http, "bench-mfa-" + t), 200);
        String action = FormClient.formAction(otpPage.body(), "kc-otp-login-form");
        String code = Totp.code(mfaSecrets.get(t), 0);
        return timed(() -> http.postForm(action, Map.of("otp", code)), 302);
    }

    private static long wrongPassword(Http http, String email) throws Unexpected {
        http.forgetCookies();
        return timed(() -> http.postForm("/signin", Map.of("email", email, "password", "Wrong-password-1"), "Accept", "application/json"), 401);
    }

    private static long wrongGrant(Http http, String client, String email) throws Unexpected {
        return timed(() -> http.postForm(OIDC + "/token", Map.of("grant_type", "password", "client_id", client,
                "username", email, "password", "Wrong-password-1")), 400);
    }

    /** The realm's bcrypt timing cost for the pairs that follow ("" for none); set before each round of a pair. */
    private void bcryptTimingCost(String cost) {
        if (!cost.equals(admin.getJson("/realms/" + REALM).path("attributes").path("authority.password.bcrypt-timing-cost").asText())) {
            setRealm(Map.of("authority.password.bcrypt-timing-cost", cost), "");
        }
    }

    private interface Call {
        Http.Response send();
    }

    private static long timed(Call call, int status) throws Unexpected {
        long t0 = System.nanoTime();
        Http.Response r = call.send();
        long elapsed = System.nanoTime() - t0;
        expect(r, status);
        return elapsed;
    }

    /** The answer if it has the status; else {@link Unexpected} naming the status and where it sends or why. */
    private static Http.Response expect(Http.Response r, int status) throws Unexpected {
        if (r.status() == status) {
            return r;
        }
        String location = r.header("Location");
        String error = "";
        if (location != null) {
            error = " to " + URI.create(location).getPath();
        } else if (r.body().startsWith("{")) {
            JsonNode json = r.json();
            error = " " + json.path("error").asText(json.path("message").asText(""));
        }
        throw new Unexpected(r.status() + error);
    }

    // ---- measuring ------------------------------------------------------------------------------------------------

    private ObjectNode measure(Pair pair) throws Exception {
        Figures pack = new Figures();
        Figures twin = new Figures();
        int warmup = pair.perRound / 2; // after the global warm-up: the caches as this pair leaves them
        List<Side> sides = pair.twin == null ? List.of(pair.pack) : List.of(pair.pack, pair.twin);
        pair.prepare.run();
        for (Side side : sides) {
            run(side, warmup, new Figures());
        }
        for (int round = 0; round < ROUNDS; round++) {
            pair.prepare.run();
            if (pair.twin == null) {
                run(pair.pack, pair.perRound, pack);
            } else {
                // both sides at once, each connection alternating between them: whatever else the machine does
                // meanwhile weighs on both alike
                runInterleaved(pair, pair.perRound, pack, twin, round);
            }
        }
        ObjectNode row = Http.JSON.createObjectNode();
        row.put("group", pair.group);
        row.set("pack", figures(pair.pack.label, pack));
        if (pair.twin == null) {
            print(pair.pack.label, pack, "", "");
            return row;
        }
        double ratio = pack.perSecond() / twin.perSecond();
        double delta = pack.p(0.5) - twin.p(0.5);
        print(pair.pack.label, pack, String.format(Locale.ROOT, "%.2f×", ratio), String.format(Locale.ROOT, "%+.2f", delta));
        print(pair.twin.label, twin, "", "");
        row.put("ratio", ratio).put("p50_difference_ms", delta);
        row.set("twin", figures(pair.twin.label, twin));
        return row;
    }

    private void run(Side side, int requests, Figures figures) throws Exception {
        AtomicInteger sequence = new AtomicInteger();
        onEveryConnection(thread -> {
            for (int i = thread; i < requests; i += THREADS) {
                sample(side, figures, thread, sequence.getAndIncrement());
            }
        });
    }

    private void runInterleaved(Pair pair, int requestsEach, Figures pack, Figures twin, int round) throws Exception {
        AtomicInteger sequence = new AtomicInteger();
        onEveryConnection(thread -> {
            for (int k = 0; k < 2 * requestsEach / THREADS; k++) {
                boolean packTurn = (k + thread + round) % 2 == 0;
                sample(packTurn ? pair.pack : pair.twin, packTurn ? pack : twin, thread, sequence.getAndIncrement());
            }
        });
    }

    /** Runs {@code work} on each of the {@value #THREADS} connections at once (given its number) and waits for all. */
    private static void onEveryConnection(java.util.function.IntConsumer work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> work.accept(thread)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** One measured request of a side on a connection; an unexpected answer is counted, not measured. */
    private void sample(Side side, Figures figures, int thread, int sequence) {
        try {
            figures.nanos.add(side.probe.run(clients[thread], thread, sequence));
        } catch (Unexpected u) {
            figures.unexpected.merge(u.getMessage(), 1, Integer::sum);
        } catch (Exception | AssertionError e) {
            figures.unexpected.merge(e.getClass().getSimpleName(), 1, Integer::sum);
        }
    }

    private static void print(String label, Figures f, String ratio, String delta) {
        System.out.printf(Locale.ROOT, "%-66s %8.2f %8.2f %9.0f %7s %8s  %s%n", label, f.p(0.5), f.p(0.95), f.perSecond(), ratio, delta,
                f.unexpected.isEmpty() ? "" : new TreeMap<>(f.unexpected).toString());
    }

    private static ObjectNode figures(String label, Figures f) {
        ObjectNode o = Http.JSON.createObjectNode();
        o.put("request", label).put("samples", f.nanos.size()).put("p50_ms", f.p(0.5)).put("p95_ms", f.p(0.95))
                .put("per_second", f.perSecond());
        f.unexpected.forEach(o.putObject("other_answers")::put);
        return o;
    }
}
