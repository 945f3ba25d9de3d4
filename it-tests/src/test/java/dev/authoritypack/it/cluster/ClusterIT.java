package dev.authoritypack.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authoritypack.it.legacy.TestIssuer;
import dev.authoritypack.it.support.ApiTraffic;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.ClusterNodes;
import dev.authoritypack.it.support.Database;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.MailServer;
import dev.authoritypack.it.support.Pkce;
import dev.authoritypack.it.support.RealmAttributes;
import dev.authoritypack.it.support.Totp;
import dev.authoritypack.it.hardening.RateLimitIT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two Keycloak nodes with the pack on one PostgreSQL database ({@link ClusterNodes}): what the pack keeps must hold
 * across nodes. Runs once, in the PostgreSQL run of the suite.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@org.junit.jupiter.api.extension.ExtendWith(ApiTraffic.class)
class ClusterIT {

    private static final String REALM = "authority";
    private static final String PASSWORD = "Cluster-password-1";

    private static MailServer mail;
    private static ClusterNodes cluster;
    private static AdminApi admin;

    @BeforeAll
    static void startTwoNodes() {
        assumeTrue("postgres".equals(System.getProperty("it.db")), "the cluster runs once, in the PostgreSQL run of the suite");
        String unavailable = Database.fromSystemProperty().unavailableReason().orElse(null);
        assumeTrue(unavailable == null, () -> "no PostgreSQL for the cluster: " + unavailable);
        mail = MailServer.start();
        cluster = ClusterNodes.start(mail);
        admin = cluster.admin();
        admin.createClient(REALM, """
                {"clientId": "%s", "secret": "%s", "publicClient": false, "directAccessGrantsEnabled": true, "standardFlowEnabled": false}
                """.formatted(CLIENT, CLIENT_SECRET));
        System.err.println("[cluster] nodes at " + cluster.a().baseUri() + " and " + cluster.b().baseUri());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (mail != null) {
            mail.stop();
        }
    }

    private static String user(String prefix) {
        return Fixtures.user(admin, REALM, prefix, PASSWORD);
    }

    private static String authorize(String frontend) {
        return "/realms/authority/protocol/openid-connect/auth?response_type=code&client_id=account-console&redirect_uri="
                + frontend + "/realms/authority/account/&scope=openid&state=s&prompt=none" + Pkce.S256_PARAMS;
    }

    @Test
    void aSignInOnOneNodeIsASessionOnTheOtherAndSignOutOnTheOtherEndsIt() {
        String email = user("sso");
        Http browser = new Http(cluster.a().baseUri());
        assertEquals(302, browser.postForm("/signin", Map.of("email", email, "password", PASSWORD)).status());
        String frontend = cluster.a().baseUri().toString();
        Http.Response onB = browser.get(cluster.b().baseUri() + authorize(frontend));
        assertEquals(302, onB.status(), onB::toString);
        assertTrue(onB.header("Location").contains("code="), "node B knows the SSO session of node A: " + onB.header("Location"));

        Http.Response out = browser.send(browser.request(cluster.b().baseUri() + "/realms/authority/signout")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        assertTrue(out.status() == 302 || out.status() == 303 || out.status() == 200, out::toString);
        Http.Response onA = browser.get(cluster.a().baseUri() + authorize(frontend));
        assertTrue(onA.header("Location").contains("error=login_required"), "signed out on A too: " + onA.header("Location"));
    }

    @Test
    void failuresSpreadOverBothNodesLockKnownAndUnknownEmailsAlike() throws Exception {
        JsonNode realm = admin.getJson("/realms/" + REALM);
        int factor = realm.get("failureFactor").asInt();
        for (String email : List.of(user("spread"), "nobody-" + System.nanoTime() + "@example.com")) {
            for (int i = 0; i < factor; i++) {
                Http http = new Http(i % 2 == 0 ? cluster.a().baseUri() : cluster.b().baseUri());
                Http.Response r = http.postForm("/signin", Map.of("email", email, "password", "wrong-" + i), "Accept", "application/json");
                assertEquals(401, r.status(), "failure " + (i + 1) + " of " + factor + ": " + r);
                Thread.sleep(1_100); // the realm's quick-login check locks on two failures within a second
            }
            Thread.sleep(500); // Keycloak records a failure after answering
            List<Long> retryAfters = new ArrayList<>();
            for (ClusterNodes.Node node : List.of(cluster.a(), cluster.b())) {
                Http.Response r = new Http(node.baseUri()).postForm("/signin", Map.of("email", email, "password", PASSWORD), "Accept", "application/json");
                assertEquals(423, r.status(), email + " on " + node.baseUri() + ": " + r);
                long retryAfter = Long.parseLong(r.header("Retry-After"));
                assertTrue(retryAfter > 0 && retryAfter <= realm.get("waitIncrementSeconds").asInt(), r::toString);
                retryAfters.add(retryAfter);
            }
            assertTrue(Math.abs(retryAfters.get(0) - retryAfters.get(1)) <= 1, "both nodes name the same end of the lockout: " + retryAfters);
        }
    }

    @Test
    void backupCodesAreSingleUseAcrossNodes() throws Exception {
        String email = user("codes");
        Http browser = new Http(cluster.a().baseUri());
        assertEquals(302, browser.postForm("/signin", Map.of("email", email, "password", PASSWORD)).status());
        JsonNode setup = browser.get("/realms/authority/mfa/setup", "Accept", "application/json").json();
        Http.Response enabled = browser.postForm("/realms/authority/mfa/enable", Map.of(
                "totp_code", Totp.code(setup.get("secret").asText(), 0), "csrf_token", setup.get("csrf_token").asText()));
        assertEquals(302, enabled.status(), enabled::toString);
        List<String> codes = new ArrayList<>();
        setup.get("backup_codes").forEach(c -> codes.add(c.asText()));

        // the same code on A and B at once: one sign-in only
        List<Integer> same = verifyAtOnce(email, List.of(codes.get(0), codes.get(0)));
        assertEquals(1, same.stream().filter(s -> s == 302).count(), "exactly one success: " + same);
        Thread.sleep(1_100);
        // two different codes on A and B at once: both work, and neither comes back
        List<Integer> different = verifyAtOnce(email, List.of(codes.get(1), codes.get(2)));
        assertEquals(List.of(302, 302), different);
        Thread.sleep(1_000); // the repair after each commit
        String id = admin.getJson("/realms/" + REALM + "/users?exact=true&email=" + email).get(0).get("id").asText();
        int remaining = 0;
        for (JsonNode c : admin.getJson("/realms/" + REALM + "/users/" + id + "/credentials")) {
            if (c.get("type").asText().equals("recovery-authn-codes")) {
                remaining = Http.JSON.readTree(c.get("credentialData").asText()).get("remainingCodes").asInt();
            }
        }
        assertEquals(codes.size() - 3, remaining, "three codes used, none came back");
    }

    private static final String CLIENT = "cluster-it";
    private static final String CLIENT_SECRET = "cluster-it-secret-1";

    private static Http.Response token(ClusterNodes.Node node, Map<String, String> form) {
        Map<String, String> all = new java.util.HashMap<>(form);
        all.put("client_id", CLIENT);
        all.put("client_secret", CLIENT_SECRET);
        return new Http(node.baseUri()).postForm("/realms/authority/protocol/openid-connect/token", all);
    }

    @Test
    void tokensFromOneNodeRefreshAndRevokeOnTheOther() {
        String email = user("tokens");
        Http.Response issued = token(cluster.a(), Map.of("grant_type", "password", "username", email, "password", PASSWORD));
        assertEquals(200, issued.status(), issued::toString);
        String refresh = issued.json().get("refresh_token").asText();
        Http.Response refreshed = token(cluster.b(), Map.of("grant_type", "refresh_token", "refresh_token", refresh));
        assertEquals(200, refreshed.status(), "a refresh token of node A works on node B: " + refreshed);
        String latest = refreshed.json().get("refresh_token").asText();
        String rsSecret = admin.clientSecret(REALM, "authority-resource-server");
        Http.Response introspected = new Http(cluster.b().baseUri()).postForm("/oauth/introspect", Map.of(
                "token", issued.json().get("access_token").asText(), "client_id", "authority-resource-server", "client_secret", rsSecret));
        assertTrue(introspected.json().get("active").asBoolean(), "node A's access token is active at node B's introspection: " + introspected);
        Http.Response revoked = new Http(cluster.b().baseUri()).postForm("/oauth/revoke",
                Map.of("token", latest, "token_type_hint", "refresh_token", "client_id", CLIENT, "client_secret", CLIENT_SECRET));
        assertEquals(200, revoked.status(), revoked::toString);
        Http.Response afterRevoke = token(cluster.a(), Map.of("grant_type", "refresh_token", "refresh_token", latest));
        assertEquals(400, afterRevoke.status(), "revoked on B is revoked on A: " + afterRevoke);
    }

    @Test
    void aTotpCodeUsedOnOneNodeIsRefusedOnTheOtherAndSetupStartedOnOneEndsOnTheOther() throws Exception {
        String email = user("totp");
        Http browser = new Http(cluster.a().baseUri());
        assertEquals(302, browser.postForm("/signin", Map.of("email", email, "password", PASSWORD)).status());
        // the pending setup of node A, enabled through node B (same browser: the SSO session is shared)
        JsonNode setup = browser.get("/realms/authority/mfa/setup", "Accept", "application/json").json();
        String secret = setup.get("secret").asText();
        Http.Response enabled = browser.postForm(cluster.b().baseUri() + "/realms/authority/mfa/enable",
                Map.of("totp_code", Totp.code(secret, 0), "csrf_token", setup.get("csrf_token").asText()));
        assertEquals(302, enabled.status(), "setup started on A, enabled on B: " + enabled);

        // the next window's code (the realm's look-ahead accepts it): the enabling code itself is used up
        String code = Totp.code(secret, 1);
        List<Http> browsers = new ArrayList<>();
        List<String> tabs = pendingSignins(email, browsers);
        Http.Response onA = browsers.get(0).postForm("/realms/authority/mfa/verify", Map.of("totp_code", code, "tab_id", tabs.get(0)));
        Http.Response onB = browsers.get(1).postForm("/realms/authority/mfa/verify", Map.of("totp_code", code, "tab_id", tabs.get(1)));
        assertEquals(302, onA.status(), onA::toString);
        assertEquals(401, onB.status(), "the code used on A is refused on B: " + onB);
    }

    @Test
    void anApiLoginTokenOfOneNodeIsActiveOnTheOtherAndOneRevocationEndsIt() throws Exception {
        try (TestIssuer auth0 = new TestIssuer()) {
            Http.Response idp = admin.send("PUT", "/realms/" + REALM + "/identity-provider/instances/auth0", auth0.identityProviderJson());
            assertEquals(204, idp.status(), idp::toString);
            com.fasterxml.jackson.databind.node.ObjectNode attributes = ((com.fasterxml.jackson.databind.node.ObjectNode)
                    admin.getJson("/realms/" + REALM).get("attributes")).deepCopy();
            attributes.put("authority.legacy-login.audience", "https://legacy.example.com/api");
            attributes.put("authority.legacy-login.allowed-clients", "machine-client");
            assertEquals(204, admin.send("PUT", "/realms/" + REALM, Json.text("attributes", attributes)).status());
            String email = user("legacy");
            String id = admin.getJson("/realms/" + REALM + "/users?exact=true&email=" + email).get(0).get("id").asText();
            admin.send("POST", "/realms/" + REALM + "/users/" + id + "/role-mappings/realm", "[" + admin.getJson("/realms/" + REALM + "/roles/license") + "]");

            java.time.Instant now = java.time.Instant.now();
            String machine = auth0.sign(new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer(auth0.issuer()).audience("https://legacy.example.com/api")
                    .subject("machine-client@clients").issueTime(java.util.Date.from(now)).expirationTime(java.util.Date.from(now.plusSeconds(300)))
                    .claim("azp", "machine-client").claim("gty", "client-credentials").claim("scope", "legacy:login").build());
            String b64 = java.util.Base64.getEncoder().encodeToString(email.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Http.Response login = new Http(cluster.a().baseUri()).postJson("/api/login", Json.text("email", b64), "Authorization", "Bearer " + machine);
            assertEquals(200, login.status(), login::toString);
            String token = login.json().get("token").asText();

            String rsSecret = admin.clientSecret(REALM, "authority-resource-server");
            Map<String, String> introspect = Map.of("token", token, "client_id", "authority-resource-server", "client_secret", rsSecret);
            Http.Response onB = new Http(cluster.b().baseUri()).postForm("/oauth/introspect", introspect);
            assertTrue(onB.json().get("active").asBoolean(), "node A's /api/login token is active on node B: " + onB);

            String legacySecret = admin.clientSecret(REALM, "authority-legacy-login");
            Http.Response revoked = new Http(cluster.a().baseUri()).postForm("/oauth/revoke",
                    Map.of("token", token, "client_id", "authority-legacy-login", "client_secret", legacySecret));
            assertEquals(200, revoked.status(), revoked::toString);
            assertTrue(!new Http(cluster.b().baseUri()).postForm("/oauth/introspect", introspect).json().get("active").asBoolean(),
                    "one revocation on A ends it on B");
        }
    }

    @Test
    void rateLimitCountersAreSharedByBothNodes() throws Exception {
        Map<String, String> previous = RealmAttributes.set(admin, REALM, Map.of("authority.rate-limit.api-login", "20/" + RateLimitIT.safeWindow()));
        try {
            Thread.sleep(1_000); // node B drops its cached realm on node A's invalidation message
            ExecutorService pool = Executors.newFixedThreadPool(60);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Http.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                ClusterNodes.Node node = i % 2 == 0 ? cluster.a() : cluster.b();
                answers.add(pool.submit(() -> {
                    start.await();
                    return new Http(node.baseUri()).postJson("/api/login", "{}");
                }));
            }
            start.countDown();
            int allowed = 0;
            for (Future<Http.Response> f : answers) {
                Http.Response r = f.get();
                assertEquals("20", r.header("X-RateLimit-Limit"), r::toString);
                allowed += r.status() == 429 ? 0 : 1;
            }
            pool.shutdown();
            assertEquals(20, allowed, "one budget for the cluster: 60 requests over both nodes, 20 allowed");
        } finally {
            RealmAttributes.set(admin, REALM, previous);
        }
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void killingANodeLosesNoSessionLockoutOrCode() throws Exception {
        String signedIn = user("survivor");
        Http browser = new Http(cluster.a().baseUri());
        assertEquals(302, browser.postForm("/signin", Map.of("email", signedIn, "password", PASSWORD)).status());
        String locked = "nobody-kill-" + System.nanoTime() + "@example.com";
        int factor = admin.getJson("/realms/" + REALM).get("failureFactor").asInt();
        for (int i = 0; i < factor; i++) {
            new Http(cluster.a().baseUri()).postForm("/signin", Map.of("email", locked, "password", "wrong-" + i));
            Thread.sleep(1_100);
        }
        Thread.sleep(500);
        // a second factor whose current code is used on A before the kill
        String mfaUser = user("mfa-survivor");
        Http mfaBrowser = new Http(cluster.a().baseUri());
        assertEquals(302, mfaBrowser.postForm("/signin", Map.of("email", mfaUser, "password", PASSWORD)).status());
        JsonNode setup = mfaBrowser.get("/realms/authority/mfa/setup", "Accept", "application/json").json();
        String usedCode = Totp.code(setup.get("secret").asText(), 0);
        assertEquals(302, mfaBrowser.postForm("/realms/authority/mfa/enable",
                Map.of("totp_code", usedCode, "csrf_token", setup.get("csrf_token").asText())).status());

        // a bounded load on both nodes (sign-ins and password grants, 4 clients, 12 s); node A is killed after 4 s
        List<String> loadUsers = List.of(user("load0"), user("load1"), user("load2"), user("load3")); // one per client
        Map<String, java.util.concurrent.atomic.AtomicInteger> answers = new java.util.concurrent.ConcurrentHashMap<>();
        long started = System.currentTimeMillis();
        long[] killedAt = {0};
        ExecutorService load = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int worker = w;
            workers.add(load.submit(() -> {
                for (int n = 0; System.currentTimeMillis() - started < 12_000; n++) {
                    ClusterNodes.Node node = (n + worker) % 2 == 0 ? cluster.a() : cluster.b();
                    String label = node == cluster.a() ? "A" : "B";
                    boolean afterKill = killedAt[0] > 0;
                    String outcome;
                    try {
                        Http http = new Http(node.baseUri());
                        Http.Response r = n % 3 == 0
                                ? token(node, Map.of("grant_type", "password", "username", loadUsers.get(worker), "password", PASSWORD))
                                : http.postForm("/signin", Map.of("email", loadUsers.get(worker), "password", PASSWORD));
                        outcome = String.valueOf(r.status());
                    } catch (RuntimeException e) {
                        outcome = "no answer";
                    }
                    answers.computeIfAbsent(label + (afterKill ? " after kill " : " before kill ") + outcome,
                            k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                }
            }));
        }
        Thread.sleep(4_000);
        cluster.a().kill(); // SIGKILL: no goodbye to the cluster
        killedAt[0] = System.currentTimeMillis();
        for (Future<?> f : workers) {
            f.get();
        }
        load.shutdown();
        System.err.println("[cluster] answers during the kill: " + new java.util.TreeMap<>(answers));
        assertTrue(answers.keySet().stream().noneMatch(k -> k.startsWith("B") && (k.endsWith(" 500") || k.endsWith(" 502") || k.endsWith(" 503")
                || k.endsWith("no answer"))), "node B kept answering without 5xx: " + answers);
        // sign-ins and grants both: an attempt in flight on A when it died keeps its email's claim for up to 10 s
        assertTrue(answers.keySet().stream().anyMatch(k -> k.startsWith("B after kill 302") || k.startsWith("B after kill 200")),
                "node B served sign-ins or grants after the kill: " + answers);

        String frontend = cluster.a().baseUri().toString();
        Http.Response onB = browser.get(cluster.b().baseUri() + authorize(frontend));
        assertTrue(onB.header("Location") != null && onB.header("Location").contains("code="), "the SSO session made on A lives on B: " + onB);
        Http.Response lockedOnB = new Http(cluster.b().baseUri()).postForm("/signin", Map.of("email", locked, "password", PASSWORD),
                "Accept", "application/json");
        assertEquals(423, lockedOnB.status(), "the lockout counted on A holds on B: " + lockedOnB);
        Http second = new Http(cluster.b().baseUri());
        String location = second.postForm("/signin", Map.of("email", mfaUser, "password", PASSWORD)).header("Location");
        Http.Response replay = second.postForm("/realms/authority/mfa/verify",
                Map.of("totp_code", usedCode, "tab_id", location.substring(location.indexOf("tab_id=") + 7)));
        assertEquals(401, replay.status(), "the code used on A before the kill stays used on B: " + replay);

        long restart = System.currentTimeMillis();
        cluster.a().restart();
        System.err.println("[cluster] node A restarted and answers after " + (System.currentTimeMillis() - restart) + " ms");
        Http.Response backOnA = browser.get(cluster.a().baseUri() + authorize(frontend));
        assertTrue(backOnA.header("Location") != null && backOnA.header("Location").contains("code="),
                "the restarted node serves the same SSO session: " + backOnA);
        Http.Response lockedOnA = new Http(cluster.a().baseUri()).postForm("/signin", Map.of("email", locked, "password", PASSWORD),
                "Accept", "application/json");
        assertEquals(423, lockedOnA.status(), "and the same lockout: " + lockedOnA);
    }

    /** Signs in with the password on A, then on B, each in a browser of its own; the tabs of the pending sign-ins. */
    private static List<String> pendingSignins(String email, List<Http> browsers) throws InterruptedException {
        List<String> tabs = new ArrayList<>();
        for (ClusterNodes.Node node : List.of(cluster.a(), cluster.b())) {
            Http http = new Http(node.baseUri());
            Http.Response r = http.postForm("/signin", Map.of("email", email, "password", PASSWORD));
            assertEquals(302, r.status(), r::toString);
            String location = r.header("Location");
            tabs.add(location.substring(location.indexOf("tab_id=") + 7));
            browsers.add(http);
            Thread.sleep(200); // one after the other: the second attempt must not meet the first one's claim
        }
        return tabs;
    }

    /** Signs in with the password on A and on B, then submits one code per node at the same moment. */
    private static List<Integer> verifyAtOnce(String email, List<String> codesPerNode) throws Exception {
        List<Http> browsers = new ArrayList<>();
        List<String> tabs = pendingSignins(email, browsers);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int k = i;
            answers.add(pool.submit(() -> {
                start.await();
                return browsers.get(k).postForm("/realms/authority/mfa/verify", Map.of("totp_code", codesPerNode.get(k), "tab_id", tabs.get(k))).status();
            }));
        }
        start.countDown();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : answers) {
            statuses.add(f.get());
        }
        pool.shutdown();
        return statuses;
    }
}
