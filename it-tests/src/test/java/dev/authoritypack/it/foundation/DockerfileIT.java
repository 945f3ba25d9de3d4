package dev.authoritypack.it.foundation;

import dev.authoritypack.it.support.KeycloakServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker/Dockerfile cannot be built on a machine without a Docker engine; this keeps it in step with the
 * build: same Keycloak version as the pom, and every file it copies exists once {@code ./mvnw package} ran.
 */
class DockerfileIT {

    private final Path root = KeycloakServer.projectRoot();

    @Test
    void keycloakVersionIsThePoms() throws IOException {
        String dockerfile = Files.readString(root.resolve("docker/Dockerfile"));
        Matcher m = Pattern.compile("(?m)^ARG KEYCLOAK_VERSION=(\\S+)$").matcher(dockerfile);
        assertTrue(m.find(), "docker/Dockerfile must declare ARG KEYCLOAK_VERSION=<version>");
        assertEquals(System.getProperty("keycloak.version"), m.group(1));
        assertTrue(dockerfile.contains("FROM quay.io/keycloak/keycloak:${KEYCLOAK_VERSION}"), "FROM must use the version argument");
    }

    @Test
    void everyCopiedFileIsProducedByTheBuild() throws IOException {
        List<String> sources = Files.readAllLines(root.resolve("docker/Dockerfile")).stream()
                .map(String::trim)
                .filter(l -> l.startsWith("COPY ") && !l.contains("--from="))
                .flatMap(l -> {
                    String[] parts = l.split("\\s+");
                    return java.util.Arrays.stream(parts, 1, parts.length - 1).filter(p -> !p.startsWith("--"));
                })
                .toList();
        assertFalse(sources.isEmpty(), "no COPY lines found");
        for (String source : sources) {
            assertTrue(Files.isRegularFile(root.resolve(source)), "docker/Dockerfile copies " + source + ", which the build does not produce");
        }
        assertTrue(sources.stream().noneMatch(s -> s.startsWith("realm-config/dev/")), "development data must not be in the image");
    }

    @Test
    void everyJarOfThePackIsInTheImageAndInTheRunCommand() throws IOException {
        String dockerfile = Files.readString(root.resolve("docker/Dockerfile"));
        String runSh = Files.readString(root.resolve("run.sh"));
        try (java.util.stream.Stream<Path> jars = Files.list(Path.of(System.getProperty("pack.providers.dir")))) {
            List<String> names = jars.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList();
            assertFalse(names.isEmpty(), "no pack jars in " + System.getProperty("pack.providers.dir"));
            for (String jar : names) {
                assertTrue(dockerfile.contains("/target/" + jar + " /opt/keycloak/providers/"), "docker/Dockerfile does not copy " + jar);
                assertTrue(runSh.contains("/target/" + jar), "run.sh does not install " + jar);
            }
        }
    }

    @Test
    void composeRunsTheImageWithPostgres() throws IOException {
        String compose = Files.readString(root.resolve("docker/compose.yaml"));
        assertTrue(compose.contains("KC_DB: postgres"), compose);
        assertTrue(compose.contains("context: .."), "compose must build the Dockerfile from the repository root");
    }
}
