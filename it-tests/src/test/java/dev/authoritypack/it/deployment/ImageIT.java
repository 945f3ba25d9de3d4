package dev.authoritypack.it.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.authoritypack.it.support.Database;
import dev.authoritypack.it.support.FormClient;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image as an operator runs it: {@code docker/Dockerfile} built unchanged ({@link ImageEngine}), started with the
 * settings of the README's Docker section and nothing else — the database, the host name, plain HTTP, the bootstrap
 * admin; no mail setting, every other realm-import variable at its default — against a fresh database on the
 * machine's PostgreSQL. Then the README's first-token steps as written, and a restart. Prints the image's size, the
 * build time and the start times. Runs once, in the PostgreSQL run of the suite; needs podman ({@code .ci/run}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageIT {

    private static final String REALM = "authority";
    /** What an operator sets first: the README's `docker run` must set these and nothing else. */
    private static final Set<String> FIRST_SETTINGS = Set.of("KC_DB_URL", "KC_DB_USERNAME", "KC_DB_PASSWORD", "KC_HOSTNAME",
            "KC_HTTP_ENABLED", "KC_BOOTSTRAP_ADMIN_USERNAME", "KC_BOOTSTRAP_ADMIN_PASSWORD");

    private static ImageEngine engine;
    private static Database.Postgres db;
    private static String container;
    private static Map<String, String> env;
    private static int httpPort;
    private static int managementPort;
    private static URI publicBase;
    private static Http http;

    @BeforeAll
    static void buildAndStart() {
        engine = ImageEngine.orSkip("ImageIT (the container image)");
        Map<String, String> readme = readmeRunSettings();
        assertEquals(new TreeSet<>(FIRST_SETTINGS), new TreeSet<>(readme.keySet()), "the README's docker run sets what an operator sets first, only that");

        String image = engine.packImage();
        db = new Database.Postgres("127.0.0.1", 5432, "kc_image_" + ProcessHandle.current().pid() + "_" + System.currentTimeMillis() % 100000);
        db.create();
        httpPort = KeycloakServer.freePort();
        managementPort = KeycloakServer.freePort();
        publicBase = URI.create("http://localhost:" + httpPort);
        http = new Http(URI.create("http://127.0.0.1:" + httpPort)); // another name than the public one: the issuer must not follow it
        // the README's settings; only what points at its example database and port differs here
        env = new LinkedHashMap<>(readme);
        env.put("KC_DB_URL", "jdbc:postgresql://" + ImageEngine.HOST_LOOPBACK + ":5432/" + db.databaseName());
        env.put("KC_DB_USERNAME", "postgres");
        env.put("KC_DB_PASSWORD", "unused-trust-authentication");
        env.put("KC_HOSTNAME", publicBase.toString());
        container = "authority-image-it-" + ProcessHandle.current().pid();
        engine.removeContainer(container);
        long start = System.nanoTime();
        engine.start(container, image, httpPort, managementPort, env);
        engine.awaitAnswer(container, URI.create(http.uri("/health_check").toString()), startTimeout());
        Duration firstStart = Duration.ofNanos(System.nanoTime() - start);
        System.err.println("[image] " + image + ": " + ImageEngine.megabytes(engine.imageSize(image)) + ", built in "
                + ImageEngine.packImageBuildTime().toSeconds() + " s, first start (empty database, realm import) "
                + firstStart.toSeconds() + " s");
    }

    @AfterAll
    static void stop() {
        if (container != null) {
            engine.keepLogAndRemove(container);
        }
        if (db != null) {
            db.drop();
        }
    }

    private static Duration startTimeout() {
        return Duration.ofMinutes(Long.getLong("it.start.minutes", 4));
    }

    /** The README's Docker section. */
    private static String readmeDockerSection() {
        try {
            String readme = Files.readString(KeycloakServer.projectRoot().resolve("README.md"));
            int start = readme.indexOf("\n## Docker\n");
            assertTrue(start >= 0, "README.md has a Docker section");
            int end = readme.indexOf("\n## ", start + 5);
            return readme.substring(start, end < 0 ? readme.length() : end);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shell blocks of the README's Docker section, line continuations joined. */
    private static List<String> readmeShellBlocks() {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("```shell\n(.*?)```", Pattern.DOTALL).matcher(readmeDockerSection());
        while (m.find()) {
            blocks.add(m.group(1).replace("\\\n", " "));
        }
        return blocks;
    }

    /** The {@code -e NAME=value} settings of the README's {@code docker run}. */
    private static Map<String, String> readmeRunSettings() {
        String run = readmeShellBlocks().stream().flatMap(b -> b.lines()).filter(l -> l.startsWith("docker run ")).findFirst()
                .orElseThrow(() -> new AssertionError("no docker run in the README's Docker section"));
        assertTrue(run.contains("-p 8080:8080") && run.endsWith(" authority-keycloak"), run);
        assertTrue(readmeDockerSection().contains("docker build -f docker/Dockerfile -t authority-keycloak ."), "the README builds docker/Dockerfile");
        Map<String, String> settings = new LinkedHashMap<>();
        Matcher m = Pattern.compile(" -e ([A-Z_]+)=(\\S+)").matcher(run);
        while (m.find()) {
            settings.put(m.group(1), m.group(2));
        }
        return settings;
    }

    @Test
    @Order(1)
    void startsAsNonRootWithoutAnyMailSetting() {
        assertEquals("1000", engine.output("exec", container, "stat", "-c", "%u", "/proc/1").trim(), "Keycloak's process runs as user 1000");
        String configured = engine.output("inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", container);
        assertFalse(configured.contains("AUTHORITY_"), "no realm-import variable is set:\n" + configured);
        String log = engine.logs(container);
        assertFalse(log.contains("Invalid sender address"), "the realm import accepted the default sender");
        assertEquals(1, count(log, "Mail is off in realm authority"), "one line says that mail is off");
        assertEquals(1, count(log, "Realm 'authority' imported"), "the realm was imported on the first start");
    }

    @Test
    @Order(2)
    void healthOnBothPorts() {
        Http.Response health = http.get("/health_check");
        assertEquals(200, health.status(), health::toString);
        assertEquals("ok", health.json().path("status").asText(), health::toString);
        assertEquals("up", health.json().path("checks").path("database").asText(), health::toString);
        Http.Response ready = new Http(URI.create("http://127.0.0.1:" + managementPort)).get("/health/ready");
        assertEquals(200, ready.status(), ready::toString);
        assertEquals("UP", ready.json().path("status").asText(), ready::toString);
    }

    @Test
    @Order(3)
    void signinPageJwksAndIssuerAtThePublicHostName() {
        Http.Response page = new FormClient(http).open("/signin", null);
        assertEquals(200, page.status(), page::toString);
        assertTrue(page.body().contains("name=\"password\""), "the sign-in form");

        Http.Response jwks = http.get("/.well-known/jwks.json");
        assertEquals(200, jwks.status(), jwks::toString);
        assertTrue(jwks.json().path("keys").size() > 0, jwks::toString);

        String issuer = publicBase + "/realms/" + REALM;
        for (String path : List.of("/.well-known/openid-configuration", "/realms/authority/.well-known/openid-configuration")) {
            JsonNode discovery = http.get(path).json();
            assertEquals(issuer, discovery.path("issuer").asText(), path + " asked at 127.0.0.1 names KC_HOSTNAME's issuer");
            assertEquals(issuer + "/protocol/openid-connect/token", discovery.path("token_endpoint").asText(), path);
        }
    }

    @Test
    @Order(4)
    void theDevicesAreSentToTheActivatePageAtThePublicHostName() {
        // nothing about the address was set at the first import: it comes from KC_HOSTNAME (oauth's VerificationUri)
        String client = "image-device-" + System.nanoTime();
        Http.Response created = admin("POST", "/realms/" + REALM + "/clients", Json.text("clientId", client, "publicClient", true,
                "attributes", Json.object("oauth2.device.authorization.grant.enabled", "true")));
        assertEquals(201, created.status(), created::toString);
        for (String base : List.of("", "/realms/" + REALM)) {
            Http.Response device = http.postForm(base + "/device/code", Map.of("client_id", client));
            assertEquals(200, device.status(), device::toString);
            String expected = publicBase + base + "/activate";
            assertEquals(expected, device.json().path("verification_uri").asText(), base + "/device/code asked at 127.0.0.1");
            assertEquals(expected + "?user_code=" + device.json().path("user_code").asText(),
                    device.json().path("verification_uri_complete").asText(), device::toString);
        }
    }

    @Test
    @Order(5)
    void theReadmesFirstTokenSteps() throws Exception {
        JsonNode token = firstToken();
        assertEquals("Bearer", token.path("token_type").asText(), token::toString);
        JsonNode claims = claims(token.path("access_token").asText());
        assertEquals("my-service", claims.path("azp").asText(), claims::toString);
        assertEquals(publicBase + "/realms/" + REALM, claims.path("iss").asText());
        assertTrue(kids().contains(header(token.path("access_token").asText()).path("kid").asText()), "the token's key is in the JWKS");
    }

    /**
     * The README's second block as written, run by bash: {@code docker} is podman, the container is this test's, and
     * the curl asks this container's published port (kcadm inside the container keeps its own localhost:8080).
     */
    private static JsonNode firstToken() throws Exception {
        String steps = readmeShellBlocks().stream().filter(b -> b.contains("kcadm.sh")).findFirst()
                .orElseThrow(() -> new AssertionError("no first-token steps in the README's Docker section"));
        String script = "docker() { podman \"$@\"; }\nset -e\n" + steps
                .replace("docker exec authority ", "docker exec " + container + " ")
                .replace("curl -s http://localhost:8080/", "curl -s " + publicBase + "/");
        List<String> lines = engine.outputOf(List.of("bash", "-c", script), Duration.ofMinutes(3)).lines().toList();
        return Http.JSON.readTree(lines.get(lines.size() - 1)); // the curl's answer is the last line
    }

    @Test
    @Order(6)
    void aRestartKeepsUsersKeysAndTheOperatorsChanges() throws Exception {
        String email = "image-" + System.nanoTime() + "@example.com";
        String password = "Image-password-1";
        Http.Response created = admin("POST", "/realms/" + REALM + "/users", Json.text(
                "username", email, "email", email, "emailVerified", true, "enabled", true, "firstName", "Image", "lastName", "User",
                "credentials", List.of(Json.object("type", "password", "value", password, "temporary", false))));
        assertEquals(201, created.status(), created::toString);
        // a change over what the import set: a restart with --import-realm must not put the file's value back
        JsonNode realm = admin("GET", "/realms/" + REALM, null).json();
        ((ObjectNode) realm).put("displayName", "Changed after the import");
        Http.Response updated = admin("PUT", "/realms/" + REALM, realm.toString());
        assertEquals(204, updated.status(), updated::toString);
        Set<String> kidsBefore = kids();

        long start = System.nanoTime();
        engine.output("restart", "--time", "30", container);
        engine.awaitAnswer(container, URI.create(http.uri("/health_check").toString()), startTimeout());
        System.err.println("[image] restart (stop, start, realm present) " + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s");

        String log = engine.logs(container);
        assertEquals(1, count(log, "Realm 'authority' imported"), "imported once");
        assertEquals(1, count(log, "Realm 'authority' already exists. Import skipped"), "the second start skips the import");
        assertEquals("Changed after the import", admin("GET", "/realms/" + REALM, null).json().path("displayName").asText());
        assertEquals(kidsBefore, kids(), "the realm keeps its signing keys");

        Http browser = new Http(URI.create("http://127.0.0.1:" + httpPort));
        assertEquals(200, new FormClient(browser).open("/signin", null).status());
        Http.Response signin = browser.postForm("/realms/authority/signin", Map.of("email", email, "password", password));
        assertEquals(302, signin.status(), signin::toString);
        assertEquals("/realms/authority/profile", URI.create(signin.header("Location")).getPath(), "the user of before the restart signs in");

        Http.Response token = http.postForm("/token", Map.of("grant_type", "client_credentials", "client_id", "my-service",
                "client_secret", "my-service-secret"));
        assertEquals(200, token.status(), "the client made by the README's steps is still there: " + token);
    }

    /** A call of Keycloak's admin REST API as the README's bootstrap admin. */
    private static Http.Response admin(String method, String path, String json) {
        return ImageEngine.admin(http, env, method, path, json);
    }

    private static Set<String> kids() {
        Set<String> kids = new TreeSet<>();
        http.get("/.well-known/jwks.json").json().path("keys").forEach(k -> kids.add(k.path("kid").asText()));
        return kids;
    }

    private static JsonNode claims(String jwt) throws IOException {
        return Http.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static JsonNode header(String jwt) throws IOException {
        return Http.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]));
    }

    private static long count(String log, String text) {
        return log.lines().filter(l -> l.contains(text)).count();
    }
}
