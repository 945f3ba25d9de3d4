package dev.authoritypack.it.foundation;

import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.Distribution;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The production start as an operator makes it first: a built distribution with the pack ({@code kc.sh build}, as
 * the Dockerfile does), then {@code kc.sh start --optimized --import-realm} with only the host name, plain HTTP
 * and the bootstrap admin, and no {@code AUTHORITY_*} setting at all. It must start (the realm's sender address
 * has a default that Keycloak's import accepts), say once in its log that mail is off, and answer the account
 * routes as with mail on: the same 200 and body for a known and an unknown address, and no mail attempt.
 */
class ProductionStartWithoutMailIT {

    private static Process process;
    private static Path log;
    private static URI base;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue("dev-file".equals(System.getProperty("it.db", "dev-file")), "a server of its own: runs once, in the dev-file run");
        Path dir = Path.of(System.getProperty("keycloak.dist.dir")).getParent().resolve("production-start");
        Files.createDirectories(dir);
        Path home = Distribution.builtCopy(dir.resolve("keycloak"), List.of("--db=dev-file", "--health-enabled=true"));
        log = dir.resolve("keycloak.log");
        Files.deleteIfExists(log);
        int port = KeycloakServer.freePort();
        base = URI.create("http://localhost:" + port);
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/kc.sh").toString(), "start", "--optimized", "--import-realm",
                // a one-node cluster on loopback, so that it does not meet the suite's other servers
                "--cache-embedded-network-bind-address=127.0.0.1", "--cache-embedded-network-bind-port=" + KeycloakServer.freePort()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("AUTHORITY_"));
        env.put("KC_HOSTNAME", base.toString());
        env.put("KC_HTTP_ENABLED", "true");
        env.put("KC_HTTP_PORT", String.valueOf(port));
        env.put("KC_HTTP_MANAGEMENT_PORT", String.valueOf(KeycloakServer.freePort()));
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", KeycloakServer.ADMIN_USER);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", KeycloakServer.ADMIN_PASSWORD);
        env.put("JAVA_HOME", System.getProperty("java.home"));
        process = builder.start();
        KeycloakServer.awaitAnswer(process, URI.create(base + "/health_check"), Duration.ofMinutes(4), log);
    }

    @AfterAll
    static void stop() {
        if (process != null) {
            KeycloakServer.stopTree(process);
        }
    }

    private static long count(String text) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> l.contains(text)).count();
    }

    @Test
    void startsSaysOnceThatMailIsOffAndAnswersAsWithMail() throws Exception {
        assertEquals(1, count("Mail is off in realm authority"), "one warning at start");
        assertEquals(0, count("Invalid sender address"));

        AdminApi admin = new AdminApi(base);
        String known = Fixtures.user(admin, "authority", "no-mail", "No-mail-password-1");
        Http http = new Http(base);
        for (String path : List.of("/account/password/reset", "/account/email/resend", "/realms/authority/account/password/reset")) {
            Http.Response k = http.postJson(path, Json.text("email", known));
            Http.Response u = http.postJson(path, Json.text("email", "nobody-" + System.nanoTime() + "@example.com"));
            assertEquals(200, k.status(), k::toString);
            assertEquals(200, u.status(), u::toString);
            assertEquals(k.json(), u.json(), path + ": the same answer for a known and an unknown address");
            assertEquals(k.header("Content-Type"), u.header("Content-Type"));
        }
        KeycloakServer.sleep(1_000); // the mail jobs run after the answer: give them the time to fail, if they tried
        assertEquals(1, count("Mail is off in realm authority"), "still one warning");
        assertEquals(0, count("could not be sent"), "no mail was attempted");
        assertFalse(Files.readString(log).contains(known), "the address is not logged");
        Http.Response health = http.get("/health_check");
        assertTrue(health.status() == 200, health::toString);
    }
}
