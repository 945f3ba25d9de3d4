package dev.authoritypack.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authoritypack.it.signin.MfaIT;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.ClusterNodes;
import dev.authoritypack.it.support.Database;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.MailServer;
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
class ClusterIT {

    private static final String REALM = "authority";
    private static final String PASSWORD = "Cluster-password-1";
    private static final String S256_CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

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
        String email = prefix + "-" + System.nanoTime() + "@example.com";
        admin.createUser(REALM, email, PASSWORD);
        return email;
    }

    private static String authorize(String frontend) {
        return "/realms/authority/protocol/openid-connect/auth?response_type=code&client_id=account-console&redirect_uri="
                + frontend + "/realms/authority/account/&scope=openid&state=s&prompt=none&code_challenge=" + S256_CHALLENGE
                + "&code_challenge_method=S256";
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
            for (ClusterNodes.Node node : List.of(cluster.a(), cluster.b())) {
                Http.Response r = new Http(node.baseUri()).postForm("/signin", Map.of("email", email, "password", PASSWORD), "Accept", "application/json");
                assertEquals(423, r.status(), email + " on " + node.baseUri() + ": " + r);
                long retryAfter = Long.parseLong(r.header("Retry-After"));
                assertTrue(retryAfter > 0 && retryAfter <= realm.get("waitIncrementSeconds").asInt(), r::toString);
            }
        }
    }

    @Test
    void backupCodesAreSingleUseAcrossNodes() throws Exception {
        String email = user("codes");
        Http browser = new Http(cluster.a().baseUri());
        assertEquals(302, browser.postForm("/signin", Map.of("email", email, "password", PASSWORD)).status());
        JsonNode setup = browser.get("/realms/authority/mfa/setup", "Accept", "application/json").json();
        Http.Response enabled = browser.postForm("/realms/authority/mfa/enable", Map.of(
                "totp_code", MfaIT.totp(setup.get("secret").asText(), 0), "csrf_token", setup.get("csrf_token").asText()));
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
        admin.createClient(REALM, """
                {"clientId": "%s", "secret": "%s", "publicClient": false, "directAccessGrantsEnabled": true, "standardFlowEnabled": false}
                """.formatted(CLIENT, CLIENT_SECRET));
        String email = user("tokens");
        Http.Response issued = token(cluster.a(), Map.of("grant_type", "password", "username", email, "password", PASSWORD));
        assertEquals(200, issued.status(), issued::toString);
        String refresh = issued.json().get("refresh_token").asText();
        Http.Response refreshed = token(cluster.b(), Map.of("grant_type", "refresh_token", "refresh_token", refresh));
        assertEquals(200, refreshed.status(), "a refresh token of node A works on node B: " + refreshed);
        String latest = refreshed.json().get("refresh_token").asText();
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
                Map.of("totp_code", MfaIT.totp(secret, 0), "csrf_token", setup.get("csrf_token").asText()));
        assertEquals(302, enabled.status(), "setup started on A, enabled on B: " + enabled);

        // the next window's code (the realm's look-ahead accepts it): the enabling code itself is used up
        String code = MfaIT.totp(secret, 1);
        List<Http> browsers = new ArrayList<>();
        List<String> tabs = new ArrayList<>();
        for (ClusterNodes.Node node : List.of(cluster.a(), cluster.b())) {
            Http http = new Http(node.baseUri());
            Http.Response r = http.postForm("/signin", Map.of("email", email, "password", PASSWORD));
            String location = r.header("Location");
            tabs.add(location.substring(location.indexOf("tab_id=") + 7));
            browsers.add(http);
        }
        Http.Response onA = browsers.get(0).postForm("/realms/authority/mfa/verify", Map.of("totp_code", code, "tab_id", tabs.get(0)));
        Http.Response onB = browsers.get(1).postForm("/realms/authority/mfa/verify", Map.of("totp_code", code, "tab_id", tabs.get(1)));
        assertEquals(302, onA.status(), onA::toString);
        assertEquals(401, onB.status(), "the code used on A is refused on B: " + onB);
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

        cluster.a().kill(); // SIGKILL: no goodbye to the cluster

        String frontend = cluster.a().baseUri().toString();
        Http.Response onB = browser.get(cluster.b().baseUri() + authorize(frontend));
        assertTrue(onB.header("Location") != null && onB.header("Location").contains("code="), "the SSO session made on A lives on B: " + onB);
        Http.Response lockedOnB = new Http(cluster.b().baseUri()).postForm("/signin", Map.of("email", locked, "password", PASSWORD),
                "Accept", "application/json");
        assertEquals(423, lockedOnB.status(), "the lockout counted on A holds on B: " + lockedOnB);
    }

    /** Signs in with the password on A and on B, then submits one code per node at the same moment. */
    private static List<Integer> verifyAtOnce(String email, List<String> codesPerNode) throws Exception {
        List<ClusterNodes.Node> nodes = List.of(cluster.a(), cluster.b());
        List<Http> browsers = new ArrayList<>();
        List<String> tabs = new ArrayList<>();
        for (ClusterNodes.Node node : nodes) {
            Http http = new Http(node.baseUri());
            Http.Response r = http.postForm("/signin", Map.of("email", email, "password", PASSWORD));
            assertEquals(302, r.status(), r::toString);
            String location = r.header("Location");
            tabs.add(location.substring(location.indexOf("tab_id=") + 7));
            browsers.add(http);
            Thread.sleep(200);
        }
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
