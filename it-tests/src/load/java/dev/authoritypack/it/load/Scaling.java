package dev.authoritypack.it.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Pkce;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One node against two at the same latency: closed-loop workers (no pause: each sends its next request when the last
 * is answered) at 1, 2, 4 and 8 at once, each repeating a client-credentials grant and a code flow on its SSO session
 * (authorize, code exchange), first with HAProxy sending to both nodes, then with node 2 out of the rotation (it stays
 * in the cluster: the caches still write to both owners). The scaling factor is two nodes' throughput at the p95
 * one node has with 4 workers, read off two nodes' curve (linear between steps), divided by one node's throughput there.
 */
final class Scaling {

    private static final int[] WORKERS = {1, 2, 4, 8};

    private final LoadRig rig;
    private final Duration step;

    Scaling(LoadRig rig, Duration step) {
        this.rig = rig;
        this.step = step;
    }

    ObjectNode measure() {
        ObjectNode out = Http.JSON.createObjectNode();
        List<double[]> two = curve(out.putArray("two_nodes"), "two nodes");
        rig.proxy().rotation(rig.cluster().b().name(), false);
        List<double[]> one;
        try {
            one = curve(out.putArray("one_node"), "one node");
        } finally {
            rig.proxy().rotation(rig.cluster().b().name(), true);
        }
        double[] reference = one.get(2); // 4 workers: {workers, throughput, p95}
        double twoAtSameP95 = throughputAt(two, reference[2]);
        out.put("reference_p95_ms", reference[2]);
        out.put("one_node_per_second", reference[1]);
        out.put("two_nodes_per_second_at_that_p95", twoAtSameP95);
        out.put("scaling_factor", Math.round(twoAtSameP95 / reference[1] * 100) / 100.0);
        System.err.printf("[load] scaling: one node %.1f/s at p95 %.0f ms; two nodes %.1f/s at that p95: factor %.2f%n",
                reference[1], reference[2], twoAtSameP95, twoAtSameP95 / reference[1]);
        return out;
    }

    /** Two nodes' throughput where their p95 equals {@code p95}: linear between the steps that bracket it. */
    static double throughputAt(List<double[]> curve, double p95) {
        for (int i = 1; i < curve.size(); i++) {
            double[] a = curve.get(i - 1);
            double[] b = curve.get(i);
            if (a[2] <= p95 && p95 <= b[2]) {
                return b[2] == a[2] ? b[1] : a[1] + (b[1] - a[1]) * (p95 - a[2]) / (b[2] - a[2]);
            }
        }
        // outside the measured range: the nearest end (a p95 never reached means at least the highest throughput)
        return p95 < curve.get(0)[2] ? curve.get(0)[1] : curve.get(curve.size() - 1)[1];
    }

    private List<double[]> curve(ArrayNode json, String label) {
        List<double[]> points = new ArrayList<>();
        for (int workers : WORKERS) {
            double[] point = run(workers);
            points.add(point);
            json.addObject().put("workers", workers).put("per_second", Math.round(point[1] * 10) / 10.0).put("p95_ms", point[2])
                    .put("p50_ms", point[3]).put("failures", point[4]);
            System.err.printf("[load] scaling %s, %d workers: %.1f requests/s, p50 %.0f ms, p95 %.0f ms, %d failures%n",
                    label, workers, point[1], point[3], point[2], (int) point[4]);
        }
        return points;
    }

    /** {workers, requests per second, p95 ms, p50 ms, failures} of {@code workers} closed loops for one step. */
    private double[] run(int workers) {
        List<Http> browsers = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            Http browser = new Http(rig.baseUri());
            String email = rig.user("scaling");
            browser.postForm("/signin", Map.of("email", email, "password", LoadRig.PASSWORD));
            browsers.add(browser);
        }
        ConcurrentLinkedQueue<Long> millis = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Integer> failures = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        long end = System.currentTimeMillis() + step.toMillis();
        List<Future<?>> running = new ArrayList<>();
        for (Http browser : browsers) {
            running.add(pool.submit(() -> {
                while (System.currentTimeMillis() < end) {
                    timed(millis, failures, () -> browser.postForm("/token", Map.of("grant_type", "client_credentials",
                            "client_id", LoadRig.SERVICE, "client_secret", LoadRig.SERVICE_SECRET)));
                    Http.Response auth = timed(millis, failures, () -> browser.get(Traffic.authorize(Pkce.S256_CHALLENGE)));
                    String location = auth == null ? null : auth.header("Location");
                    if (location != null && location.contains("code=")) {
                        String code = location.replaceAll(".*[?&]code=([^&]+).*", "$1");
                        timed(millis, failures, () -> browser.postForm("/token", Map.of("grant_type", "authorization_code", "code", code,
                                "client_id", LoadRig.APP, "redirect_uri", LoadRig.APP_REDIRECT, "code_verifier", Pkce.VERIFIER)));
                    }
                }
            }));
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (Exception e) {
                failures.add(1);
            }
        }
        pool.shutdown();
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        return new double[] {workers, sorted.size() / (step.toMillis() / 1000.0), Figures.percentile(sorted, 95), Figures.percentile(sorted, 50),
                failures.size()};
    }

    private static Http.Response timed(ConcurrentLinkedQueue<Long> millis, ConcurrentLinkedQueue<Integer> failures,
                                       java.util.function.Supplier<Http.Response> request) {
        long start = System.currentTimeMillis();
        try {
            Http.Response r = request.get();
            millis.add(System.currentTimeMillis() - start);
            if (r.status() >= 500) {
                failures.add(r.status());
            }
            return r;
        } catch (RuntimeException e) {
            failures.add(-1);
            return null;
        }
    }
}
