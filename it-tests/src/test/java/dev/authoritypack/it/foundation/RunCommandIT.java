package dev.authoritypack.it.foundation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authoritypack.it.support.FormClient;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.KeycloakServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.URI;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's run command: it starts the preconfigured Keycloak, with which the README's First token section works
 * as written; and it refuses clearly, in one line, when it cannot start.
 */
class RunCommandIT {

    @BeforeAll
    static void onceNotPerDatabase() {
        assumeTrue("dev-file".equals(System.getProperty("it.db", "dev-file")), "run-command checks run once, in the dev-file run");
    }

    record Result(int exit, String output) {
    }

    private static Result run(Map<String, String> env) throws Exception {
        Path script = KeycloakServer.projectRoot().resolve("run.sh");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "run.sh did not give up within 60 s");
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    }

    private static void assertOneClearLine(Result r, String expected) {
        assertNotEquals(0, r.exit(), r.output());
        List<String> lines = r.output().lines().toList();
        assertEquals(1, lines.size(), "expected one line, got: " + r.output());
        assertTrue(lines.get(0).contains(expected), r.output());
        assertFalse(r.output().contains("Exception"), r.output());
    }

    @Test
    void portInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Result r = run(Map.of("KC_HTTP_PORT", String.valueOf(port)));
            assertOneClearLine(r, "port " + port + " is already in use");
        }
    }

    @Test
    void javaMissing(@TempDir Path empty) throws Exception {
        Result r = run(Map.of("JAVA_HOME", empty.toString()));
        assertOneClearLine(r, "Java 17 or newer is required");
    }

    @Test
    void javaTooOld(@TempDir Path fakeJdk) throws Exception {
        Path java = Files.createDirectories(fakeJdk.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'openjdk version \"11.0.21\" 2023-10-17' >&2\n");
        assertTrue(java.toFile().setExecutable(true));
        Result r = run(Map.of("JAVA_HOME", fakeJdk.toString()));
        assertOneClearLine(r, "is version 11.0.21");
    }

    /**
     * {@code ./run.sh} as a newcomer runs it (only the ports moved and an in-memory database, so a developer's own
     * dev-file data stays untouched), then the README's First token section as written: its curl gives a token of the
     * development service client, and the sign-in URL leads to the sign-in page and, signed in, to the profile.
     */
    @Test
    void quickStartThenFirstToken() throws Exception {
        int port = KeycloakServer.freePort();
        Path log = KeycloakServer.projectRoot().resolve("it-tests/target/run-sh.log");
        ProcessBuilder pb = new ProcessBuilder("bash", KeycloakServer.projectRoot().resolve("run.sh").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("AUTHORITY_"));
        pb.environment().putAll(Map.of("KC_HTTP_PORT", String.valueOf(port), "KC_DB", "dev-mem",
                "KC_HTTP_MANAGEMENT_PORT", String.valueOf(KeycloakServer.freePort()),
                "AUTHORITY_DEV_SMTP_PORT", String.valueOf(KeycloakServer.freePort()),
                "AUTHORITY_DEV_MAIL_API_PORT", String.valueOf(KeycloakServer.freePort()),
                "JAVA_HOME", System.getProperty("java.home")));
        Process runSh = pb.start();
        try {
            URI base = URI.create("http://localhost:" + port);
            KeycloakServer.awaitAnswer(runSh, URI.create(base + "/realms/authority/.well-known/openid-configuration"),
                    Duration.ofMinutes(5), log);

            String readme = Files.readString(KeycloakServer.projectRoot().resolve("README.md"));
            String section = readme.substring(readme.indexOf("## First token"), readme.indexOf("## ", readme.indexOf("## First token") + 3));
            String curl = section.substring(section.indexOf("```shell") + 8, section.indexOf("```", section.indexOf("```shell") + 8)).trim();
            Process p = new ProcessBuilder("bash", "-c", curl.replace("localhost:8080", "localhost:" + port)).start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            JsonNode token = Http.JSON.readTree(p.getInputStream().readAllBytes());
            assertEquals("Bearer", token.path("token_type").asText(), token::toString);
            JsonNode claims = Http.JSON.readTree(Base64.getUrlDecoder().decode(token.path("access_token").asText().split("\\.")[1]));
            assertEquals("authority-dev-service", claims.path("azp").asText());
            assertEquals(base + "/realms/authority", claims.path("iss").asText());

            assertTrue(section.contains("<http://localhost:8080/signin>"), "the README's sign-in URL");
            Http browser = new Http(base);
            Http.Response page = new FormClient(browser).open("/signin", null);
            assertEquals(200, page.status(), page::toString);
            assertTrue(page.body().contains("name=\"password\""), "the sign-in form");
            Http.Response signin = browser.postForm("/realms/authority/signin", Map.of("email", "demo@example.com", "password", "demo-password"));
            assertEquals(302, signin.status(), signin::toString);
            assertEquals("/realms/authority/profile", URI.create(signin.header("Location")).getPath());
            Http.Response profile = browser.get("/realms/authority/profile");
            assertEquals(200, profile.status(), profile::toString);
            assertTrue(profile.body().contains("demo@example.com"), "the demo user's profile");
        } finally {
            KeycloakServer.stopTree(runSh);
        }
        assertFalse(runSh.isAlive());
    }

}
