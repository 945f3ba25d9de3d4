package dev.authoritypack.it.deployment;

import dev.authoritypack.it.support.Database;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.KeycloakServer;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The container engine of {@link ImageIT} and {@link ComposeIT}: Debian's {@code podman} (runtime {@code runc}, see
 * {@code .ci/run} and {@code docs/testing.md}), the local stand-in of Keycloak's base image
 * ({@code docker/test-base/build.sh}) and the build of {@code docker/Dockerfile} as it is shipped.
 *
 * <p>Containers reach the machine's PostgreSQL (which listens on 127.0.0.1 only) through podman's user-mode network
 * with the host's loopback allowed: inside the container the host's 127.0.0.1 is {@value #HOST_LOOPBACK}, and the
 * container's ports are published on 127.0.0.1 as {@code -p} does for an operator.
 */
final class ImageEngine {

    /** The host's loopback as a container on {@link #NETWORK} sees it (slirp4netns's fixed host address). */
    static final String HOST_LOOPBACK = "10.0.2.2";
    static final String NETWORK = "slirp4netns:allow_host_loopback=true";

    private final Path root = KeycloakServer.projectRoot();
    private final Path logDir;

    private ImageEngine(Path logDir) {
        this.logDir = logDir;
    }

    /**
     * The engine, or a skip with the reason: the image tests run once, in the PostgreSQL run of the suite (the image
     * needs PostgreSQL), and need podman. With {@code AUTHORITY_IT_CONTAINER_REQUIRED=1} (set by {@code .ci/run},
     * which installs podman) a missing podman fails the test instead.
     */
    static ImageEngine orSkip(String what) {
        if (!"postgres".equals(System.getProperty("it.db"))) {
            throw new TestAbortedException(what + " runs once, in the PostgreSQL run of the suite");
        }
        String noDatabase = Database.fromSystemProperty().unavailableReason().orElse(null);
        if (noDatabase != null) {
            throw new TestAbortedException(what + " needs PostgreSQL: " + noDatabase);
        }
        if (!onPath("podman")) {
            String message = what + " is skipped: no podman on this machine (apt-get install podman runc debootstrap; "
                    + "docs/testing.md)";
            if ("1".equals(System.getenv("AUTHORITY_IT_CONTAINER_REQUIRED"))) {
                throw new AssertionError(message.replace("is skipped", "is required here (AUTHORITY_IT_CONTAINER_REQUIRED=1)"));
            }
            System.err.println("[image] SKIPPED: " + message);
            throw new TestAbortedException(message);
        }
        Path logDir = Path.of(System.getProperty("it.log.dir", "target")).resolve("image");
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ImageEngine(logDir);
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    Path logDir() {
        return logDir;
    }

    Path root() {
        return root;
    }

    /** {@code quay.io/keycloak/keycloak:<version>}: the one in podman's storage, else docker/test-base's stand-in. */
    void ensureBaseImage() {
        if (!succeeds(List.of("podman", "image", "inspect", baseImage()))) {
            run(List.of("bash", root.resolve("docker/test-base/build.sh").toString(), System.getProperty("keycloak.version")),
                    Duration.ofMinutes(10), logDir.resolve("test-base.log"));
        }
    }

    private static String packImage;
    private static Duration packImageBuild;

    /**
     * The image of docker/Dockerfile, built once per test JVM (ImageIT and ComposeIT use the same build: compose's
     * keycloak service builds this Dockerfile from the repository root, ComposeIT checks that) and removed when the
     * JVM ends.
     */
    synchronized String packImage() {
        if (packImage == null) {
            ensureBaseImage();
            String tag = "localhost/authority-keycloak:it-" + ProcessHandle.current().pid();
            packImageBuild = build(tag);
            packImage = tag;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> removeImage(tag), "remove-" + tag));
            System.err.println("[image] " + tag + ": built in " + packImageBuild.toSeconds() + " s, "
                    + megabytes(imageSize(tag)) + " (base " + megabytes(imageSize(baseImage())) + ")");
        }
        return packImage;
    }

    static Duration packImageBuildTime() {
        return packImageBuild;
    }

    static String baseImage() {
        return "quay.io/keycloak/keycloak:" + System.getProperty("keycloak.version");
    }

    /**
     * Builds docker/Dockerfile unchanged from the repository root, never pulling ({@code --pull=never}), without
     * keeping intermediate images ({@code --layers=false}: the pack's jars differ in every build, a cache would only
     * fill the disk). Returns the time it took.
     */
    Duration build(String tag) {
        long start = System.nanoTime();
        run(List.of("podman", "build", "--pull=never", "--layers=false", "-f", "docker/Dockerfile", "-t", tag, "."),
                Duration.ofMinutes(10), logDir.resolve("build-" + tag.replaceAll("[^a-z0-9]+", "-") + ".log"));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Starts a container of the image in the background: its port 8080 (and 9000, the management port, when asked)
     * published on 127.0.0.1, on {@link #NETWORK}, with exactly these environment variables.
     */
    void start(String name, String image, int httpPort, int managementPort, Map<String, String> env) {
        List<String> command = new ArrayList<>(List.of("podman", "run", "--detach", "--name", name, "--network", NETWORK,
                "--publish", "127.0.0.1:" + httpPort + ":8080"));
        if (managementPort > 0) {
            command.addAll(List.of("--publish", "127.0.0.1:" + managementPort + ":9000"));
        }
        env.forEach((k, v) -> command.addAll(List.of("--env", k + "=" + v)));
        command.add(image);
        // removed by the test's @AfterAll; this hook covers an interrupted run
        Runtime.getRuntime().addShutdownHook(new Thread(() -> removeContainer(name), "remove-" + name));
        run(command, Duration.ofMinutes(2), logDir.resolve("run-" + name + ".log"));
    }

    long imageSize(String tag) {
        return Long.parseLong(output("image", "inspect", "--format", "{{.Size}}", tag).trim());
    }

    /** Removes a container and its anonymous volumes, if it exists. */
    void removeContainer(String name) {
        succeeds(List.of("podman", "rm", "--force", "--volumes", "--time", "10", name));
    }

    /** Keeps a test container's log in {@link #logDir()}, then removes the container. */
    void keepLogAndRemove(String container) {
        try {
            Files.writeString(logDir().resolve(container + ".log"), logs(container));
        } catch (IOException | RuntimeException e) {
            System.err.println("[image] could not keep the container's log: " + e);
        }
        removeContainer(container);
    }

    void removeImage(String tag) {
        succeeds(List.of("podman", "rmi", "--force", tag));
    }

    /** The output of {@code podman <args>}, which must succeed within two minutes. */
    String output(String... args) {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(args));
        return outputOf(command, Duration.ofMinutes(2));
    }

    /**
     * The output of a command that must succeed; kept in no file (it may hold the containers' settings or a token).
     */
    String outputOf(List<String> command, Duration timeout) {
        try {
            Path out = Files.createTempFile(logDir, "output", ".txt");
            try {
                run(command, timeout, out);
                return Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The container's log (its stdout and stderr: Keycloak's console log). */
    String logs(String container) {
        return output("logs", container);
    }

    private boolean succeeds(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command in the repository root to its end; its output goes to {@code log}, quoted when it fails. */
    void run(List<String> command, Duration timeout, Path log) {
        try {
            Process p = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within " + timeout + "; see " + log);
            }
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed (exit " + p.exitValue() + "); see " + log + "\n" + tail(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    /** Waits until the URL answers 200 or the container has stopped. Returns the time it took. */
    Duration awaitAnswer(String container, URI uri, Duration timeout) {
        long start = System.nanoTime();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (!"true".equals(output("inspect", "--format", "{{.State.Running}}", container).trim())) {
                throw new AssertionError("the container " + container + " stopped while starting:\n" + lastLines(logs(container)));
            }
            KeycloakServer.sleep(1000);
        }
        throw new AssertionError(uri + " did not answer within " + timeout + ":\n" + lastLines(logs(container)));
    }

    /** A call of Keycloak's admin REST API as the container's bootstrap admin (its KC_BOOTSTRAP_ADMIN_* settings). */
    static Http.Response admin(Http http, Map<String, String> env, String method, String path, String json) {
        Http.Response login = http.postForm("/realms/master/protocol/openid-connect/token", Map.of("grant_type", "password",
                "client_id", "admin-cli", "username", env.get("KC_BOOTSTRAP_ADMIN_USERNAME"), "password", env.get("KC_BOOTSTRAP_ADMIN_PASSWORD")));
        if (login.status() != 200) {
            throw new AssertionError("the bootstrap admin's token: " + login);
        }
        return http.send(http.request("/admin" + path)
                .header("Authorization", "Bearer " + login.json().path("access_token").asText())
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    static String lastLines(String log) {
        String[] lines = log.split("\n");
        return String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - 20), lines.length));
    }

    static String megabytes(long bytes) {
        return (bytes / 1_000_000) + " MB";
    }
}
