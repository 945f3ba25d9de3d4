package dev.authoritypack.it.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authoritypack.it.legacy.TestIssuer;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.ClusterNodes;
import dev.authoritypack.it.support.Database;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.LoadBalancer;
import dev.authoritypack.it.support.MailServer;
import dev.authoritypack.it.support.RealmAttributes;
import dev.authoritypack.it.support.Totp;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the load runs against: two production nodes ({@link ClusterNodes}) behind HAProxy ({@link LoadBalancer}),
 * the suite's SMTP sink, an Auth0 stand-in ({@link TestIssuer}) trusted for {@code /api/login}, and the clients the
 * traffic uses. Every request of the traffic goes to the load balancer; the admin API too, so it survives a node.
 */
public final class LoadRig implements AutoCloseable {

    public static final String REALM = "authority";
    public static final String PASSWORD = "Load-password-1";
    static final String SERVICE = "load-service";
    static final String SERVICE_SECRET = "load-service-secret";
    static final String APP = "load-app";
    static final String APP_REDIRECT = "http://127.0.0.1:9/callback";
    static final String DEVICE = "load-device";
    static final String AUDIENCE = "https://legacy.example.com/api";
    static final String MACHINE = "load-machine";

    final MailServer mail;
    final LoadBalancer proxy;
    final ClusterNodes cluster;
    final AdminApi admin;
    final TestIssuer auth0;
    String resourceServerSecret;
    private AutoCloseable trust;

    private LoadRig(MailServer mail, LoadBalancer proxy, ClusterNodes cluster, TestIssuer auth0) {
        this.mail = mail;
        this.proxy = proxy;
        this.cluster = cluster;
        this.auth0 = auth0;
        this.admin = new AdminApi(proxy.baseUri());
    }

    /**
     * Skips a separate load command ({@code -Pload}) where it cannot run: outside the PostgreSQL execution, without
     * PostgreSQL or without HAProxy. (The short version in the test command, {@code LoadBalancedClusterIT}, has its
     * own rule: there {@code AUTHORITY_IT_PROXY_REQUIRED=1} turns a missing HAProxy into a failure.)
     */
    public static void assumeLoadRunPossible() {
        assumeTrue("postgres".equals(System.getProperty("it.db")), "the load run needs PostgreSQL: it runs in the PostgreSQL execution");
        String unavailable = Database.fromSystemProperty().unavailableReason().orElse(null);
        assumeTrue(unavailable == null, () -> "no PostgreSQL for the load run: " + unavailable);
        assumeTrue(LoadBalancer.unavailableReason().isEmpty(), () -> LoadBalancer.unavailableReason().get());
    }

    /** Starts the mail sink, the two nodes (named after the proxy's port), the proxy, and makes the fixtures. */
    public static LoadRig start(String dirName) throws Exception {
        Path dir = Path.of(System.getProperty("it.log.dir", "target")).resolve(dirName);
        MailServer mail = MailServer.start();
        LoadBalancer proxy = LoadBalancer.prepare(dir);
        ClusterNodes cluster = null;
        TestIssuer auth0 = null;
        try {
            cluster = ClusterNodes.startBehindProxy(mail, dirName, proxy.port());
            proxy.start(cluster.nodes());
            auth0 = new TestIssuer();
            LoadRig rig = new LoadRig(mail, proxy, cluster, auth0);
            rig.fixtures();
            return rig;
        } catch (Exception | AssertionError e) {
            proxy.close();
            if (cluster != null) {
                cluster.close();
            }
            if (auth0 != null) {
                auth0.close();
            }
            mail.stop();
            throw e;
        }
    }

    private void fixtures() {
        Fixtures.serviceClient(admin, REALM, SERVICE, SERVICE_SECRET, Map.of());
        admin.createClient(REALM, Json.text("clientId", APP, "publicClient", true, "standardFlowEnabled", true,
                "redirectUris", Json.array(APP_REDIRECT), "attributes", Map.of("pkce.code.challenge.method", "S256")));
        admin.createClient(REALM, Json.text("clientId", DEVICE, "publicClient", true, "standardFlowEnabled", false,
                "attributes", Map.of("oauth2.device.authorization.grant.enabled", "true")));
        resourceServerSecret = admin.clientSecret(REALM, "authority-resource-server");
        trust = auth0.trustedBy(admin, REALM, AUDIENCE, MACHINE);
        // every request reaches the nodes from the proxy's 127.0.0.1: mails per client address out of the way
        RealmAttributes.set(admin, REALM, Map.of("authority.account.mails-per-client-address", "1000000"));
    }

    public URI baseUri() {
        return proxy.baseUri();
    }

    public ClusterNodes cluster() {
        return cluster;
    }

    public LoadBalancer proxy() {
        return proxy;
    }

    public AdminApi admin() {
        return admin;
    }

    /** A new user with the load's password. */
    String user(String prefix) {
        return Fixtures.user(admin, REALM, prefix, PASSWORD);
    }

    /** A new user allowed to be signed in by {@code /api/login} (the realm's {@code license} role). */
    String legacyUser(String prefix) {
        String email = user(prefix);
        String id = Fixtures.userId(admin, REALM, email);
        admin.send("POST", "/realms/" + REALM + "/users/" + id + "/role-mappings/realm", "[" + admin.getJson("/realms/" + REALM + "/roles/license") + "]");
        return email;
    }

    /** A new user with TOTP and backup codes enabled (as MfaIT does it); its secret and codes. */
    MfaUser mfaUser(String prefix) {
        String email = user(prefix);
        Http browser = new Http(baseUri());
        Http.Response signin = browser.postForm("/signin", Map.of("email", email, "password", PASSWORD));
        if (signin.status() != 302) {
            throw new AssertionError("sign-in of " + email + ": " + signin);
        }
        JsonNode setup = browser.get("/realms/authority/mfa/setup", "Accept", "application/json").json();
        String secret = setup.get("secret").asText();
        String code = Totp.code(secret, 0);
        Http.Response enabled = browser.postForm("/realms/authority/mfa/enable", Map.of("totp_code", code, "csrf_token", setup.get("csrf_token").asText()));
        if (enabled.status() != 302) {
            throw new AssertionError("MFA setup of " + email + ": " + enabled);
        }
        List<String> codes = new ArrayList<>();
        setup.get("backup_codes").forEach(c -> codes.add(c.asText()));
        return new MfaUser(email, secret, codes, code);
    }

    record MfaUser(String email, String secret, List<String> backupCodes, String enablingCode) {
    }

    @Override
    public void close() {
        try {
            if (trust != null && cluster.nodes().stream().anyMatch(ClusterNodes.Node::isRunning)) {
                trust.close();
            }
        } catch (Exception | AssertionError e) {
            System.err.println("[load] cannot restore the realm: " + e);
        }
        proxy.close();
        cluster.close();
        try {
            auth0.close();
        } catch (Exception e) {
            // its site stops with the JVM anyway
        }
        mail.stop();
    }

    /**
     * Keycloak's login-failure record of a user as the node behind {@code admin} reads its own copy (the admin API's
     * attack detection, which reads {@code UserLoginFailureProvider} and changes nothing).
     */
    static com.fasterxml.jackson.databind.JsonNode loginFailures(AdminApi admin, String userId) {
        return admin.getJson("/realms/" + REALM + "/attack-detection/brute-force/users/" + userId);
    }

    static void sleep(long millis) {
        KeycloakServer.sleep(millis);
    }
}
