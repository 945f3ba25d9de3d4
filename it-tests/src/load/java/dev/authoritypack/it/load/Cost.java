package dev.authoritypack.it.load;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The cost of a request as the work grows ({@code -Dload.cost=true}): for one user with 1, 100, 1,000 and 10,000
 * sessions (each {@code /api/login} makes one, a persistent user session of Keycloak's), and for a realm of 1,000,
 * 10,000 and 100,000 users (added through the Auth0 import's admin route, users without passwords), the mean and p95
 * of {@code /api/login}, {@code /signin}, the code flow (authorize on the SSO session and the code exchange), a
 * refresh and {@code /profile}, sequential requests through the load balancer. The import stops at its time budget;
 * the JSON says how far it got.
 */
final class Cost {

    private static final int SAMPLES = 20;

    private final LoadRig rig;

    Cost(LoadRig rig) {
        this.rig = rig;
    }

    ObjectNode measure(int maxSessions, int maxUsers, Duration importBudget) {
        ObjectNode out = Http.JSON.createObjectNode();
        out.set("sessions_of_one_user", sessions(maxSessions));
        out.set("users_in_realm", users(maxUsers, importBudget));
        return out;
    }

    private ArrayNode sessions(int max) {
        ArrayNode rows = Http.JSON.createArrayNode();
        String email = rig.legacyUser("cost-sessions");
        String id = Fixtures.userId(rig.admin(), LoadRig.REALM, email);
        int made = 0;
        for (int target : new int[] {1, 100, 1_000, 10_000}) {
            if (target > max) {
                break;
            }
            long start = System.currentTimeMillis();
            int growth = target - made;
            made += grow(email, growth);
            double growMean = growth > 0 ? (System.currentTimeMillis() - start) / (double) growth * 4 : 0; // 4 at once
            ObjectNode row = rows.addObject().put("sessions_made", made).put("api_login_mean_ms_while_growing_4_at_once", Math.round(growMean));
            row.put("sessions_the_admin_api_lists", rig.admin().getJson("/realms/" + LoadRig.REALM + "/users/" + id + "/sessions").size());
            row.set("requests", requests(email));
            System.err.println("[load] cost, one user with " + made + " sessions: " + row);
        }
        return rows;
    }

    /** {@code n} more {@code /api/login} for the user, four at once; how many answered 200. */
    private int grow(String email, int n) {
        AtomicInteger left = new AtomicInteger(n);
        AtomicInteger ok = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            workers.add(pool.submit(() -> {
                Http http = new Http(rig.baseUri());
                while (left.getAndDecrement() > 0) {
                    if (apiLogin(http, email).status() == 200) {
                        ok.incrementAndGet();
                    }
                }
            }));
        }
        for (Future<?> w : workers) {
            try {
                w.get();
            } catch (Exception e) {
                // counted as not made
            }
        }
        pool.shutdown();
        return ok.get();
    }

    private Http.Response apiLogin(Http http, String email) {
        String machine = rig.auth0.machineToken(LoadRig.AUDIENCE, LoadRig.MACHINE);
        String b64 = Base64.getEncoder().encodeToString(email.getBytes(StandardCharsets.UTF_8));
        return http.postJson("/api/login", Json.text("email", b64), "Authorization", "Bearer " + machine);
    }

    /** Mean and p95 of each kind of request for the user, {@link #SAMPLES} each, one after the other. */
    private ObjectNode requests(String email) {
        ObjectNode out = Http.JSON.createObjectNode();
        Http http = new Http(rig.baseUri());
        out.set("api/login", stats(() -> apiLogin(http, email)));
        Http browser = new Http(rig.baseUri());
        out.set("signin", stats(() -> {
            browser.forgetCookies();
            return browser.postForm("/signin", Map.of("email", email, "password", LoadRig.PASSWORD));
        }));
        String[] refresh = {null};
        out.set("code flow", stats(() -> {
            Http.Response auth = browser.get(Traffic.authorize(dev.authoritypack.it.support.Pkce.S256_CHALLENGE));
            String location = auth.header("Location");
            if (location == null || !location.contains("code=")) {
                return auth;
            }
            Http.Response tokens = browser.postForm("/token", Map.of("grant_type", "authorization_code", "code",
                    location.replaceAll(".*[?&]code=([^&]+).*", "$1"), "client_id", LoadRig.APP, "redirect_uri", LoadRig.APP_REDIRECT,
                    "code_verifier", dev.authoritypack.it.support.Pkce.VERIFIER));
            if (tokens.status() == 200) {
                refresh[0] = tokens.json().get("refresh_token").asText();
            }
            return tokens;
        }));
        out.set("refresh", stats(() -> {
            Http.Response r = browser.postForm("/token", Map.of("grant_type", "refresh_token", "refresh_token", refresh[0], "client_id", LoadRig.APP));
            if (r.status() == 200) {
                refresh[0] = r.json().get("refresh_token").asText();
            }
            return r;
        }));
        out.set("profile", stats(() -> browser.get("/realms/authority/profile", "Accept", "text/html")));
        return out;
    }

    private static ObjectNode stats(Supplier<Http.Response> request) {
        List<Long> millis = new ArrayList<>();
        java.util.Map<Integer, Integer> statuses = new java.util.TreeMap<>();
        for (int i = 0; i < SAMPLES; i++) {
            long start = System.nanoTime();
            int status;
            try {
                status = request.get().status();
            } catch (RuntimeException e) {
                status = -1;
            }
            millis.add((System.nanoTime() - start) / 1_000_000);
            statuses.merge(status, 1, Integer::sum);
        }
        Collections.sort(millis);
        ObjectNode o = Http.JSON.createObjectNode().put("mean_ms", Math.round(millis.stream().mapToLong(Long::longValue).average().orElse(0)))
                .put("p95_ms", Figures.percentile(millis, 95));
        o.set("statuses", Http.JSON.valueToTree(statuses));
        return o;
    }

    private ArrayNode users(int max, Duration budget) {
        ArrayNode rows = Http.JSON.createArrayNode();
        String email = rig.legacyUser("cost-realm");
        int imported = 0;
        long deadline = System.currentTimeMillis() + budget.toMillis();
        long importMillis = 0;
        String run = Long.toString(System.nanoTime(), 36);
        for (int target : new int[] {1_000, 10_000, 100_000}) {
            if (target > max) {
                break;
            }
            long start = System.currentTimeMillis();
            String stopped = null;
            while (imported < target && System.currentTimeMillis() < deadline && stopped == null) {
                int batch = Math.min(1_000, target - imported);
                StringBuilder lines = new StringBuilder();
                for (int i = imported; i < imported + batch; i++) {
                    lines.append(Json.text("user_id", "auth0|" + run + i, "email", "cost-" + run + "-" + i + "@example.com",
                            "email_verified", true, "given_name", "Imported", "family_name", "User " + i)).append('\n');
                }
                try {
                    Http.Response r = rig.admin().sendRaw("POST", "/realms/" + LoadRig.REALM + "/auth0-import/users", "application/x-ndjson",
                            lines.toString().getBytes(StandardCharsets.UTF_8));
                    if (r.status() != 200) {
                        throw new AssertionError("Auth0 import: " + r);
                    }
                    imported += batch;
                    if (imported % 5_000 == 0) {
                        rig.cluster().database().analyze(); // what autovacuum would do; it is off on this machine
                    }
                } catch (RuntimeException noAnswer) {
                    // a batch without an answer (the client waits 30 s) ends the growth; the figures so far are kept
                    stopped = "a batch of 1,000 users got no answer: " + noAnswer;
                }
            }
            importMillis += System.currentTimeMillis() - start;
            int users = rig.admin().getJson("/realms/" + LoadRig.REALM + "/users/count").asInt();
            ObjectNode row = rows.addObject().put("imported", imported).put("users_in_realm", users)
                    .put("import_seconds_so_far", importMillis / 1000);
            row.set("requests", requests(email));
            System.err.println("[load] cost, realm of " + users + " users: " + row);
            if (imported < target) {
                row.put("stopped", stopped != null ? stopped : "the import's time budget of " + budget + " ran out before " + target + " users");
                break;
            }
        }
        return rows;
    }
}
