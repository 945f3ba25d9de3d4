package dev.authoritypack.it.containers;

import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Docker-compatible API for Testcontainers, or a clear reason why there is none.
 * <p>
 * Order: {@code DOCKER_HOST} when set (Testcontainers reads it); else Docker's default socket
 * {@code /var/run/docker.sock} when it answers; else, when {@code podman} is installed, podman's Docker API service
 * started here on that socket (the path every Docker client looks at first; Debian's {@code podman-docker} package
 * points it at podman too) and stopped when the test JVM ends. Nothing is pulled: the image comes from a
 * {@code docker pull}, or, where podman is installed, from the stand-in build of {@code docker/test-base/} that
 * ImageIT uses too, run here when the image is missing. Without an engine or the image, the test class is skipped
 * with the reason — or fails, when {@code AUTHORITY_IT_CONTAINER_REQUIRED=1} (CI on a machine that has podman).
 * A JUnit condition: it decides before Testcontainers' own extension starts the class's containers. The class runs
 * once per suite, in its dev-file execution (the container brings its own database).
 * <p>
 * Testcontainers' resource reaper (Ryuk) runs from an image of its own, which cannot be pulled here either:
 * it-tests/pom.xml sets {@code TESTCONTAINERS_RYUK_DISABLED=true} for the test JVM, and the test classes stop their
 * containers themselves.
 */
final class ContainerEngine implements ExecutionCondition {

    /** Keycloak's image at the pack's Keycloak version: the official one, or the local stand-in of the same name. */
    static final String IMAGE = "quay.io/keycloak/keycloak:" + System.getProperty("keycloak.version");
    static final String REQUIRED_ENV = "AUTHORITY_IT_CONTAINER_REQUIRED";
    private static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");
    private static final Duration SERVICE_START = Duration.ofSeconds(30);

    private static String unavailable;
    private static boolean probed;
    private static Process podmanService;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isPresent()) {
            return ConditionEvaluationResult.enabled("decided for the class");
        }
        if (!"dev-file".equals(System.getProperty("it.db", "dev-file"))) {
            return ConditionEvaluationResult.disabled("the container runs once, in the dev-file run of the suite");
        }
        String reason = unavailableReason(IMAGE);
        if (reason == null) {
            return ConditionEvaluationResult.enabled("a Docker-compatible API answers and holds " + IMAGE);
        }
        if ("1".equals(System.getenv(REQUIRED_ENV))) {
            throw new ExtensionConfigurationException("[containers] " + reason + " (" + REQUIRED_ENV + "=1 makes the container tests mandatory)");
        }
        System.err.println("[containers] skipped: " + reason);
        return ConditionEvaluationResult.disabled("[containers] skipped: " + reason + " (" + REQUIRED_ENV + "=1 makes this a failure)");
    }

    /** null when an engine answers and holds {@code image}, else why not. */
    private static synchronized String unavailableReason(String image) {
        if (!probed) {
            probed = true;
            unavailable = findEngine();
        }
        return unavailable != null ? unavailable : missingImage(image);
    }

    /** null when Testcontainers can talk to an engine, else why not. */
    private static String findEngine() {
        String dockerHost = System.getenv("DOCKER_HOST");
        if (dockerHost == null || dockerHost.isBlank()) {
            if (!answersPing(DEFAULT_SOCKET)) {
                String podman = onPath("podman");
                if (podman == null) {
                    return "no Docker-compatible API: DOCKER_HOST is not set, " + DEFAULT_SOCKET
                            + " does not answer and podman is not installed";
                }
                String started = startPodmanService(podman);
                if (started != null) {
                    return started;
                }
            }
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            return "Testcontainers found no Docker-compatible API (DOCKER_HOST=" + dockerHost + ")";
        }
        return null;
    }

    /** podman's Docker API on the default socket, ended with the JVM; null when it answers, else why not. */
    private static String startPodmanService(String podman) {
        Path log = Path.of(System.getProperty("it.log.dir", "target"), "podman-service.log");
        try {
            podmanService = new ProcessBuilder(podman, "system", "service", "--time=0", "unix://" + DEFAULT_SOCKET)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            return "podman's API service did not start: " + e.getMessage();
        }
        Process service = podmanService;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.destroy(); // SIGTERM: podman removes its socket
            try {
                service.waitFor();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }));
        Instant deadline = Instant.now().plus(SERVICE_START);
        while (Instant.now().isBefore(deadline)) {
            if (answersPing(DEFAULT_SOCKET)) {
                System.err.println("[containers] started podman's Docker API at unix://" + DEFAULT_SOCKET + " (log: " + log + ")");
                return null;
            }
            if (!service.isAlive()) {
                return "podman's API service ended with " + service.exitValue() + " (see " + log + ")";
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted while podman's API service started";
            }
        }
        return "podman's API service did not answer at " + DEFAULT_SOCKET + " within " + SERVICE_START.toSeconds() + " s (see " + log + ")";
    }

    /** The Docker API's {@code GET /_ping} over a Unix socket: true when it answers 200. */
    private static boolean answersPing(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer answer = ByteBuffer.allocate(64);
            channel.read(answer);
            String statusLine = new String(answer.array(), 0, answer.position(), StandardCharsets.US_ASCII);
            return statusLine.startsWith("HTTP/1.") && statusLine.contains(" 200");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * null when the engine holds {@code image}. Where podman is installed and the repository has the stand-in's
     * build (docker/test-base/build.sh, as ImageIT uses it: machines without a registry), a missing image is built
     * first; nothing is ever pulled.
     */
    private static String missingImage(String image) {
        if (hasImage(image)) {
            return null;
        }
        Path build = Path.of(System.getProperty("pack.root.dir", "..")).resolve("docker/test-base/build.sh");
        if (onPath("podman") != null && Files.isRegularFile(build)) {
            Path log = Path.of(System.getProperty("it.log.dir", "target"), "test-base.log");
            System.err.println("[containers] " + image + " is not in podman's store: building the stand-in (" + build + ", log " + log + ")");
            try {
                Process process = new ProcessBuilder("bash", build.toString(), System.getProperty("keycloak.version"))
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!process.waitFor(10, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                }
            } catch (IOException e) {
                return "the stand-in's build did not start: " + e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted while the stand-in was built";
            }
            if (hasImage(image)) {
                return null;
            }
            return "the image " + image + " is missing and docker/test-base/build.sh did not make it (see " + log + ")";
        }
        return "the image " + image + " is not in the engine's local store and is never pulled by this test: "
                + "`docker pull " + image + "` where a registry answers, or the stand-in of docker/test-base/ (podman)";
    }

    private static boolean hasImage(String image) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static String onPath(String command) {
        String path = System.getenv("PATH");
        for (String dir : List.of((path == null ? "" : path).split(File.pathSeparator))) {
            File candidate = new File(dir, command);
            if (!dir.isEmpty() && candidate.canExecute()) {
                return candidate.getPath();
            }
        }
        return null;
    }
}
