package dev.authoritypack.it.bench;

import dev.authoritypack.it.support.Distribution;
import dev.authoritypack.it.support.KeycloakServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keycloak in production mode for the benchmark, as an operator runs it: a built distribution ({@link Distribution},
 * dev-file database) started with {@code kc.sh start --optimized} on loopback ports; with or without the pack.
 */
final class BenchServer implements AutoCloseable {

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private final String name;
    private final Path home;
    private final Path log;
    private final boolean withPack;
    private final int httpPort = KeycloakServer.freePort();
    private final int managementPort = KeycloakServer.freePort();
    private final int clusterPort = KeycloakServer.freePort();
    private Process process;

    private BenchServer(String name, Path home, Path log, boolean withPack) {
        this.name = name;
        this.home = home;
        this.log = log;
        this.withPack = withPack;
    }

    /** Builds a distribution under {@code dir/name}: stock Keycloak, or Keycloak with the pack's jars and realm. */
    static BenchServer build(Path dir, String name, boolean withPack) {
        Path home = Distribution.build(dir.resolve(name), withPack, List.of("--db=dev-file", "--health-enabled=true"),
                dir.resolve(name + "-build.log"));
        return new BenchServer(name, home, dir.resolve(name + ".log"), withPack);
    }

    URI baseUri() {
        return URI.create("http://localhost:" + httpPort);
    }

    /** Starts the server; returns the milliseconds from launching {@code kc.sh} to the first 200 of the realm. */
    long start(boolean importRealm) {
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/kc.sh").toString(), "start", "--optimized",
                "--http-enabled=true", "--hostname-strict=false", "--http-host=127.0.0.1", "--http-port=" + httpPort,
                "--http-management-port=" + managementPort,
                // a one-node cluster on loopback: Keycloak's default cache stack, as a production node runs it
                "--cache-embedded-network-bind-address=127.0.0.1", "--cache-embedded-network-bind-port=" + clusterPort));
        if (importRealm) {
            command.add("--import-realm");
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("AUTHORITY_"));
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", KeycloakServer.ADMIN_USER);
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", KeycloakServer.ADMIN_PASSWORD);
        env.put("JAVA_HOME", System.getProperty("java.home"));
        String recording = System.getProperty("bench.jfr", "");
        if (withPack && !recording.isBlank() && !importRealm) {
            // -Dbench.jfr=FILE: Java Flight Recorder's profile of the pack's server, written when it stops
            env.put("JAVA_OPTS_APPEND", "-XX:StartFlightRecording=settings=profile,filename=" + Path.of(recording).toAbsolutePath());
        }
        // the realm's mail settings (no mail is sent in the benchmark; nothing listens there)
        env.put("AUTHORITY_SMTP_HOST", "127.0.0.1");
        env.put("AUTHORITY_SMTP_PORT", String.valueOf(KeycloakServer.freePort()));
        env.put("AUTHORITY_SMTP_FROM", "benchmark@example.com");
        // thousands of requests a second from one address: the suite's limits, out of reach; the guard pairs set a
        // realm's own limit where they measure it
        env.putAll(KeycloakServer.suiteRateLimits());
        URI probe = URI.create(baseUri() + (withPack ? "/realms/authority" : "/realms/master"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long t0 = System.nanoTime();
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = t0 + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited while starting; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return (System.nanoTime() - t0) / 1_000_000;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            KeycloakServer.sleep(100);
        }
        throw new IllegalStateException(name + " did not answer within 4 minutes; see " + log);
    }

    /** The server's Java heap in use after a full collection, in MiB ({@code jcmd GC.run}, then {@code GC.heap_info}). */
    double heapAfterGcMiB() {
        long pid = process.toHandle().descendants().filter(p -> p.info().command().orElse("").endsWith("java")).findFirst()
                .orElse(process.toHandle()).pid();
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        jcmdOutput(jcmd, pid, "GC.run");
        Matcher m = HEAP_USED.matcher(jcmdOutput(jcmd, pid, "GC.heap_info"));
        if (!m.find()) {
            throw new IllegalStateException("no heap figure from jcmd for " + name);
        }
        return Long.parseLong(m.group(1)) / 1024.0;
    }

    private static String jcmdOutput(String jcmd, long pid, String command) {
        try {
            Process p = new ProcessBuilder(jcmd, String.valueOf(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    void stop() {
        KeycloakServer.stopTree(process);
        process = null;
    }

    @Override
    public void close() {
        stop();
    }
}
