package dev.authoritypack.it.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.ClusterNodes;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.FormClient;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.LoadBalancer;
import dev.authoritypack.it.support.MailServer;
import dev.authoritypack.it.support.Pkce;
import dev.authoritypack.it.support.Totp;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Mixed traffic through the load balancer at a fixed rate: virtual users, each a thread with its own account and its
 * own browser (cookie jar, {@link Http}), each repeating one kind of work every {@code period}, whatever the answers
 * take. A request that gets no answer is recorded and the user goes on with its next round. The kinds:
 * client credentials at both bases, the code flow with PKCE on a kept SSO session (then userinfo, introspection,
 * refresh), fresh sign-ins, {@code /api/login}, wrong-password bursts with lockout probes, MFA with TOTP and backup
 * codes, password reset by mail, and the device flow with its approval in a browser.
 */
public final class Traffic implements AutoCloseable {

    /** How many virtual users of each kind, and how often each repeats its work. */
    public record Mix(int clientCredentials, int codeFlow, int signin, int apiLogin, int lockout, int mfa, int reset, int device, Duration period) {
        /** The load's proportions: per {@code scale}, two client-credentials users, three code-flow users, one of most kinds. */
        public static Mix ofScale(int scale, Duration period) {
            return new Mix(2 * scale, 3 * scale, scale, scale, scale + 1, scale + 1, scale, scale, period);
        }

        int total() {
            return clientCredentials + codeFlow + signin + apiLogin + lockout + mfa + reset + device;
        }
    }

    private final LoadRig rig;
    private final Recorder rec;
    private final Checks checks;
    private final Mix mix;
    private final ExecutorService pool;
    private final List<Future<?>> users = new ArrayList<>();
    /** The accounts the wrong-password bursts lock, one per lockout user. */
    private final List<String> lockoutAccounts = new ArrayList<>();
    private volatile boolean running = true;
    /** The code-flow users' browsers with the SSO session each made before the traffic: checked after every fault. */
    final ConcurrentLinkedQueue<Http> sessions = new ConcurrentLinkedQueue<>();

    public Traffic(LoadRig rig, Recorder rec, Checks checks, Mix mix) {
        this.rig = rig;
        this.rec = rec;
        this.checks = checks;
        this.mix = mix;
        this.pool = Executors.newFixedThreadPool(mix.total());
    }

    /** Makes every user's account (before the clock starts), then starts them all. */
    public Traffic start() {
        List<Runnable> rounds = new ArrayList<>();
        for (int i = 0; i < mix.clientCredentials(); i++) {
            String path = i % 2 == 0 ? "/token" : "/realms/authority/oauth/token";
            rounds.add(() -> clientCredentials(path));
        }
        for (int i = 0; i < mix.codeFlow(); i++) {
            rounds.add(codeFlowUser(rig.user("load-code")));
        }
        for (int i = 0; i < mix.signin(); i++) {
            String email = rig.user("load-signin");
            rounds.add(() -> signin(email));
        }
        for (int i = 0; i < mix.apiLogin(); i++) {
            String email = rig.legacyUser("load-legacy");
            rounds.add(() -> apiLogin(email));
        }
        for (int i = 0; i < mix.lockout(); i++) {
            String email = rig.user("load-lockout");
            lockoutAccounts.add(email);
            rounds.add(lockoutUser(email));
        }
        for (int i = 0; i < mix.mfa(); i++) {
            rounds.add(mfaUser(rig.mfaUser("load-mfa")));
        }
        for (int i = 0; i < mix.reset(); i++) {
            rounds.add(resetUser(i));
        }
        for (int i = 0; i < mix.device(); i++) {
            rounds.add(deviceUser(rig.user("load-device")));
        }
        for (Runnable round : rounds) {
            users.add(pool.submit(() -> loop(round)));
        }
        return this;
    }

    private void loop(Runnable round) {
        long period = mix.period().toMillis();
        // spread the users' first rounds over one period
        LoadRig.sleep(ThreadLocalRandom.current().nextLong(period));
        long next = System.currentTimeMillis();
        while (running) {
            try {
                round.run();
            } catch (RuntimeException | AssertionError e) {
                // recorded by the Recorder (no answer) or an unexpected answer: the next round goes on
            }
            next += period;
            long wait = next - System.currentTimeMillis();
            if (wait > 0) {
                LoadRig.sleep(wait);
            } else {
                next = System.currentTimeMillis(); // behind: no catching up in a burst
            }
        }
    }

    // ---- the kinds of work -----------------------------------------------------------------------------------------

    private void clientCredentials(String path) {
        Http http = new Http(rig.baseUri());
        Http.Response r = rec.time("client_credentials " + path, () -> http.postForm(path, Map.of("grant_type", "client_credentials",
                "client_id", LoadRig.SERVICE, "client_secret", LoadRig.SERVICE_SECRET)));
        if (r.status() == 200 && ThreadLocalRandom.current().nextInt(4) == 0) {
            keep("client_credentials", r.json().get("access_token").asText(), http);
        }
    }

    private Runnable codeFlowUser(String email) {
        Http browser = new Http(rig.baseUri());
        Http.Response signin = browser.postForm("/signin", Map.of("email", email, "password", LoadRig.PASSWORD));
        if (signin.status() != 302) {
            throw new AssertionError("sign-in of " + email + ": " + signin);
        }
        sessions.add(browser);
        return () -> codeFlow(browser);
    }

    private void codeFlow(Http browser) {
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(
                (System.nanoTime() + "-" + ThreadLocalRandom.current().nextLong() + "-verifier-of-the-load").getBytes(StandardCharsets.US_ASCII));
        Http.Response authorized = rec.time("authorize (SSO)", () -> browser.get(authorize(Pkce.challenge(verifier))));
        String location = authorized.header("Location");
        if (authorized.status() != 302 || location == null || !location.contains("code=")) {
            if (location != null && location.contains("error=login_required")) {
                checks.violated("sessions survive", "an SSO session made before the traffic was unknown: " + authorized);
            }
            return;
        }
        checks.exercised("sessions survive (during traffic)");
        String code = location.replaceAll(".*[?&]code=([^&]+).*", "$1");
        Http.Response tokens = rec.time("token (code + PKCE)", () -> browser.postForm("/token", Map.of("grant_type", "authorization_code",
                "code", code, "client_id", LoadRig.APP, "redirect_uri", LoadRig.APP_REDIRECT, "code_verifier", verifier)));
        if (tokens.status() != 200) {
            return;
        }
        String access = tokens.json().get("access_token").asText();
        String refresh = tokens.json().get("refresh_token").asText();
        rec.time("userinfo", () -> browser.get("/userinfo", "Authorization", "Bearer " + access));
        keep("code flow", access, browser);
        rec.time("token (refresh)", () -> browser.postForm("/token", Map.of("grant_type", "refresh_token", "refresh_token", refresh,
                "client_id", LoadRig.APP)));
    }

    static String authorize(String challenge) {
        return "/realms/authority/protocol/openid-connect/auth?response_type=code&client_id=" + LoadRig.APP + "&redirect_uri="
                + LoadRig.APP_REDIRECT + "&scope=openid&state=s&prompt=none&code_challenge_method=S256&code_challenge=" + challenge;
    }

    /** Introspects a fresh access token and keeps the answer, to compare after the faults. */
    private void keep(String kind, String token, Http http) {
        Http.Response r = rec.time("introspect", () -> introspect(http, token, rig.resourceServerSecret));
        if (r.status() == 200) {
            checks.tokens.add(Checks.IssuedToken.of(kind, token, r.json()));
        }
    }

    static Http.Response introspect(Http http, String token, String resourceServerSecret) {
        return http.postForm("/oauth/introspect", Map.of("token", token, "client_id", "authority-resource-server",
                "client_secret", resourceServerSecret));
    }

    private void signin(String email) {
        Http browser = new Http(rig.baseUri());
        rec.time("signin", () -> browser.postForm("/signin", Map.of("email", email, "password", LoadRig.PASSWORD)));
    }

    private void apiLogin(String email) {
        Http http = new Http(rig.baseUri());
        String machine = rig.auth0.machineToken(LoadRig.AUDIENCE, LoadRig.MACHINE);
        String b64 = Base64.getEncoder().encodeToString(email.getBytes(StandardCharsets.UTF_8));
        Http.Response r = rec.time("api/login", () -> http.postJson("/api/login", Json.text("email", b64), "Authorization", "Bearer " + machine));
        if (r.status() == 200 && ThreadLocalRandom.current().nextInt(2) == 0) {
            keep("api/login", r.json().get("token").asText(), http);
        }
    }

    /**
     * Two wrong passwords within a second (the realm's quick-login check locks the account), then sign-ins with the
     * right password every round: each 423 must name the same end of the lockout within 1 s, and none may pass
     * before it.
     */
    private Runnable lockoutUser(String email) {
        Checks.Lockout lockout = new Checks.Lockout();
        int[] roundsSinceBurst = {Integer.MAX_VALUE};
        return () -> {
            Http http = new Http(rig.baseUri());
            if (!lockout.locked() && roundsSinceBurst[0] > 2) {
                for (int i = 0; i < 2; i++) {
                    rec.time("signin (wrong password)", () -> http.postForm("/signin", Map.of("email", email, "password", "wrong-password"),
                            "Accept", "application/json"));
                    LoadRig.sleep(300);
                }
                roundsSinceBurst[0] = 0;
                return;
            }
            roundsSinceBurst[0]++;
            long start = System.currentTimeMillis();
            Http.Response r = rec.time("signin (locked account)", () -> http.postForm("/signin", Map.of("email", email, "password", LoadRig.PASSWORD),
                    "Accept", "application/json"));
            long end = System.currentTimeMillis();
            if (r.status() == 423) {
                checks.exercised("lockout holds, Retry-After within 1 s");
                String problem = lockout.locked(start, end, Long.parseLong(r.header("Retry-After")), r.header(LoadBalancer.NODE_HEADER));
                if (problem != null) {
                    checks.violated("lockout Retry-After", email + ": " + problem);
                }
            } else if (r.status() < 400) {
                String problem = lockout.passed(start, r.header(LoadBalancer.NODE_HEADER));
                if (problem != null) {
                    checks.violated("lockout holds", email + ": " + problem + "; " + loginFailuresPerNode(email));
                }
            }
        };
    }

    /**
     * Backup codes an MFA user spends per phase: its twelve codes (Keycloak's {@code RecoveryAuthnCodesUtils}) last
     * the six phases of the full run, so some are spent in every phase.
     */
    private static final int BACKUP_CODES_PER_PHASE = 2;
    /** The accounts the traffic locks and signs in again and again. */
    List<String> lockoutAccounts() {
        return List.copyOf(lockoutAccounts);
    }

    /**
     * What each running node holds of the account's login failures right now (the admin API's attack detection,
     * which reads Keycloak's {@code UserLoginFailureProvider} on the node asked and changes nothing): a lapse names
     * whether the node that let the account in lacked the record or held another one.
     */
    private String loginFailuresPerNode(String email) {
        try {
            String id = Fixtures.userId(rig.admin(), LoadRig.REALM, email);
            List<String> held = new ArrayList<>();
            for (ClusterNodes.Node node : rig.cluster().nodes()) {
                if (node.isRunning()) {
                    JsonNode f = LoadRig.loginFailures(new AdminApi(node.baseUri()), id);
                    held.add(node.name() + " at " + System.currentTimeMillis() / 1000.0 + ": " + f);
                }
            }
            return "login failures per node: " + held;
        } catch (RuntimeException | AssertionError e) {
            return "login failures per node not read: " + e;
        }
    }

    /**
     * Used backup codes an MFA user sends again, at most one per phase: each is a failure towards the realm's lockout
     * (five failures), and a locked user verifies nothing.
     */
    private static final int MAX_REPLAYS = 4;

    /**
     * Sign-ins with the second factor: up to {@link #BACKUP_CODES_PER_PHASE} backup codes in each phase, the TOTP
     * code once a minute; and in each phase after the first, once, a backup code accepted in an earlier phase, which
     * must be refused — so a code used before a fault is sent again during it (the SIGKILL's phase, each restart's)
     * and after it.
     */
    private Runnable mfaUser(LoadRig.MfaUser user) {
        List<String> unused = new ArrayList<>(user.backupCodes());
        Map<String, String> acceptedIn = new java.util.LinkedHashMap<>(); // code -> the phase it was accepted in
        Map<String, Integer> spentIn = new java.util.HashMap<>();
        java.util.Set<String> replayedIn = new java.util.HashSet<>();
        long[] lastTotpWindow = {System.currentTimeMillis() / 30_000};
        return () -> {
            String phase = rec.currentPhase();
            long window = System.currentTimeMillis() / 30_000;
            boolean totpFree = window > lastTotpWindow[0] + 1;
            String replay = replayedIn.size() >= MAX_REPLAYS || replayedIn.contains(phase) ? null
                    : acceptedIn.entrySet().stream().filter(e -> !e.getValue().equals(phase)).map(Map.Entry::getKey).findFirst().orElse(null);
            boolean backupDue = !unused.isEmpty() && spentIn.getOrDefault(phase, 0) < BACKUP_CODES_PER_PHASE;
            if (replay == null && !backupDue && !totpFree) {
                return; // nothing valid to send in this window: a used TOTP code would be a failure towards the lockout
            }
            Http browser = new Http(rig.baseUri());
            Http.Response signin = rec.time("signin (MFA user)", () -> browser.postForm("/signin", Map.of("email", user.email(), "password", LoadRig.PASSWORD)));
            String location = signin.header("Location");
            if (signin.status() != 302 || location == null || !location.contains("tab_id=")) {
                return;
            }
            String tab = location.substring(location.indexOf("tab_id=") + 7);
            if (replay != null) {
                replayedIn.add(phase);
                String usedIn = acceptedIn.get(replay);
                Http.Response r = rec.time("mfa/verify (used backup code)", () -> verify(browser, tab, replay));
                checks.exercised("no backup code accepted twice");
                if (phase.startsWith("kill") || phase.startsWith("restart")) {
                    checks.exercised("no backup code accepted twice (sent again during a fault)");
                }
                if (r.status() == 302) {
                    checks.violated("no backup code accepted twice", user.email() + ": a backup code accepted in phase '" + usedIn
                            + "' was accepted again in phase '" + phase + "'");
                }
            } else if (backupDue) {
                String code = unused.remove(0);
                spentIn.merge(phase, 1, Integer::sum);
                Http.Response r = rec.time("mfa/verify (backup code)", () -> verify(browser, tab, code));
                if (r.status() == 302) {
                    acceptedIn.put(code, phase);
                }
            } else {
                String code = Totp.code(user.secret(), 0);
                lastTotpWindow[0] = window;
                rec.time("mfa/verify (TOTP)", () -> verify(browser, tab, code));
            }
        };
    }

    private static Http.Response verify(Http browser, String tab, String code) {
        return browser.postForm("/realms/authority/mfa/verify", Map.of("totp_code", code, "tab_id", tab));
    }

    /** A reset request and its confirmation for a fresh account each round; the same token a second time must fail. */
    private Runnable resetUser(int n) {
        int[] round = {0};
        return () -> {
            String email = rig.user("load-reset-" + n);
            Http http = new Http(rig.baseUri());
            Http.Response requested = rec.time("account/password/reset", () -> http.postJson("/account/password/reset", Json.text("email", email)));
            if (requested.status() != 200) {
                return;
            }
            MailServer.Mail mail = rig.mail.await(email, 1, Duration.ofSeconds(30));
            String token = mail.token(rig.baseUri() + "/realms/authority/account/password/confirm?token=");
            String password = "Load-reset-" + (++round[0]) + "-password";
            Http.Response confirmed = rec.time("account/password/confirm", () -> http.postJson("/account/password/confirm",
                    Json.text("token", token, "password", password)));
            checks.exercised("a fresh reset link works");
            if (confirmed.status() >= 400 && confirmed.status() < 500) {
                checks.violated("a fresh reset link works", email + ": the link of its only reset mail was refused: " + confirmed);
            }
            if (confirmed.status() != 200) {
                return;
            }
            Http.Response again = rec.time("account/password/confirm (used token)", () -> http.postJson("/account/password/confirm",
                    Json.text("token", token, "password", password + "-again")));
            checks.exercised("no reset token works twice");
            if (again.status() < 400 || again.status() >= 500) {
                checks.violated("no reset token works twice", email + ": " + again);
            }
        };
    }

    /**
     * The whole device flow (RFC 8628) for the user's device: the code, a poll before anyone approved
     * ({@code authorization_pending}), the approval as a browser without JavaScript does it (the activation page at
     * {@code verification_uri_complete}, the code confirmed, Keycloak's sign-in and the device grant's confirmation),
     * then after the interval the token, kept for the checkpoints, and the same device code once more: refused.
     */
    private Runnable deviceUser(String email) {
        return () -> {
            Http http = new Http(rig.baseUri());
            Http.Response code = rec.time("device/code", () -> http.postForm("/device/code", Map.of("client_id", LoadRig.DEVICE)));
            if (code.status() != 200) {
                return;
            }
            JsonNode device = code.json();
            String deviceCode = device.get("device_code").asText();
            Http.Response poll = rec.time("device/token (pending)", () -> devicePoll(http, deviceCode));
            if (poll.status() == 200) {
                checks.violated("device flow", "a device code nobody approved got a token: " + poll);
                return;
            }
            long approvedAt = System.currentTimeMillis();
            Http.Response approved = rec.time("device approval (pages)", () -> approve(device, email));
            if (approved.status() != 200) {
                return;
            }
            LoadRig.sleep(Math.max(0, device.path("interval").asLong(5) * 1000 + 500 - (System.currentTimeMillis() - approvedAt)));
            Http.Response tokens = rec.time("device/token (approved)", () -> devicePoll(http, deviceCode));
            checks.exercised("an approved device gets its token");
            if (tokens.status() != 200) {
                checks.violated("an approved device gets its token", email + ": " + tokens);
                return;
            }
            keep("device", tokens.json().get("access_token").asText(), http);
            Http.Response again = rec.time("device/token (used code)", () -> devicePoll(http, deviceCode));
            checks.exercised("no device code gives tokens twice");
            if (again.status() < 400 || again.status() >= 500) {
                checks.violated("no device code gives tokens twice", email + ": " + again);
            }
        };
    }

    private static Http.Response devicePoll(Http http, String deviceCode) {
        return http.postForm("/device/token", Map.of("grant_type", "urn:ietf:params:oauth:grant-type:device_code",
                "device_code", deviceCode, "client_id", LoadRig.DEVICE));
    }

    /** The user approves the device in a browser of its own; the last page's answer (200: Keycloak's "device signed in"). */
    private Http.Response approve(JsonNode device, String email) {
        FormClient browser = new FormClient(new Http(rig.baseUri()));
        java.net.URI complete = java.net.URI.create(device.get("verification_uri_complete").asText());
        Http.Response page = browser.open(complete.getRawPath() + "?" + complete.getRawQuery(), null);
        if (page.status() != 200) {
            return page;
        }
        String action = FormClient.formAction(page.body(), "kc-user-verify-device-user-code-form");
        // as a browser posts the page's form (Keycloak's /device decides by Accept between the page and the device API)
        Http.Response login = browser.follow(browser.http().postForm(action, Map.of("device_user_code", device.get("user_code").asText()),
                "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"), null);
        if (login.status() != 200 || !login.body().contains("kc-form-login")) {
            return login;
        }
        Http.Response done = browser.login(login, email, LoadRig.PASSWORD, null);
        if (done.status() == 200 && done.body().contains("name=\"accept\"")) {
            done = browser.consent(done, true, null); // Keycloak asks the user to confirm the device grant
        }
        return done;
    }

    /** Stops every user after its current round. */
    @Override
    public void close() {
        running = false;
        pool.shutdown();
        try {
            if (!pool.awaitTermination(90, java.util.concurrent.TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
