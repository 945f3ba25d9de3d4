package dev.authoritypack.it.containers;

import com.fasterxml.jackson.databind.JsonNode;
import dasniko.testcontainers.keycloak.KeycloakContainer;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.ApiTraffic;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.representations.idm.PartialImportRepresentation;
import org.keycloak.util.JsonSerialization;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.MountableFile;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pack the way its users test Keycloak: Testcontainers' {@link KeycloakContainer} (testcontainers-keycloak) on
 * Keycloak's image, the pack's jars and theme in {@code providers/}, {@code realm-config/authority-realm.json}
 * imported by Keycloak's own {@code --import-realm}, production start ({@code start}: HTTP enabled, no hostname
 * pinned, Keycloak's defaults otherwise). Every check goes through the container's mapped port.
 * <p>
 * The part between {@code example:begin} and {@code example:end} is the example of docs/testcontainers.md, quoted
 * there verbatim (TestcontainersDocTest checks it): an application's client and test user added to the pack's realm,
 * then tokens for them. The engine (podman's Docker API where there is no Docker) and the image:
 * {@link ContainerEngine}.
 */
@ExtendWith({ContainerEngine.class, ApiTraffic.class})
@Testcontainers
class PackContainerIT {

    // example:begin
    @Container
    static final KeycloakContainer keycloak = new KeycloakContainer("quay.io/keycloak/keycloak:26.7.4")
            .withProviderLibsFrom(jarsIn("target/pack-providers"))
            .withCopyFileToContainer(MountableFile.forHostPath("../realm-config/authority-realm.json"),
                    "/opt/keycloak/data/import/authority-realm.json")
            .withProductionMode()
            .withEnv("KC_HTTP_ENABLED", "true")
            .withEnv("KC_HOSTNAME_STRICT", "false");

    @BeforeAll
    static void addMyApp() throws IOException {
        try (Keycloak admin = keycloak.getKeycloakAdminClient();
             InputStream file = Files.newInputStream(Path.of("src/test/containers/my-app.json"))) {
            PartialImportRepresentation myApp = JsonSerialization.readValue(file, PartialImportRepresentation.class);
            myApp.setIfResourceExists("SKIP");
            try (Response answer = admin.realm("authority").partialImport(myApp)) {
                assertEquals(200, answer.getStatus(), answer.readEntity(String.class));
            }
        }
    }

    @Test
    void myServiceGetsAToken() {
        String token = keycloak.getClientCredentialsToken("authority", "my-app", "my-app-secret");
        assertFalse(token.isBlank()); // your application under test receives it as "Authorization: Bearer ..."
    }

    @Test
    void myTestUserGetsAToken() {
        String token = keycloak.getAccessToken("authority", "my-app", "my-app-secret", "tester@my-app.example", "Tester-password-1");
        assertFalse(token.isBlank());
    }

    static List<File> jarsIn(String directory) {
        return Arrays.asList(new File(directory).listFiles((dir, name) -> name.endsWith(".jar")));
    }
    // example:end

    private static final String REALM = "authority";
    private static final String PASSWORD = "Container-password-1";
    private static final Path LOG = Path.of(System.getProperty("it.log.dir", "target"), "keycloak-container.log");

    // the suite's settings beside the example's: the admin its AdminApi signs in as, the suite's start timeout
    // (a busy machine), the container's output in target/ as the suite keeps its servers' logs
    static {
        try {
            Files.deleteIfExists(LOG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keycloak.withAdminUsername(KeycloakServer.ADMIN_USER)
                .withAdminPassword(KeycloakServer.ADMIN_PASSWORD)
                .withStartupTimeout(Duration.ofMinutes(Long.getLong("it.start.minutes", 4)))
                .withLogConsumer(frame -> appendLog(frame.getUtf8String()));
    }

    private static void appendLog(String text) {
        try {
            Files.writeString(LOG, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The suite's OpenAPI check (ApiTraffic) sees every exchange with the container's mapped port too. */
    @BeforeAll
    static void checkTrafficAgainstTheOpenApiDocument() {
        ApiTraffic.server(keycloak.getMappedPort(8080));
    }

    private static String base() {
        return keycloak.getAuthServerUrl();
    }

    private static Http http() {
        return new Http(URI.create(base()));
    }

    private static AdminApi admin() {
        return new AdminApi(URI.create(base()));
    }

    @Test
    void theExampleRunsThePacksVersionOfKeycloak() {
        assertEquals(ContainerEngine.IMAGE, keycloak.getDockerImageName(),
                "the example (and docs/testcontainers.md) pins the image of <keycloak.version> in pom.xml");
    }

    @Test
    void discoveryAtTheRealmAndAtTheHostRootNamesTheRealmIssuer() {
        Http.Response atRealm = http().get("/realms/" + REALM + "/.well-known/openid-configuration");
        Http.Response atRoot = http().get("/.well-known/openid-configuration");
        assertEquals(200, atRealm.status(), atRealm::toString);
        assertEquals(200, atRoot.status(), atRoot::toString);
        String issuer = base() + "/realms/" + REALM;
        assertEquals(issuer, atRealm.json().get("issuer").asText(), "the issuer of the mapped port");
        assertEquals(issuer, atRoot.json().get("issuer").asText(), "the host root names the same issuer");
        assertEquals(atRealm.json().get("token_endpoint"), atRoot.json().get("token_endpoint"));
    }

    @Test
    void clientCredentialsAtOauthToken() {
        Http.Response token = http().postForm("/oauth/token", Map.of("grant_type", "client_credentials",
                "client_id", "my-app", "client_secret", "my-app-secret"));
        assertEquals(200, token.status(), token::toString);
        assertEquals("Bearer", token.json().get("token_type").asText());
        assertFalse(token.json().get("access_token").asText().isBlank());

        Http.Response wrongSecret = http().postForm("/oauth/token", Map.of("grant_type", "client_credentials",
                "client_id", "my-app", "client_secret", "not-the-secret"));
        assertEquals(401, wrongSecret.status(), wrongSecret::toString);
        assertEquals("invalid_client", wrongSecret.json().get("error").asText());
    }

    @Test
    void signinAnswers302Then401ThenLocks423WithRetryAfter() throws InterruptedException {
        AdminApi admin = admin();
        String email = Fixtures.user(admin, REALM, "container", PASSWORD);
        Http.Response signedIn = http().postForm("/signin", Map.of("email", email, "password", PASSWORD));
        assertEquals(302, signedIn.status(), signedIn::toString);

        JsonNode realm = admin.getJson("/realms/" + REALM);
        int factor = realm.get("failureFactor").asInt();
        for (int i = 0; i < factor; i++) {
            Http.Response wrong = http().postForm("/signin", Map.of("email", email, "password", "wrong-" + i), "Accept", "application/json");
            assertEquals(401, wrong.status(), "failure " + (i + 1) + " of " + factor + ": " + wrong);
            Thread.sleep(1_100); // the realm's quick-login check would lock on two failures within a second
        }
        Thread.sleep(500); // Keycloak records a failure after answering
        Http.Response locked = http().postForm("/signin", Map.of("email", email, "password", PASSWORD), "Accept", "application/json");
        assertEquals(423, locked.status(), "the right password of a locked account: " + locked);
        long retryAfter = Long.parseLong(locked.header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= realm.get("waitIncrementSeconds").asInt(), locked::toString);
    }

    /**
     * The realm file ships its identity provider {@code auth0} disabled with placeholder URLs (docs/legacy-login.md):
     * until an operator sets the tenant, no token is trusted.
     */
    @Test
    void apiLoginRefusesEveryCallerWhileNoIssuerIsTrusted() {
        String email = Fixtures.user(admin(), REALM, "container-legacy", PASSWORD);
        String body = Json.text("email", Base64.getEncoder().encodeToString(email.getBytes(StandardCharsets.UTF_8)));
        Http.Response noToken = http().postJson("/api/login", body);
        assertEquals(401, noToken.status(), noToken::toString);
        assertEquals("Unauthorized or invalid token", noToken.json().get("message").asText());

        Http.Response someToken = http().postJson("/api/login", body, "Authorization", "Bearer " + unsignedToken(email));
        assertEquals(503, someToken.status(), "a token while the trust in Auth0 is not configured: " + someToken);
        assertEquals("error", someToken.json().get("status").asText());
        assertEquals("Unknown error", someToken.json().get("message").asText());
    }

    @Test
    void healthCheck() {
        Http.Response health = http().get("/health_check");
        assertEquals(200, health.status(), health::toString);
        assertEquals("ok", health.json().get("status").asText(), health::toString);
    }

    /**
     * What a CI pipeline does to a realm that already has users: Keycloak's partial import
     * ({@code POST /admin/realms/{realm}/partialImport}). Configuration (clients, roles) goes in with
     * {@code OVERWRITE}, seed users with {@code SKIP}: an existing user keeps its account and its password.
     */
    @Test
    void aCiRealmUpdateByPartialImportKeepsExistingUsers() {
        AdminApi admin = admin();
        String email = Fixtures.user(admin, REALM, "container-ci", PASSWORD);
        String userId = Fixtures.userId(admin, REALM, email);
        String ciClient = """
                {"ifResourceExists": "OVERWRITE",
                 "clients": [{"clientId": "ci-app", "secret": "%s", "publicClient": false,
                              "directAccessGrantsEnabled": true, "standardFlowEnabled": false}],
                 "roles": {"realm": [{"name": "ci-reader"}]}}
                """;
        Http.Response first = admin.send("POST", "/realms/" + REALM + "/partialImport", ciClient.formatted("ci-app-secret-1"));
        assertEquals(200, first.status(), first::toString);
        Http.Response update = admin.send("POST", "/realms/" + REALM + "/partialImport", ciClient.formatted("ci-app-secret-2"));
        assertEquals(200, update.status(), update::toString);
        assertEquals(2, update.json().get("overwritten").asInt(), "the client and the role: " + update);

        Http.Response seedUsers = admin.send("POST", "/realms/" + REALM + "/partialImport", """
                {"ifResourceExists": "SKIP",
                 "users": [{"username": "%s", "email": "%s", "enabled": true,
                            "credentials": [{"type": "password", "value": "Seed-password-1", "temporary": false}]}]}
                """.formatted(email, email));
        assertEquals(200, seedUsers.status(), seedUsers::toString);
        assertEquals(1, seedUsers.json().get("skipped").asInt(), seedUsers::toString);

        assertEquals(userId, Fixtures.userId(admin, REALM, email), "the same account, not a new one");
        Http.Response token = http().postForm("/oauth/token", Map.of("grant_type", "password", "client_id", "ci-app",
                "client_secret", "ci-app-secret-2", "username", email, "password", PASSWORD));
        assertEquals(200, token.status(), "the user's own password, at the updated client (its new secret): " + token);
    }

    /** A token no issuer of the realm signed ({@code alg: none}) claiming the user. */
    private static String unsignedToken(String email) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"iss\":\"https://tenant.example.com/\",\"sub\":\"auth0|1\",\"email\":\"" + email
                + "\",\"email_verified\":true,\"exp\":" + (System.currentTimeMillis() / 1000 + 600) + "}").getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + ".";
    }
}
