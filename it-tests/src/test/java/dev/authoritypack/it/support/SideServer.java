package dev.authoritypack.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * One more Keycloak beside the run's server, started the way the suite's is ({@link KeycloakServer}: {@code kc.sh
 * start-dev}, the dev-file database, free ports, {@code --hostname-strict=false}, the same bootstrap admin), so that
 * its answers can be set beside the suite's: either <em>stock</em> Keycloak — the same distribution zip unpacked
 * afresh, nothing in {@code providers/} — or the pack's jars with server options of its own. Its files and log are in
 * {@code target/<name>/}; {@link #close()} stops it (a JVM shutdown hook too, should the run be interrupted).
 */
public final class SideServer implements AutoCloseable {

    private final Path dir;
    private final Path home;
    private final int port = KeycloakServer.freePort();
    private final boolean withPack;
    private final Thread hook = new Thread(this::stop, "stop-side-keycloak");
    private Process process;

    private SideServer(String name, boolean withPack) {
        this.dir = Path.of(System.getProperty("it.log.dir", "target")).resolve(name);
        this.home = dir.resolve("keycloak");
        this.withPack = withPack;
    }

    /** Stock Keycloak of the run's version: the distribution zip unpacked afresh, no provider, started. */
    public static SideServer stock(String name) {
        SideServer server = new SideServer(name, false);
        KeycloakServer.deleteRecursively(server.dir);
        unzip(Path.of(System.getProperty("keycloak.dist.zip")), server.home);
        server.start(List.of());
        return server;
    }

    /**
     * The pack (the release bundle's jars, as the suite's server has them) with these server options, started. The
     * suite's distribution is copied without its data, file times kept: it is already built for {@code start-dev}
     * with the same jars (KeycloakServer installed them), and run-time options need no new build.
     */
    public static SideServer withPack(String name, List<String> options) {
        SideServer server = new SideServer(name, true);
        KeycloakServer.deleteRecursively(server.dir);
        try {
            Distribution.copyTree(Path.of(System.getProperty("keycloak.dist.dir")), server.home, p -> !p.startsWith("data"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (var jars = Files.list(server.home.resolve("providers"))) {
            if (jars.noneMatch(p -> p.getFileName().toString().startsWith("authority-"))) {
                throw new IllegalStateException("the suite's distribution has no pack jars to copy: " + server.home);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.start(options);
        return server;
    }

    public URI baseUri() {
        return URI.create("http://localhost:" + port);
    }

    public Path log() {
        return dir.resolve("keycloak.log");
    }

    public AdminApi admin() {
        return new AdminApi(baseUri());
    }

    public Http http() {
        return new Http(baseUri());
    }

    private void start(List<String> options) {
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-port=" + port, "--http-management-port=" + KeycloakServer.freePort(), "--hostname-strict=false", "--db=dev-file"));
        command.addAll(options);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log().toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("AUTHORITY_"));
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", KeycloakServer.ADMIN_USER);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", KeycloakServer.ADMIN_PASSWORD);
        env.put("JAVA_HOME", System.getProperty("java.home"));
        if (withPack) {
            env.putAll(KeycloakServer.suiteRateLimits()); // as on the suite's server: the limits out of the tests' reach
            ApiTraffic.server(port); // the pack's answers are checked against its OpenAPI document, as the suite's are
        }
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            KeycloakServer.awaitAnswer(process, URI.create(baseUri() + "/realms/master"),
                    Duration.ofMinutes(Long.getLong("it.start.minutes", 4)), log());
        } catch (IllegalStateException e) {
            close();
            throw e;
        }
    }

    /**
     * The pack taken off the server as docs/existing-keycloak.md says, after its realms were given back: stopped, its
     * jars deleted from {@code providers/}, started again on the same data ({@code start-dev} builds anew).
     */
    public void restartWithoutThePack() {
        stop();
        Runtime.getRuntime().removeShutdownHook(hook); // start() adds it again
        try (var jars = Files.list(home.resolve("providers"))) {
            for (Path jar : jars.filter(p -> p.getFileName().toString().startsWith("authority-")).toList()) {
                Files.delete(jar);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start(List.of());
    }

    private void stop() {
        KeycloakServer.stopTree(process);
        process = null;
    }

    /** Stops the server and deletes its distribution (a few hundred MB); the log stays. */
    @Override
    public void close() {
        stop();
        KeycloakServer.deleteRecursively(home);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // shutting down already, or never added
        }
    }

    /** Unpacks a distribution zip without its top folder ({@code keycloak-<version>/}). */
    private static void unzip(Path zip, Path to) {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                int slash = name.indexOf('/');
                if (slash < 0 || slash == name.length() - 1) {
                    continue;
                }
                Path target = to.resolve(name.substring(slash + 1)).normalize();
                if (!target.startsWith(to)) {
                    throw new IllegalStateException("zip entry outside the target: " + name);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + zip + " (the keycloak-quarkus-dist zip in the local Maven repository)", e);
        }
    }
}
