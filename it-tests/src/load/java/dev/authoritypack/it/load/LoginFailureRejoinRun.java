package dev.authoritypack.it.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.ApiTraffic;
import dev.authoritypack.it.support.ClusterNodes;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Keycloak's own login-failure records, node by node, after a node rejoined while they were being written ({@code
 * ./mvnw verify -Pload -Dit.test=LoginFailureRejoinRun}, docs/load.md). Where {@link LockoutRejoinRun} signs in,
 * this asks each node directly what it holds: during each round, accounts cycle on node 1 the way the traffic's
 * lockout accounts do (two quick wrong passwords, a lockout of a second, the right password, which clears the
 * record), from node 2's stop until a few seconds after it answers again; then, with nothing written any more, the
 * admin API's attack detection ({@code GET /admin/realms/{realm}/attack-detection/brute-force/users/{id}}, which
 * reads {@code UserLoginFailureProvider} and changes nothing) is asked on node 1 and on node 2 for every account. Both
 * must name the same failures: Keycloak's {@code loginFailures} cache keeps two owners, so each node reads its own
 * copy.
 *
 * <p>Settings ({@code -D}): {@code load.failures.rounds} (3), {@code load.failures.users} (24), {@code
 * load.failures.kill} (false: node 2 stops gracefully; true: SIGKILL), {@code load.failures.via-proxy} (false: the
 * accounts cycle on node 1; true: through the load balancer, so that once node 2 is back an account's two wrong
 * passwords can land on both nodes, as the traffic's do), {@code load.failures.traffic} (false: true runs the full
 * run's mixed traffic meanwhile, as when the lapse was seen).
 */
@ExtendWith(ApiTraffic.class)
class LoginFailureRejoinRun {

    @Test
    void bothNodesHoldTheSameLoginFailuresAfterARejoin() throws Exception {
        LoadRig.assumeLoadRunPossible();
        int rounds = Integer.getInteger("load.failures.rounds", 3);
        int users = Integer.getInteger("load.failures.users", 24);
        boolean kill = Boolean.getBoolean("load.failures.kill");
        boolean viaProxy = Boolean.getBoolean("load.failures.via-proxy");
        Checks trafficChecks = new Checks();
        List<String> differences = new ArrayList<>();
        int compared = 0;
        try (LoadRig rig = LoadRig.start("failure-rejoin");
             Traffic traffic = Boolean.getBoolean("load.failures.traffic")
                     ? new Traffic(rig, new Recorder(), trafficChecks, Traffic.Mix.ofScale(2, java.time.Duration.ofMillis(2000))).start()
                     : null) {
            // one-second lockouts: an account goes from locked to cleared and back every few seconds
            Http.Response shorter = rig.admin().send("PUT", "/realms/" + LoadRig.REALM, "{\"minimumQuickLoginWaitSeconds\":1}");
            assertEquals(204, shorter.status(), shorter::toString);
            ClusterNodes.Node a = rig.cluster().a();
            ClusterNodes.Node b = rig.cluster().b();
            List<String> ids = new ArrayList<>();
            List<String> emails = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                String email = rig.user("failures");
                emails.add(email);
                ids.add(Fixtures.userId(rig.admin(), LoadRig.REALM, email));
            }
            for (int round = 1; round <= rounds; round++) {
                AtomicBoolean churning = new AtomicBoolean(true);
                AtomicInteger cycles = new AtomicInteger();
                ExecutorService pool = Executors.newFixedThreadPool(users);
                List<Future<?>> workers = new ArrayList<>();
                for (String email : emails) {
                    workers.add(pool.submit(() -> churn(viaProxy ? rig.baseUri() : a.baseUri(), email, churning, cycles)));
                }
                LoadRig.sleep(2000);
                long stopped = System.currentTimeMillis();
                if (kill) {
                    b.kill();
                } else {
                    b.stop();
                }
                b.restart();
                long answered = System.currentTimeMillis();
                LoadRig.sleep(5000);
                churning.set(false);
                for (Future<?> w : workers) {
                    w.get(2, TimeUnit.MINUTES);
                }
                pool.shutdownNow();
                LoadRig.sleep(3000); // Keycloak records failures after the answer (DefaultBruteForceProtector#processLogin)
                List<String> found = compare(a, b, emails, ids);
                compared += ids.size();
                System.err.println("[failures] round " + round + ": " + b.name() + (kill ? " killed" : " stopped") + ", answered "
                        + (answered - stopped) + " ms later; " + cycles.get() + " lock-and-clear cycles "
                        + (viaProxy ? "through the load balancer" : "on " + a.name()) + "; "
                        + found.size() + " accounts differ");
                found.forEach(d -> System.err.println("[failures] DIFFERENT " + d));
                if (!found.isEmpty()) {
                    LoadRig.sleep(10_000);
                    List<String> later = compare(a, b, emails, ids);
                    System.err.println("[failures] round " + round + ", 10 s later: " + later.size() + " accounts differ");
                    later.forEach(d -> System.err.println("[failures] STILL DIFFERENT " + d));
                }
                differences.addAll(found);
                rig.proxy().awaitState(List.of(b.name()), "UP", java.time.Duration.ofSeconds(60));
            }
        }
        System.err.println("[failures] " + compared + " records compared in " + rounds + " rounds");
        trafficChecks.violations().forEach(v -> System.err.println("[failures] traffic VIOLATION " + v));
        differences.addAll(trafficChecks.violations());
        assertEquals(List.of(), differences, "both nodes hold the same login failures after a rejoin");
    }

    /** Lock (two wrong passwords within Keycloak's quick-login check), wait out the second's lockout, sign in (clears). */
    private static void churn(java.net.URI base, String email, AtomicBoolean churning, AtomicInteger cycles) {
        Http http = new Http(base);
        while (churning.get()) {
            try {
                http.postForm("/signin", Map.of("email", email, "password", "wrong-password"), "Accept", "application/json");
                http.postForm("/signin", Map.of("email", email, "password", "wrong-password"), "Accept", "application/json");
                LoadRig.sleep(1500);
                http.postForm("/signin", Map.of("email", email, "password", LoadRig.PASSWORD), "Accept", "application/json");
                cycles.incrementAndGet();
            } catch (RuntimeException e) {
                LoadRig.sleep(200); // the node is busy or restarting: go on
            }
        }
    }

    /** Accounts whose failures differ between the nodes, each with both nodes' answers. */
    private static List<String> compare(ClusterNodes.Node a, ClusterNodes.Node b, List<String> emails, List<String> ids) {
        AdminApi onA = new AdminApi(a.baseUri());
        AdminApi onB = new AdminApi(b.baseUri());
        List<String> found = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            JsonNode first = LoadRig.loginFailures(onA, ids.get(i));
            JsonNode second = LoadRig.loginFailures(onB, ids.get(i));
            if (first.path("numFailures").asInt() != second.path("numFailures").asInt()
                    || first.path("lastFailure").asLong() != second.path("lastFailure").asLong()) {
                found.add(emails.get(i) + ": " + a.name() + " " + first + ", " + b.name() + " " + second);
            }
        }
        return found;
    }
}
