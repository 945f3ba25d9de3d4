package dev.authoritypack.it.bench;

import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.PackIntegrationTest;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The cost of the pack's routes next to Keycloak's own endpoints, on the same server in the same run:
 * {@code ./mvnw verify -Pbenchmark}. Prints a table; asserts only that every request succeeded (speed is
 * measured, not asserted). Bounded: a fixed number of requests to 127.0.0.1, then it stops.
 */
@PackIntegrationTest
class RouteOverheadBenchmark {

    private static final int WARMUP = 200;
    private static final int ROUNDS = 4;
    private static final int REQUESTS_PER_ROUND = 250;
    private static final int REQUESTS = ROUNDS * REQUESTS_PER_ROUND;
    private static final int THREADS = 4;

    private record Row(String name, double p50, double p95, double perSecond) {
    }

    @Test
    void documentedRoutesNextToKeycloaksOwn(AdminApi admin, Http http) throws Exception {
        admin.createClient("authority", """
                {"clientId": "bench-client", "publicClient": false, "secret": "bench-secret", "serviceAccountsEnabled": true,
                 "standardFlowEnabled": false}""");
        String form = Http.form(Map.of("grant_type", "client_credentials", "client_id", "bench-client", "client_secret", "bench-secret"));
        String json = "{\"grant_type\":\"client_credentials\",\"client_id\":\"bench-client\",\"client_secret\":\"bench-secret\"}";

        Map<String, Supplier<HttpRequest>> cases = new java.util.LinkedHashMap<>();
        cases.put("GET  /realms/authority/protocol/openid-connect/certs (Keycloak)", () -> http.request("/realms/authority/protocol/openid-connect/certs").GET().build());
        cases.put("GET  /.well-known/jwks.json (pack, host root)", () -> http.request("/.well-known/jwks.json").GET().build());
        cases.put("GET  /realms/authority/.well-known/openid-configuration (Keycloak)", () -> http.request("/realms/authority/.well-known/openid-configuration").GET().build());
        cases.put("GET  /.well-known/openid-configuration (pack, host root)", () -> http.request("/.well-known/openid-configuration").GET().build());
        cases.put("POST /realms/authority/protocol/openid-connect/token form (Keycloak)", () -> post(http, "/realms/authority/protocol/openid-connect/token", "application/x-www-form-urlencoded", form));
        cases.put("POST /oauth/token form (pack, host root)", () -> post(http, "/oauth/token", "application/x-www-form-urlencoded", form));
        cases.put("POST /oauth/token JSON (pack, translated)", () -> post(http, "/oauth/token", "application/json", json));
        cases.put("GET  /health_check (pack, database query)", () -> http.request("/health_check").GET().build());

        for (Supplier<HttpRequest> c : cases.values()) { // warm every path up before measuring any
            for (int i = 0; i < WARMUP; i++) {
                assertEquals(200, http.send(c.get()).status());
            }
        }
        // rounds in alternating order, so neither side of a pair always runs first (JIT, caches)
        Map<String, List<Long>> samples = new java.util.LinkedHashMap<>();
        Map<String, Double> seconds = new java.util.HashMap<>();
        List<String> names = new ArrayList<>(cases.keySet());
        for (int round = 0; round < ROUNDS; round++) {
            List<String> order = new ArrayList<>(names);
            if (round % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (String name : order) {
                long t0 = System.nanoTime();
                samples.computeIfAbsent(name, k -> new ArrayList<>()).addAll(measure(name, cases.get(name), http));
                seconds.merge(name, (System.nanoTime() - t0) / 1e9, Double::sum);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (String name : names) {
            long[] nanos = samples.get(name).stream().mapToLong(Long::longValue).sorted().toArray();
            rows.add(new Row(name, nanos[nanos.length / 2] / 1e6, nanos[(int) (nanos.length * 0.95)] / 1e6, nanos.length / seconds.get(name)));
        }

        System.out.println();
        System.out.printf(Locale.ROOT, "%-72s %9s %9s %10s%n", "request (" + REQUESTS + " each, " + THREADS + " threads)", "p50 ms", "p95 ms", "req/s");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%-72s %9.2f %9.2f %10.0f%n", r.name, r.p50, r.p95, r.perSecond);
        }
        System.out.println();
    }

    private static HttpRequest post(Http http, String path, String type, String body) {
        return http.request(path).header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static List<Long> measure(String name, Supplier<HttpRequest> request, Http http) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Long>> done = new ArrayList<>();
        for (int i = 0; i < REQUESTS_PER_ROUND; i++) {
            done.add(pool.submit(() -> {
                long t0 = System.nanoTime();
                int status = http.send(request.get()).status();
                assertEquals(200, status, name);
                return System.nanoTime() - t0;
            }));
        }
        List<Long> nanos = new ArrayList<>();
        for (Future<Long> f : done) {
            nanos.add(f.get());
        }
        pool.shutdown();
        return nanos;
    }
}
