package dev.authoritypack.it.account;

import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.MailServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No route of account recovery tells which accounts exist: existing, unknown, disabled and unverified emails get
 * the same status, headers and body, in the same time. Malformed requests get a 4xx error object, never a 5xx.
 */
@PackIntegrationTest
class AccountEnumerationIT {

    private static AccountFixture fx;
    private static MailServer mail;
    private static Map<String, String> previous;
    private static String existing;
    private static String disabled;
    private static String unverified;

    @BeforeAll
    static void setUp(AdminApi admin, KeycloakServer server, MailServer mailServer) {
        fx = new AccountFixture(admin, server);
        mail = mailServer;
        previous = fx.attributes(Map.of("authority.account.mails-per-client-address", "100000"));
        existing = fx.user("exists", "Enumeration-password-1");
        disabled = fx.user("disabled", "Enumeration-password-1");
        fx.updateUser(disabled, Json.text("enabled", false));
        unverified = fx.user("unverified", "Enumeration-password-1");
        fx.updateUser(unverified, Json.text("emailVerified", false));
    }

    @AfterAll
    static void tearDown() {
        fx.attributes(previous);
    }

    record Seen(int status, Map<String, String> headers, String body) {
        static Seen of(Http.Response r) {
            Map<String, String> headers = new TreeMap<>();
            r.raw().headers().map().forEach((k, v) -> {
                if (k.equalsIgnoreCase("x-ratelimit-remaining") || k.equalsIgnoreCase("x-ratelimit-reset")) {
                    headers.put(k.toLowerCase(), "present"); // counts of the client address, by request order, not by account
                } else if (!k.equalsIgnoreCase("date") && !k.equals(":status")) {
                    headers.put(k.toLowerCase(), String.join(",", v));
                }
            });
            return new Seen(r.status(), headers, r.body());
        }
    }

    private static final Map<String, Function<String, Http.Response>> ROUTES = Map.of(
            "POST /account/password/reset", e -> fx.http().postJson("/account/password/reset", Json.text("email", e)),
            "POST /realms/authority/account/password/reset (form)", e -> fx.http().postForm("/realms/authority/account/password/reset", Map.of("email", e)),
            "POST /account/email/resend", e -> fx.http().postJson("/account/email/resend", Json.text("email", e)),
            "POST /forgot-password (page)", e -> fx.http().postForm("/forgot-password", Map.of("email", e), "Accept", "text/html"),
            "POST /forgot-password (JSON)", e -> fx.http().postForm("/forgot-password", Map.of("email", e), "Accept", "application/json"));

    @Test
    void everyKindOfEmailGetsTheSameAnswer() {
        String unknown = "nobody-" + System.nanoTime() + "@example.com";
        ROUTES.forEach((route, send) -> {
            Seen reference = Seen.of(send.apply(existing));
            assertEquals(200, reference.status(), route);
            for (String other : List.of(unknown, disabled, unverified, existing.toUpperCase())) {
                assertEquals(reference, Seen.of(send.apply(other)), route + " answers differently for " + other);
            }
        });
    }

    @Test
    void anExistingEmailTakesNoLongerThanAnUnknownOne() {
        for (String route : List.of("POST /account/password/reset", "POST /account/email/resend", "POST /forgot-password (page)")) {
            Function<String, Http.Response> send = ROUTES.get(route);
            for (int i = 0; i < 5; i++) { // warm-up
                send.apply(existing);
                send.apply("warm-" + i + "@example.com");
            }
            long[] known = new long[50];
            long[] unknown = new long[50];
            for (int i = 0; i < 50; i++) { // alternating, so drift hits both alike
                String account = i % 2 == 0 ? existing : unverified;
                known[i] = time(() -> send.apply(account));
                unknown[i] = time(() -> send.apply("unknown-" + System.nanoTime() + "@example.com"));
            }
            double difference = Math.abs(median(known) - median(unknown)) / 1e6;
            System.err.printf("[timing] %s: median known %.2f ms, unknown %.2f ms%n", route, median(known) / 1e6, median(unknown) / 1e6);
            assertTrue(difference < 15, route + ": medians differ by " + difference + " ms");
        }
    }

    private static long time(Runnable r) {
        long t = System.nanoTime();
        r.run();
        return System.nanoTime() - t;
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
    }

    @Test
    void mailsPerClientAddressAreLimitedWithoutChangingTheAnswer() {
        Map<String, String> before = fx.attributes(Map.of("authority.account.mails-per-client-address", "2",
                "authority.account.client-address-window-seconds", "600"));
        try {
            mail.assertNoMoreThan("nobody", 0, Duration.ofSeconds(1)); // let earlier background mails finish
            List<String> users = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                users.add(fx.user("limited" + i, "Enumeration-password-1"));
            }
            Seen first = null;
            for (String u : users) {
                Seen seen = Seen.of(ROUTES.get("POST /account/password/reset").apply(u));
                assertEquals(first == null ? seen : first, seen);
                first = seen;
            }
            Thread.sleep(3_000);
            long mailed = users.stream().filter(u -> !mail.mailsTo(u).isEmpty()).count();
            assertTrue(mailed <= 2, mailed + " mails went out for one client address");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            fx.attributes(before);
        }
    }

    /**
     * The mail limits are each realm's: an address with an account in two realms gets its mail in the second realm
     * although the first just mailed it (its cooldown), and a realm's count of mails per client address starts at
     * zero whatever another realm sent to the same client (issue 28: the counters had been shared, the limits not).
     */
    @Test
    void oneRealmsMailLimitsLeaveAnotherRealmsAlone(AdminApi admin) {
        String other = "mails-" + System.nanoTime();
        Http.Response created = admin.send("POST", "/realms", Json.object("realm", other, "enabled", true, "emailTheme", "authority",
                "smtpServer", admin.getJson("/realms/" + AccountFixture.REALM).get("smtpServer"),
                "attributes", Json.object("authority.pack.enabled", "true", "authority.account.mails-per-client-address", "1",
                        "authority.account.client-address-window-seconds", "600")).toString());
        assertEquals(201, created.status(), created::toString);
        try {
            String both = fx.user("two-realms", "Enumeration-password-1");
            String second = "second-" + both;
            for (String email : List.of(both, second)) {
                Http.Response user = admin.send("POST", "/realms/" + other + "/users", Json.text("username", email, "email", email,
                        "emailVerified", true, "enabled", true));
                assertEquals(201, user.status(), user::toString);
            }
            Http http = fx.http();
            assertEquals(200, http.postJson("/account/password/reset", Json.text("email", both)).status());
            mail.await(both, 1);
            assertEquals(200, http.postJson("/realms/" + other + "/account/password/reset", Json.text("email", both)).status());
            MailServer.Mail fromOther = mail.await(both, 2);
            assertTrue(fromOther.text().contains("/realms/" + other + "/"), "the second mail is the other realm's: " + fromOther.text());
            // the other realm's own limit (one mail per client address) still holds there
            assertEquals(200, http.postJson("/realms/" + other + "/account/password/reset", Json.text("email", second)).status());
            mail.assertNoMoreThan(second, 0, Duration.ofSeconds(3));
        } finally {
            admin.send("DELETE", "/realms/" + other, null);
        }
    }

    @Test
    void malformedRequestsGetA4xxErrorObject() {
        List<String> paths = new ArrayList<>();
        for (String base : List.of("", "/realms/authority")) {
            for (String route : List.of("/forgot-password", "/account/password/reset", "/account/password/confirm", "/account/email/verify", "/account/email/resend")) {
                paths.add(base + route);
            }
        }
        record Bad(String contentType, String body) {
        }
        List<Bad> corpus = List.of(
                new Bad("application/json", "{"), new Bad("application/json", "[]"), new Bad("application/json", "null"),
                new Bad("application/json", ""), new Bad("application/json", "{\"email\": {\"$ne\": null}}"),
                new Bad("application/json", "{\"email\": [\"a@b.c\"], \"token\": 1, \"password\": true}"),
                new Bad("application/json", "{\"email\": \"a\\u0000@example.com\"}"),
                new Bad("application/json", "{\"email\": \"" + "a".repeat(300) + "@example.com\"}"),
                new Bad("application/json", "{\"email\": \"not-an-email\"}"),
                new Bad("application/json", "{\"token\": \"" + "x".repeat(100_000) + "\", \"password\": \"p\"}"),
                new Bad("application/x-www-form-urlencoded", "email=%zz&token=%"),
                new Bad("application/x-www-form-urlencoded", "email=%00%01%02"),
                new Bad("application/x-www-form-urlencoded", "a=1&".repeat(5_000)),
                new Bad("application/x-www-form-urlencoded; charset=klingon", "email=a@b.c"),
                new Bad("multipart/form-data; boundary=nope", "--wrong\r\n\r\n--wrong--"),
                new Bad("text/plain", "email=a@b.c"),
                new Bad("garbage", "email=a@b.c"),
                new Bad("application/json; charset=utf-8; =;;", "{}"),
                new Bad("", "{\"email\": \"a@b.c\"}"),
                new Bad("application/xml", "<email>a@b.c</email>"));
        List<String> failures = new ArrayList<>();
        for (String path : paths) {
            for (Bad bad : corpus) {
                HttpRequest.Builder b = fx.http().request(path).POST(HttpRequest.BodyPublishers.ofString(bad.body()));
                if (!bad.contentType().isEmpty()) {
                    b.header("Content-Type", bad.contentType());
                }
                Http.Response r = fx.http().send(b.header("Accept", "application/json").build());
                boolean ok = r.status() == 200 || (r.status() >= 400 && r.status() < 500 && r.body().contains("\"error\""));
                if (!ok) {
                    failures.add(path + " " + bad + " -> " + r.status() + " " + r.body().substring(0, Math.min(200, r.body().length())));
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " bad answers:\n" + String.join("\n", failures));
    }
}
