package dev.authoritypack.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Debian's HAProxy in front of {@link ClusterNodes}, as an operator runs a cluster: round robin over the nodes' HTTP
 * ports, each node checked on its management port's {@code /health/ready} (Keycloak's readiness, {@code
 * --health-enabled=true}) every second, out after two failed checks and back after two good ones. A request whose
 * connection a node refuses (stopped or killed) is sent to the other node ({@code retries}, {@code option
 * redispatch}); a request already sent is never sent twice (no {@code retry-on} beyond connection failures), so a
 * request in flight on a killed node is lost, as in production. Each answer names the node that gave it in {@code
 * X-Load-Node} (HAProxy's own errors name the node they were for). The proxy's statistics ({@code ;csv}) say
 * whether it has a node in or out.
 */
public final class LoadBalancer implements AutoCloseable {

    public static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    /** The answer header that names the node ({@code node1}, {@code node2}) or is absent when none was chosen. */
    public static final String NODE_HEADER = "X-Load-Node";

    private final int port = KeycloakServer.freePort();
    private final int statsPort = KeycloakServer.freePort();
    private final Path dir;
    private Process process;

    private LoadBalancer(Path dir) {
        this.dir = dir;
    }

    /** Why the load balancer cannot run here, if it cannot ({@code apt-get install haproxy}). */
    public static Optional<String> unavailableReason() {
        return Files.isExecutable(HAPROXY) ? Optional.empty() : Optional.of("no " + HAPROXY + " (apt-get install haproxy)");
    }

    /** A load balancer whose port is taken now, to be named as the nodes' host name before they start. */
    public static LoadBalancer prepare(Path dir) {
        return new LoadBalancer(dir);
    }

    public int port() {
        return port;
    }

    public URI baseUri() {
        return URI.create("http://localhost:" + port);
    }

    /** Writes the configuration for the nodes and starts HAProxy in the foreground (its log beside the nodes'). */
    public LoadBalancer start(List<ClusterNodes.Node> nodes) {
        StringBuilder servers = new StringBuilder();
        for (ClusterNodes.Node node : nodes) {
            servers.append("    server ").append(node.name()).append(" 127.0.0.1:").append(node.httpPort())
                    .append(" check port ").append(node.managementPort()).append(" inter 1s fall 2 rise 2\n");
        }
        String config = """
                global
                    maxconn 2000
                    stats socket %s level admin
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 60s
                    timeout server 60s
                    retries 2
                    option redispatch 1
                    option http-server-close
                frontend authority
                    bind 127.0.0.1:%d
                    default_backend keycloak
                backend keycloak
                    balance roundrobin
                    option httpchk GET /health/ready
                    http-check expect status 200
                    http-after-response set-header %s %%s
                %slisten stats
                    bind 127.0.0.1:%d
                    stats enable
                    stats uri /stats
                """.formatted(dir.resolve("haproxy.sock").toAbsolutePath(), port, NODE_HEADER, servers, statsPort);
        try {
            Files.createDirectories(dir);
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, config);
            process = new ProcessBuilder(HAPROXY.toString(), "-db", "-f", cfg.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("haproxy.log").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitState(nodes.stream().map(ClusterNodes.Node::name).toList(), "UP", Duration.ofSeconds(30));
        return this;
    }

    /** Each node's state as HAProxy sees it ({@code UP}, {@code DOWN}, {@code UP 1/2}, ...), from its statistics. */
    public Map<String, String> states() {
        Map<String, String> states = new LinkedHashMap<>();
        try {
            HttpResponse<String> csv = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            List<String> header = null;
            for (String line : csv.body().lines().toList()) {
                List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
                if (line.startsWith("# ")) {
                    cells.set(0, cells.get(0).substring(2));
                    header = cells;
                } else if (header != null && cells.size() > 1 && "keycloak".equals(cells.get(0))
                        && !cells.get(1).equals("BACKEND")) {
                    states.put(cells.get(1), cells.get(header.indexOf("status")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return states;
    }

    /** Waits until HAProxy has every named node in the state ({@code UP} or {@code DOWN}); the time it took. */
    public Duration awaitState(List<String> nodeNames, String state, Duration timeout) {
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        Map<String, String> last = Map.of();
        while (Instant.now().isBefore(deadline)) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("haproxy exited; see " + dir.resolve("haproxy.log"));
            }
            try {
                last = states();
                Map<String, String> seen = last;
                if (nodeNames.stream().allMatch(n -> state.equals(seen.get(n)))) {
                    return Duration.between(start, Instant.now());
                }
            } catch (UncheckedIOException notYet) {
                // the statistics port is not open yet
            }
            KeycloakServer.sleep(200);
        }
        throw new IllegalStateException("HAProxy did not see " + nodeNames + " " + state + " within " + timeout + ": " + last);
    }

    /** Takes a node out of the rotation ({@code disable server}) or puts it back, through HAProxy's admin socket. */
    public void rotation(String nodeName, boolean in) {
        try (java.nio.channels.SocketChannel socket = java.nio.channels.SocketChannel.open(
                java.net.UnixDomainSocketAddress.of(dir.resolve("haproxy.sock").toAbsolutePath()))) {
            socket.write(java.nio.ByteBuffer.wrap(((in ? "enable" : "disable") + " server keycloak/" + nodeName + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            socket.read(java.nio.ByteBuffer.allocate(1024));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitState(List.of(nodeName), in ? "UP" : "MAINT", Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        KeycloakServer.stopTree(process);
        process = null;
    }
}
