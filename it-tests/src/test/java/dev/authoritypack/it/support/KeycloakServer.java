package dev.authoritypack.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Keycloak from the distribution zip (unpacked by Maven from Central), with the pack's jars in its
 * {@code providers/} and the {@code realm-config/} realm imported, run as a child process on free ports.
 *
 * <p>Never uses 8080: a developer's own {@code ./run.sh} server keeps running beside the tests.
 */
public final class KeycloakServer {

    public static final String ADMIN_USER = "it-admin";
    public static final String ADMIN_PASSWORD = "it-admin-password";

    private final Path home;
    private final Path providers;
    private final Path realmConfig;
    private final Path log;
    private final Database database;
    private final MailServer mail;
    private final int httpPort;
    private final int managementPort;
    private Process process;
    /** Settings of one start only ({@link #restartWith}). */
    private Map<String, String> startSettings = Map.of();

    KeycloakServer(Database database, MailServer mail) {
        this.mail = mail;
        this.home = Path.of(required("keycloak.dist.dir"));
        this.providers = Path.of(required("pack.providers.dir"));
        this.realmConfig = projectRoot().resolve("realm-config");
        this.log = Path.of(System.getProperty("it.log.dir", "target")).resolve("keycloak-" + database.name() + ".log");
        this.database = database;
        this.httpPort = freePort();
        this.managementPort = freePort();
        ApiTraffic.server(httpPort);
    }

    public static Path projectRoot() {
        return Path.of(required("pack.root.dir"));
    }

    public URI baseUri() {
        return URI.create("http://localhost:" + httpPort);
    }

    public URI issuer(String realm) {
        return URI.create(baseUri() + "/realms/" + realm);
    }

    public int httpPort() {
        return httpPort;
    }

    public Database database() {
        return database;
    }

    public Path logFile() {
        return log;
    }

    /** Installs the pack on a clean data directory and starts the server. */
    void startFresh() {
        deleteRecursively(home.resolve("data"));
        install();
        start();
    }

    /** Stops and starts the same server on the same data, as an operator's restart would. */
    public void restart() {
        restartWith(Map.of());
    }

    /** A restart with settings ({@code KC_*} variables) for this one start; a later restart goes without them. */
    public void restartWith(Map<String, String> settings) {
        stop();
        startSettings = settings;
        try {
            start();
        } finally {
            startSettings = Map.of();
        }
    }

    private void install() {
        installPack(home);
    }

    /**
     * The pack's jars into a distribution's {@code providers/}, the realm into its {@code data/import/}: both from the
     * release bundle (it-tests/pom.xml, execution {@code pack-providers}), as an operator installs them.
     */
    static void installPack(Path home) {
        Path providers = Path.of(required("pack.providers.dir"));
        Path realmConfig = Path.of(required("pack.bundle.dir")).resolve("realm");
        try (Stream<Path> old = Files.list(home.resolve("providers"))) {
            for (Path p : old.filter(p -> p.getFileName().toString().startsWith("authority-")).toList()) {
                Files.delete(p);
            }
            try (Stream<Path> jars = Files.list(providers)) {
                for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    Files.copy(jar, home.resolve("providers").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Path imports = Files.createDirectories(home.resolve("data/import"));
            Files.copy(realmConfig.resolve("authority-realm.json"), imports.resolve("authority-realm.json"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the pack into " + home, e);
        }
    }

    private void start() {
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--import-realm",
                "--http-port=" + httpPort,
                "--http-management-port=" + managementPort,
                "--hostname-strict=false"));
        command.addAll(database.serverOptions());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("KC_")); // the developer's own settings must not leak in
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("JAVA_HOME", System.getProperty("java.home"));
        // the realm export's SMTP placeholders: mail goes to the test JVM's GreenMail
        env.keySet().removeIf(k -> k.startsWith("AUTHORITY_SMTP_"));
        env.put("AUTHORITY_SMTP_HOST", "127.0.0.1");
        env.put("AUTHORITY_SMTP_PORT", String.valueOf(mail.port()));
        env.put("AUTHORITY_SMTP_FROM", MailServer.FROM);
        env.putAll(suiteRateLimits());
        env.putAll(startSettings);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        awaitReady(Duration.ofMinutes(Long.getLong("it.start.minutes", 4))); // -Dit.start.minutes=10 on a busy machine
    }

    private void awaitReady(Duration timeout) {
        try {
            awaitAnswer(process, URI.create(baseUri() + "/realms/master"), timeout, log);
        } catch (IllegalStateException e) {
            stop();
            throw e;
        }
    }

    /**
     * Server-wide rate limits for the suite: every test talks from 127.0.0.1, thousands of requests in seconds, so the
     * server's limits are raised out of reach; RateLimitIT sets the realm attributes that override them where it
     * tests the limits themselves.
     */
    public static Map<String, String> suiteRateLimits() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (String bucket : List.of("TOKEN", "INTROSPECT", "REVOKE", "DEVICE_CODE", "ACTIVATE", "SIGNIN", "SIGNIN_ACCOUNT",
                "ACCOUNT", "API_LOGIN", "REGISTER", "OTHER")) {
            env.put("KC_SPI_RATE_LIMITS__DEFAULT__" + bucket, "1000000/60");
        }
        return env;
    }

    /** Waits until the process answers 200 at the probe; fails when it exits or the time is up. */
    public static void awaitAnswer(Process process, URI probeUri, Duration timeout, Path log) {
        awaitAnswer(process, probeUri, timeout, log, null);
    }

    /** The same for an https probe whose certificate {@code ssl} trusts (a test's own proxy). */
    public static void awaitAnswer(Process process, URI probeUri, Duration timeout, Path log, javax.net.ssl.SSLContext ssl) {
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (ssl != null) {
            client.sslContext(ssl);
        }
        HttpClient http = client.build();
        HttpRequest probe = HttpRequest.newBuilder(probeUri).timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (process == null || !process.isAlive()) {
                throw new IllegalStateException("Keycloak exited while starting; see " + log + errors(log));
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(500);
        }
        throw new IllegalStateException("Keycloak did not answer at " + probeUri + " within " + timeout + "; see " + log);
    }

    /** The log's ERROR lines (at most ten), so a failed start says why in the test report itself. */
    private static String errors(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            List<String> errors = lines.filter(l -> l.contains("ERROR")).limit(10).toList();
            return errors.isEmpty() ? "" : "\n" + String.join("\n", errors);
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }

    /** Stops Keycloak and every process it started (kc.sh may run Java as a child). */
    public void stop() {
        stopTree(process);
        process = null;
    }

    /** SIGTERM to a process and every process it started (kc.sh may run Java as a child), then waits for them. */
    public static void stopTree(Process process) {
        if (process == null) {
            return;
        }
        ProcessHandle handle = process.toHandle();
        List<ProcessHandle> tree = new ArrayList<>(handle.descendants().toList());
        tree.add(handle);
        tree.forEach(ProcessHandle::destroy); // SIGTERM: Keycloak shuts down cleanly
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
    }

    boolean isRunning() {
        return process != null && process.isAlive();
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set; run the tests with ./mvnw verify");
        }
        return value;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
