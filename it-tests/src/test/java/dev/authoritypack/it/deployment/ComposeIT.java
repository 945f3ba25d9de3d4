package dev.authoritypack.it.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.authoritypack.it.support.Database;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.MailServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code keycloak} service of {@code docker/compose.yaml}, run as {@code docker compose up} runs it: its build
 * (this repository's Dockerfile from the root, the image {@link ImageEngine#packImage()} builds), its environment with
 * compose's variable substitution and an operator's {@code .env} (the bootstrap admin's password and the host name),
 * its port. Its two other services cannot run here — their images ({@code postgres:15}, {@code greenmail/standalone})
 * cannot be pulled without a registry, and Debian's podman-compose 1.0.3 starts them even for
 * {@code up --no-deps keycloak} — so the addresses that name them are the one thing changed: {@code postgres:5432}
 * becomes a fresh database on the machine's PostgreSQL, {@code mail:3025} the test's own SMTP server (GreenMail, as
 * the compose file's {@code mail} service). The start, the issuer and a password-reset mail through the compose
 * file's SMTP settings are checked. Runs once, in the PostgreSQL run of the suite; needs podman.
 */
class ComposeIT {

    /** What an operator puts into {@code .env} (the compose file requires the admin's password). */
    private static final String ADMIN_PASSWORD = "compose-admin-password";

    private static ImageEngine engine;
    private static Database.Postgres db;
    private static MailServer mail;
    private static String container;
    private static Map<String, String> env;
    private static URI publicBase;
    private static Http http;

    @BeforeAll
    static void upKeycloakService() throws IOException {
        engine = ImageEngine.orSkip("ComposeIT (docker/compose.yaml)");
        JsonNode service = new ObjectMapper(new YAMLFactory())
                .readTree(KeycloakServer.projectRoot().resolve("docker/compose.yaml").toFile()).path("services").path("keycloak");
        assertEquals("..", service.path("build").path("context").asText(), "built from the repository root");
        assertEquals("docker/Dockerfile", service.path("build").path("dockerfile").asText());
        assertEquals("8080:8080", service.path("ports").path(0).asText(), "Keycloak's port, published as is");
        String image = engine.packImage();

        int port = KeycloakServer.freePort();
        publicBase = URI.create("http://localhost:" + port);
        Map<String, String> dotEnv = Map.of("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD, "KC_HOSTNAME", publicBase.toString());
        assertThrows(IllegalArgumentException.class, () -> environment(service, Map.of()), "compose refuses to start without the admin's password");
        env = environment(service, dotEnv);

        // the two services that cannot run here, and only their addresses
        db = new Database.Postgres("127.0.0.1", 5432, "kc_compose_" + ProcessHandle.current().pid() + "_" + System.currentTimeMillis() % 100000);
        db.create();
        mail = MailServer.start();
        replace("KC_DB_URL", "jdbc:postgresql://postgres:5432/keycloak", "jdbc:postgresql://" + ImageEngine.HOST_LOOPBACK + ":5432/" + db.databaseName());
        replace("KC_DB_USERNAME", "keycloak", "postgres");
        replace("AUTHORITY_SMTP_HOST", "mail", ImageEngine.HOST_LOOPBACK);
        replace("AUTHORITY_SMTP_PORT", "3025", String.valueOf(mail.port()));

        container = "authority-compose-it-" + ProcessHandle.current().pid();
        http = new Http(URI.create("http://127.0.0.1:" + port));
        engine.removeContainer(container);
        long start = System.nanoTime();
        engine.start(container, image, port, 0, env);
        engine.awaitAnswer(container, URI.create(http.uri("/health_check").toString()), Duration.ofMinutes(Long.getLong("it.start.minutes", 4)));
        System.err.println("[image] compose's keycloak service: first start " + Duration.ofNanos(System.nanoTime() - start).toSeconds() + " s");
    }

    @AfterAll
    static void down() {
        if (container != null) {
            engine.keepLogAndRemove(container);
        }
        if (mail != null) {
            mail.stop();
        }
        if (db != null) {
            db.drop();
        }
    }

    private static void replace(String name, String composeValue, String here) {
        assertEquals(composeValue, env.get(name), name + " in docker/compose.yaml");
        env.put(name, here);
    }

    /** The service's environment with compose's substitution: ${NAME}, ${NAME:-default}, ${NAME:?message}. */
    static Map<String, String> environment(JsonNode service, Map<String, String> variables) {
        Pattern reference = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::([-?])([^}]*))?}");
        Map<String, String> env = new LinkedHashMap<>();
        service.path("environment").fields().forEachRemaining(e -> {
            Matcher m = reference.matcher(e.getValue().asText());
            StringBuilder value = new StringBuilder();
            while (m.find()) {
                String set = variables.get(m.group(1));
                String replacement;
                if (set != null && !set.isEmpty()) {
                    replacement = set;
                } else if ("?".equals(m.group(2))) {
                    throw new IllegalArgumentException(m.group(1) + ": " + m.group(3));
                } else {
                    replacement = "-".equals(m.group(2)) ? m.group(3) : "";
                }
                m.appendReplacement(value, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(value);
            env.put(e.getKey(), value.toString());
        });
        return env;
    }

    @Test
    void startsWithTheComposeSettingsAndSendsMailThroughThem() {
        Http.Response health = http.get("/health_check");
        assertEquals(200, health.status(), health::toString);
        assertEquals("up", health.json().path("checks").path("database").asText(), health::toString);
        assertEquals(publicBase + "/realms/authority", http.get("/.well-known/openid-configuration").json().path("issuer").asText(),
                "the issuer of compose's KC_HOSTNAME");

        String email = "compose-" + System.nanoTime() + "@example.com";
        Http.Response created = ImageEngine.admin(http, env, "POST", "/realms/authority/users", Json.text("username", email,
                "email", email, "emailVerified", true, "enabled", true, "firstName", "Compose", "lastName", "User"));
        assertEquals(201, created.status(), created::toString);
        Http.Response reset = http.postJson("/account/password/reset", Json.text("email", email));
        assertEquals(200, reset.status(), reset::toString);
        MailServer.Mail sent = mail.await(email, 1, Duration.ofSeconds(60));
        assertTrue(sent.text().contains(publicBase.toString()), "the reset link names the public host:\n" + sent.text());
        assertFalse(engine.logs(container).contains("Mail is off"), "mail is on with compose's settings");
    }
}
