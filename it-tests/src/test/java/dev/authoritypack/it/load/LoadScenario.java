package dev.authoritypack.it.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.authoritypack.it.hardening.RateLimitIT;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.ClusterNodes;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.RealmAttributes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Traffic through the load balancer while faults happen, phase by phase: {@code before}; a SIGKILL of node 2 and
 * its restart; {@code after kill}; a graceful restart (SIGTERM, Keycloak's shutdown delay, start) of each node named
 * in {@link Plan#rollingRestart}, one after the other, as for an upgrade; {@code after}. At each step back to two
 * nodes it checks what must have survived (sessions, tokens, the rate-limit count during the rebalance); at the end
 * every failure that was not in flight on the killed node is a violation.
 */
public final class LoadScenario {

    /** How long each quiet phase lasts, and which nodes the rolling restart restarts (by index, in order). */
    public record Plan(Duration before, Duration afterKill, Duration after, List<Integer> rollingRestart, int rateLimit) {
    }

    private final LoadRig rig;
    private final Recorder rec = new Recorder();
    private final Checks checks = new Checks();
    private final List<String> notes = new ArrayList<>();
    /** Restarted nodes that formed a cluster of their own instead of joining the other. */
    private final List<String> splits = new ArrayList<>();
    private int rateProbes;

    public LoadScenario(LoadRig rig) {
        this.rig = rig;
    }

    public Recorder recorder() {
        return rec;
    }

    public Checks checks() {
        return checks;
    }

    public List<String> notes() {
        return notes;
    }

    /** Runs the traffic through every phase; returns when the traffic has stopped and the final checks ran. */
    public void run(Traffic.Mix mix, Plan plan) {
        List<String> lockoutAccounts;
        try (Traffic traffic = new Traffic(rig, rec, checks, mix).start()) {
            lockoutAccounts = traffic.lockoutAccounts();
            rec.phase("before");
            LoadRig.sleep(plan.before().toMillis());
            rateLimitProbe("steady, two nodes", plan.rateLimit());

            ClusterNodes.Node victim = rig.cluster().b();
            rec.phase("kill " + victim.name());
            ExecutorService probe = Executors.newSingleThreadExecutor();
            Future<int[]> spanningKill = probe.submit(() -> rateLimitCounts(plan.rateLimit(), Duration.ofSeconds(4)));
            probe.shutdown();
            LoadRig.sleep(3_500); // the probe's requests have begun (2 s after it set the limit)
            long killStart = System.currentTimeMillis();
            victim.kill();
            long killEnd = System.currentTimeMillis();
            rec.fault("SIGKILL", victim.name(), killStart, killEnd);
            Duration out = rig.proxy().awaitState(List.of(victim.name()), "DOWN", Duration.ofSeconds(30));
            note("HAProxy took " + victim.name() + " out " + out.toMillis() + " ms after the SIGKILL");
            checkRateLimitAcrossKill(spanningKill, plan.rateLimit());
            restartAndRejoin(victim, plan.rateLimit());
            checkpoint("after the SIGKILL of " + victim.name(), traffic);

            rec.phase("after kill");
            LoadRig.sleep(plan.afterKill().toMillis());
            for (int index : plan.rollingRestart()) {
                ClusterNodes.Node node = rig.cluster().nodes().get(index);
                rec.phase("restart " + node.name());
                long stopStart = System.currentTimeMillis();
                node.stop();
                long stopEnd = System.currentTimeMillis();
                rec.fault("SIGTERM", node.name(), stopStart, stopEnd);
                note(node.name() + " stopped gracefully in " + (stopEnd - stopStart) + " ms (HAProxy: " + rig.proxy().states() + ")");
                restartAndRejoin(node, plan.rateLimit());
                checkpoint("after the graceful restart of " + node.name(), traffic);
            }
            rec.phase("after");
            LoadRig.sleep(plan.after().toMillis());
        }
        rec.end();
        checkpoint("at the end", null);
        checkLoginFailureCopies(lockoutAccounts);
        for (Recorder.Sample s : rec.samples()) {
            if (s.failed() && !rec.inFlightOnKilledNode(s)) {
                checks.violated("no 5xx except in flight on the killed node", s.op() + " in phase '" + s.phase() + "' got "
                        + (s.status() < 0 ? "no answer" : s.status()) + " from " + s.node() + " at " + s.start() + "+" + s.millis() + " ms");
            }
        }
        checks.exercised("no 5xx except in flight on the killed node");
    }

    /**
     * Keycloak's copies of each locked-and-cleared account's login-failure record, asked of every node (the admin
     * API's attack detection, which changes nothing): the same on all. Their owners can disagree after a node rejoins,
     * which the pack's sign-in repairs before it reads the record (LoginFailureReplicas, docs/load.md "What it
     * found"); each account signed in many times after the last rejoin. Not asked after a split of the cluster,
     * where each side keeps its own records by design.
     */
    private void checkLoginFailureCopies(List<String> emails) {
        if (!splits.isEmpty()) {
            note("login-failure copies not compared: the cluster split " + splits);
            return;
        }
        LoadRig.sleep(2_000); // Keycloak records the last attempts after answering them
        for (String email : emails) {
            String id = Fixtures.userId(rig.admin(), LoadRig.REALM, email);
            Map<String, String> held = new java.util.LinkedHashMap<>();
            for (ClusterNodes.Node node : rig.cluster().nodes()) {
                JsonNode f = LoadRig.loginFailures(new AdminApi(node.baseUri()), id);
                held.put(node.name(), f.path("numFailures").asInt() + " failures, last " + f.path("lastFailure").asLong()
                        + ", not before " + f.path("failedLoginNotBefore").asLong());
            }
            checks.exercised("login-failure records the same on every node");
            if (held.values().stream().distinct().count() > 1) {
                checks.violated("login-failure records the same on every node", email + ": " + held);
            }
        }
    }

    private void restartAndRejoin(ClusterNodes.Node node, int limit) {
        long logSize = node.log().toFile().length();
        long start = System.currentTimeMillis();
        node.restart();
        long answered = System.currentTimeMillis();
        Duration in = rig.proxy().awaitState(List.of(node.name()), "UP", Duration.ofSeconds(60));
        note(node.name() + " answered " + (answered - start) + " ms after its start; HAProxy had it back " + in.toMillis() + " ms later");
        String view = clusterView(node, logSize);
        if (!view.contains("(2)")) {
            // Keycloak's (JGroups') affair, not the pack's: the node did not find the other and formed a cluster of
            // its own; what users then see (lockouts of one side unknown to the other, both nodes not ready) is
            // recorded by the invariants
            note("SPLIT: " + node.name() + " formed a cluster of its own after its restart: " + view);
            splits.add(node.name() + ": " + view);
        }
        // the node has joined the cluster; Infinispan hands it its share of the distributed caches now
        rateLimitProbe("rebalance after " + node.name() + " rejoined", limit);
    }

    /** Sessions made before the faults still sign in; tokens still introspect as they did when issued. */
    private void checkpoint(String when, Traffic traffic) {
        if (traffic != null) {
            for (Http browser : traffic.sessions) {
                Http.Response r;
                try {
                    r = browser.get(Traffic.authorize(dev.authoritypack.it.support.Pkce.S256_CHALLENGE));
                } catch (RuntimeException e) {
                    checks.violated("sessions survive", when + ": no answer: " + e.getMessage());
                    continue;
                }
                checks.exercised("sessions survive (checkpoints)");
                String location = r.header("Location");
                if (r.status() != 302 || location == null || !location.contains("code=")) {
                    checks.violated("sessions survive", when + ": " + r);
                }
            }
        }
        long now = System.currentTimeMillis() / 1000;
        int compared = 0;
        for (Checks.IssuedToken t : new ArrayList<>(checks.tokens)) {
            if (t.exp() != 0 && t.exp() < now + 5) {
                continue; // expired by now (or about to): introspection then rightly says inactive
            }
            Http http = new Http(rig.baseUri());
            Http.Response r;
            try {
                r = Traffic.introspect(http, t.token(), rig.resourceServerSecret);
            } catch (RuntimeException e) {
                checks.violated("tokens introspect the same", when + ": no answer to an introspection: " + e.getMessage());
                continue;
            }
            if (r.status() != 200) {
                checks.violated("tokens introspect the same", when + ": introspection answered " + r.status() + " from " + r.header(
                        dev.authoritypack.it.support.LoadBalancer.NODE_HEADER));
                continue;
            }
            Checks.IssuedToken again = Checks.IssuedToken.of(t.kind(), t.token(), r.json());
            checks.exercised("tokens introspect the same");
            compared++;
            if (!t.sameAs(again)) {
                checks.violated("tokens introspect the same", when + ": a " + t.kind() + " token was " + t + ", now " + again);
            }
        }
        note("checkpoint " + when + ": " + compared + " tokens introspected again"
                + (traffic == null ? "" : ", " + traffic.sessions.size() + " SSO sessions signed in again"));
    }

    /**
     * Sets the {@code register} bucket (a route the traffic does not use) to {@code limit} per a window of its own,
     * sends three times as many requests as allowed through the load balancer from six threads, and checks that
     * exactly {@code limit} passed: one count for the cluster, also while the cache rebalances.
     */
    private void rateLimitProbe(String when, int limit) {
        int[] counts = rateLimitCounts(limit, Duration.ZERO);
        checks.exercised("rate-limit counts exact");
        note("rate limit " + limit + " (" + when + "): " + counts[0] + " allowed, " + counts[1] + " refused, " + counts[2] + " lost, "
                + counts[3] + " answered with another limit");
        if (counts[0] != limit || counts[3] != 0) {
            checks.violated("rate-limit counts exact", when + ": limit " + limit + ", allowed " + counts[0] + " (refused " + counts[1]
                    + ", lost " + counts[2] + ", other limit " + counts[3] + ")");
        }
    }

    /** The probe's concurrent clients: the most a SIGKILL may let through beyond the limit (docs/rate-limits.md). */
    private static final int PROBE_THREADS = 6;

    /**
     * The probe spanning a SIGKILL: requests lost with the node may have been counted (allowed ≥ limit - lost), and
     * increments retried by Infinispan after the abrupt leave may each count once for several concurrent ones
     * (allowed ≤ limit + the concurrent clients; docs/rate-limits.md states this bound).
     */
    private void checkRateLimitAcrossKill(Future<int[]> probe, int limit) {
        try {
            int[] counts = probe.get();
            checks.exercised("rate-limit counts exact");
            note("rate limit " + limit + " (spanning the SIGKILL): " + counts[0] + " allowed, " + counts[1] + " refused, " + counts[2] + " lost, "
                    + counts[3] + " answered with another limit");
            if (counts[0] > limit) {
                note("over the limit by " + (counts[0] - limit) + " across the SIGKILL (bound: " + PROBE_THREADS + ")");
            }
            if (counts[0] > limit + PROBE_THREADS || counts[0] < limit - counts[2] || counts[3] != 0) {
                checks.violated("rate-limit counts exact", "spanning the SIGKILL: limit " + limit + ", allowed " + counts[0] + " (refused "
                        + counts[1] + ", lost " + counts[2] + ", other limit " + counts[3] + ")");
            }
        } catch (Exception e) {
            checks.violated("rate-limit counts exact", "the probe spanning the SIGKILL failed: " + e);
        }
    }

    /** {allowed, refused (429), lost (no answer or 5xx), answered under another limit}, the requests spread over {@code spread}. */
    private int[] rateLimitCounts(int limit, Duration spread) {
        long window = RateLimitIT.safeWindow() + 7 * ++rateProbes; // a window length of its own: fresh counters
        RealmAttributes.set(rig.admin(), LoadRig.REALM, Map.of("authority.rate-limit.register", limit + "/" + window));
        LoadRig.sleep(2_000); // the other node drops its cached realm on the invalidation message
        AtomicInteger allowed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger lost = new AtomicInteger();
        AtomicInteger otherLimit = new AtomicInteger();
        int requests = 3 * limit;
        long pause = spread.toMillis() * PROBE_THREADS / requests;
        ExecutorService pool = Executors.newFixedThreadPool(PROBE_THREADS);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < PROBE_THREADS; t++) {
            workers.add(pool.submit(() -> {
                while (next.getAndIncrement() < requests) {
                    try {
                        Http.Response r = rec.time("register (rate-limit probe)",
                                () -> new Http(rig.baseUri()).postJson("/register", "null"));
                        if (r.status() >= 500) {
                            lost.incrementAndGet();
                        } else if (!String.valueOf(limit).equals(r.header("X-RateLimit-Limit"))) {
                            otherLimit.incrementAndGet();
                        } else if (r.status() == 429) {
                            refused.incrementAndGet();
                        } else {
                            allowed.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        lost.incrementAndGet();
                    }
                    LoadRig.sleep(pause);
                }
            }));
        }
        for (Future<?> w : workers) {
            try {
                w.get();
            } catch (Exception e) {
                lost.incrementAndGet();
            }
        }
        pool.shutdown();
        RealmAttributes.set(rig.admin(), LoadRig.REALM, Map.of("authority.rate-limit.register", "1000000/60"));
        return new int[] {allowed.get(), refused.get(), lost.get(), otherLimit.get()};
    }

    /** The last cluster view the node logged since {@code offset} (Infinispan's ISPN000094), waiting up to 10 s for one of two. */
    private static String clusterView(ClusterNodes.Node node, long offset) {
        String last = "no cluster view logged";
        for (int i = 0; i < 50; i++) {
            try (java.io.RandomAccessFile log = new java.io.RandomAccessFile(node.log().toFile(), "r")) {
                log.seek(offset);
                byte[] tail = new byte[(int) Math.max(0, log.length() - offset)];
                log.readFully(tail);
                for (String line : new String(tail, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                    if (line.contains("ISPN000094")) {
                        last = line.substring(line.indexOf("ISPN000094"));
                    }
                }
            } catch (java.io.IOException e) {
                last = "log unreadable: " + e;
            }
            if (last.contains("(2)")) {
                return last;
            }
            LoadRig.sleep(200);
        }
        return last;
    }

    private void note(String line) {
        notes.add(line);
        System.err.println("[load] " + line);
    }

    /** The table of figures, the notes and the invariants, as printed and as JSON. */
    public ObjectNode report() {
        List<Figures.Row> rows = Figures.rows(rec);
        System.err.println("[load] figures\n" + Figures.table(rows));
        System.err.println("[load] invariants exercised: " + checks.exercised());
        rec.examples().forEach((k, v) -> System.err.println("[load] answer " + k + ": " + v));
        ObjectNode json = Figures.json(rec, rows, checks);
        json.set("notes", Http.JSON.valueToTree(notes));
        json.set("cluster_splits", Http.JSON.valueToTree(splits));
        return json;
    }
}
