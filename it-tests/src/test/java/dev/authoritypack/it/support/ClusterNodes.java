package dev.authoritypack.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Two Keycloak nodes in production mode on one PostgreSQL database, as an operator runs the pack: the Dockerfile's
 * steps without Docker (the pack's jars in {@code providers/}, {@code kc.sh build --db=postgres --health-enabled=true},
 * then {@code kc.sh start --optimized --import-realm}), Keycloak's default {@code jdbc-ping} cache stack with the
 * cluster bound to 127.0.0.1 ({@code docs/testing.md}), one shared {@code --hostname}, HTTP on distinct ports.
 */
public final class ClusterNodes implements AutoCloseable {

    private final Path root;
    private final Database.Postgres db;
    private final MailServer mail;
    private final List<Node> nodes = new ArrayList<>();
    /** The port of the host name every node names ({@code --hostname}): node A's own, or a load balancer's. */
    private final int frontendPort;
    /** When a load balancer is the front end, node A listens on a port of its own. */
    private final boolean frontendIsProxy;
    /** Settings every node gets besides the suite's (behind a load balancer: the shutdown delay). */
    private final Map<String, String> extraEnv;

    /** One node: its distribution, ports and process. */
    public final class Node {
        final String name;
        final Path home;
        final int httpPort;
        final int managementPort = KeycloakServer.freePort();
        final int clusterPort = KeycloakServer.freePort();
        Process process;

        Node(String name, Path home, int httpPort) {
            this.name = name;
            this.home = home;
            this.httpPort = httpPort;
            ApiTraffic.server(httpPort);
        }

        public URI baseUri() {
            return URI.create("http://localhost:" + httpPort);
        }

        public Path log() {
            return root.resolve(name + ".log");
        }

        public String name() {
            return name;
        }

        public int httpPort() {
            return httpPort;
        }

        /** The management port: {@code /health/ready} there is what a load balancer checks. */
        public int managementPort() {
            return managementPort;
        }

        public boolean isRunning() {
            return process != null && process.isAlive();
        }

        void start() {
            List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/kc.sh").toString(), "start", "--optimized",
                    "--import-realm",
                    "--db-url=" + db.jdbcUrl(db.databaseName()), "--db-username=postgres",
                    "--hostname=http://localhost:" + frontendPort, "--http-enabled=true",
                    "--http-host=127.0.0.1", "--http-port=" + httpPort, "--http-management-port=" + managementPort,
                    "--cache-embedded-network-bind-address=127.0.0.1", "--cache-embedded-network-bind-port=" + clusterPort));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("AUTHORITY_SMTP_"));
            env.put("KC_BOOTSTRAP_ADMIN_USERNAME", KeycloakServer.ADMIN_USER);
            env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", KeycloakServer.ADMIN_PASSWORD);
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.put("AUTHORITY_SMTP_HOST", "127.0.0.1");
            env.put("AUTHORITY_SMTP_PORT", String.valueOf(mail.port()));
            env.put("AUTHORITY_SMTP_FROM", MailServer.FROM);
            env.putAll(KeycloakServer.suiteRateLimits());
            env.putAll(extraEnv);
            // -Dit.cluster.log-level=INFO,org.jgroups.protocols.pbcast.GMS:debug and the like, to follow joins and
            // merges in the nodes' logs when a cluster run is investigated (Keycloak's --log-level syntax)
            String logLevel = System.getProperty("it.cluster.log-level", "");
            if (!logLevel.isBlank()) {
                env.put("KC_LOG_LEVEL", logLevel);
            }
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            KeycloakServer.awaitAnswer(process, URI.create(baseUri() + "/realms/authority"), Duration.ofMinutes(4), log());
        }

        /**
         * The first start. A node that exits while starting is started once more, with the reason printed: a CI run
         * once saw node 1 exit at start without its log at hand; the second failure fails the test with the log's
         * errors.
         */
        void startOnce(Runnable beforeRetry) {
            try {
                start();
            } catch (IllegalStateException e) {
                if (process != null && process.isAlive()) {
                    throw e;
                }
                System.err.println("[cluster] " + name + " failed to start, starting it once more: " + e.getMessage());
                beforeRetry.run();
                start();
            }
        }

        /** Starts the node again on its distribution and ports; returns when it answers. */
        public void restart() {
            start();
        }

        /** SIGKILL, as a crashed machine. */
        public void kill() {
            if (process != null) {
                // every process of the tree, waited for: kc.sh's shell exits at once, while the JVM it started takes
                // a few milliseconds more to die, still holding its sockets (a load test counts from its end)
                List<ProcessHandle> tree = new ArrayList<>(process.toHandle().descendants().toList());
                tree.add(process.toHandle());
                tree.forEach(ProcessHandle::destroyForcibly);
                // polled every 5 ms: onExit() of a process that is not our child learns of its end only by polling
                // at growing intervals (seen: 1.8 s), which would widen "in flight on the killed node" for nothing
                Instant deadline = Instant.now().plusSeconds(60);
                while (tree.stream().anyMatch(ProcessHandle::isAlive)) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException(name + " did not die within 60 s of SIGKILL");
                    }
                    KeycloakServer.sleep(5);
                }
                process = null;
            }
        }

        /** SIGTERM and wait for the exit: Keycloak's graceful shutdown, as an orchestrator stops a node to upgrade it. */
        public void stop() {
            KeycloakServer.stopTree(process);
            process = null;
        }
    }

    /** The nodes' database. */
    public Database.Postgres database() {
        return db;
    }

    private ClusterNodes(Path root, Database.Postgres db, MailServer mail, int proxyPort) {
        this.root = root;
        this.db = db;
        this.mail = mail;
        this.frontendIsProxy = proxyPort > 0;
        this.frontendPort = frontendIsProxy ? proxyPort : KeycloakServer.freePort();
        // Keycloak's pre-shutdown phase (Quarkus' shutdown delay): /health/ready answers 503 while requests are still
        // served, long enough for a load balancer checking every second, out after two failures, to take the node out
        this.extraEnv = frontendIsProxy ? Map.of("KC_SHUTDOWN_DELAY", "3s", "KC_SHUTDOWN_TIMEOUT", "10s") : Map.of();
    }

    /** Builds the distribution once (the Dockerfile's steps), then starts two nodes and waits for a cluster of two. */
    public static ClusterNodes start(MailServer mail) {
        return start(mail, "cluster", 0);
    }

    /**
     * Two nodes whose host name is a load balancer's ({@code http://localhost:<proxyPort>}), the way they run behind
     * one; their logs under {@code target/<dirName>/}.
     */
    public static ClusterNodes startBehindProxy(MailServer mail, String dirName, int proxyPort) {
        return start(mail, dirName, proxyPort);
    }

    private static ClusterNodes start(MailServer mail, String dirName, int proxyPort) {
        Path root = Path.of(System.getProperty("it.log.dir", "target")).resolve(dirName);
        Database.Postgres db = new Database.Postgres("127.0.0.1", 5432, "kc_cluster_" + ProcessHandle.current().pid() + "_" + System.currentTimeMillis() % 100000);
        db.create();
        ClusterNodes cluster = new ClusterNodes(root, db, mail, proxyPort);
        try {
            KeycloakServer.deleteRecursively(root);
            Files.createDirectories(root);
            Path built = Distribution.build(root.resolve("keycloak-built"), true, List.of("--db=postgres", "--health-enabled=true"),
                    root.resolve("build.log"));
            for (int i = 1; i <= 2; i++) {
                Path home = root.resolve("node" + i);
                Distribution.copyTree(built, home, p -> true);
                Node node = cluster.new Node("node" + i, home, i == 1 && !cluster.frontendIsProxy ? cluster.frontendPort : KeycloakServer.freePort());
                cluster.nodes.add(node);
                // one after the other: the first imports the realm (and is retried on a fresh database, as a half-made
                // schema or a migration lock of the failed start would hold the retry up)
                node.startOnce(i == 1 ? () -> { db.drop(); db.create(); } : () -> { });
            }
            cluster.awaitClusterOfTwo(Duration.ofMinutes(2));
            return cluster;
        } catch (RuntimeException | IOException e) {
            cluster.close();
            throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
    }

    public Node a() {
        return nodes.get(0);
    }

    public Node b() {
        return nodes.get(1);
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** The admin API through node A. */
    public AdminApi admin() {
        return new AdminApi(a().baseUri());
    }

    private void awaitClusterOfTwo(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try {
                // Infinispan logs each new view: "ISPN000094: Received new cluster view for channel ISPN: [..] (2) [..]"
                if (Files.readString(b().log()).lines().anyMatch(l -> l.contains("ISPN000094") && l.contains("(2)"))) {
                    return;
                }
            } catch (IOException e) {
                // not written yet
            }
            KeycloakServer.sleep(500);
        }
        throw new IllegalStateException("the two nodes did not form a cluster within " + timeout + "; see " + root);
    }

    @Override
    public void close() {
        nodes.forEach(Node::stop);
        db.drop();
    }
}
