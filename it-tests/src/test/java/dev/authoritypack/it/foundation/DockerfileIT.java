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

    /** The sources of the Dockerfile's COPY lines (globs allowed), without the multi-stage ones. */
    private List<String> copiedSources() throws IOException {
        return Files.readAllLines(root.resolve("docker/Dockerfile")).stream()
                .map(String::trim)
                .filter(l -> l.startsWith("COPY ") && !l.contains("--from="))
                .flatMap(l -> {
                    String[] parts = l.split("\\s+");
                    return java.util.Arrays.stream(parts, 1, parts.length - 1).filter(p -> !p.startsWith("--"));
                })
                .toList();
    }

    private List<Path> matching(String source) throws IOException {
        java.nio.file.PathMatcher glob = root.getFileSystem().getPathMatcher("glob:" + source);
        try (java.util.stream.Stream<Path> files = Files.walk(root, 5)) {
            return files.filter(Files::isRegularFile).filter(f -> glob.matches(root.relativize(f))).toList();
        }
    }

    @Test
    void everyCopiedFileIsProducedByTheBuild() throws IOException {
        List<String> sources = copiedSources();
        assertFalse(sources.isEmpty(), "no COPY lines found");
        for (String source : sources) {
            assertFalse(matching(source).isEmpty(), "docker/Dockerfile copies " + source + ", which the build does not produce");
        }
        assertTrue(sources.stream().noneMatch(s -> s.startsWith("realm-config/dev/")), "development data must not be in the image");
    }

    /** The image and the run command install the release bundle's jars, the ones the tests install. */
    @Test
    void everyJarOfThePackIsInTheImageAndInTheRunCommand() throws IOException {
        List<Path> copied = new java.util.ArrayList<>();
        for (String source : copiedSources()) {
            copied.addAll(matching(source));
        }
        List<String> copiedNames = copied.stream().map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList();
        String runSh = Files.readString(root.resolve("run.sh"));
        assertTrue(runSh.contains("distribution/target/pack/providers/authority-*.jar"), "run.sh installs the bundle's jars");
        assertTrue(copiedSources().stream().allMatch(s -> s.startsWith("distribution/target/pack/")), "docker/Dockerfile copies the bundle only: " + copiedSources());
        try (java.util.stream.Stream<Path> jars = Files.list(Path.of(System.getProperty("pack.providers.dir")))) {
            List<String> names = jars.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList();
            assertFalse(names.isEmpty(), "no pack jars in " + System.getProperty("pack.providers.dir"));
            for (String jar : names) {
                assertTrue(copiedNames.contains(jar), "docker/Dockerfile does not copy " + jar + " (copies " + copiedNames + ")");
            }
            assertEquals(names.size(), copiedNames.size(), "the image would carry a jar that is not the pack's: " + copiedNames);
        }
    }

    /** The tests install what the image carries: one jar per folder of providers/ (and the theme), none missing. */
    @Test
    void theTestsInstallEveryModuleOfProviders() throws IOException {
        List<String> installed;
        try (java.util.stream.Stream<Path> jars = Files.list(Path.of(System.getProperty("pack.providers.dir")))) {
            installed = jars.map(p -> p.getFileName().toString()).toList();
        }
        List<Path> modules;
        try (java.util.stream.Stream<Path> dirs = Files.list(root.resolve("providers"))) {
            modules = dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).toList();
        }
        assertTrue(modules.size() >= 10, "providers/ lists " + modules);
        for (Path module : modules) {
            Matcher m = Pattern.compile("</parent>\\s*<artifactId>([^<]+)</artifactId>").matcher(Files.readString(module.resolve("pom.xml")));
            assertTrue(m.find(), module + "/pom.xml names no artifactId");
            assertTrue(installed.contains(m.group(1) + ".jar"), "it-tests/pom.xml does not install " + m.group(1) + " (installs " + installed + ")");
        }
        assertTrue(installed.contains("authority-theme.jar"), "the theme is not installed: " + installed);
        assertEquals(modules.size() + 1, installed.size(), "it-tests installs a jar that is no module of providers/: " + installed);
    }

    @Test
    void composeRunsTheImageWithPostgres() throws IOException {
        String compose = Files.readString(root.resolve("docker/compose.yaml"));
        assertTrue(compose.contains("KC_DB: postgres"), compose);
        assertTrue(compose.contains("context: .."), "compose must build the Dockerfile from the repository root");
    }
}
