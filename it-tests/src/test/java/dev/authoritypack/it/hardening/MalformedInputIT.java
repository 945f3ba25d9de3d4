package dev.authoritypack.it.hardening;

import dev.authoritypack.keycloak.routes.DocumentedRoute;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.ApiTraffic;
import dev.authoritypack.it.support.OpenApiContract;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broad corpus of malformed requests, grouped by kind, sent over raw sockets to every documented route at both
 * bases and to Keycloak's own paths of the same endpoints. Nothing may answer 5xx or close the connection without
 * an answer — except a chunked body Vert.x cannot decode, which it answers by closing the connection before any
 * handler of Keycloak or the pack runs; those are counted. The figures per kind are printed.
 */
@PackIntegrationTest
class MalformedInputIT {

    /** Documented routes at the host root, at the issuer, and Keycloak's native paths of the same endpoints. */
    static List<String> paths() {
        // every row of the route table: a new route is in the corpus without anyone remembering to add it
        List<String> documented = DocumentedRoute.all().stream().map(DocumentedRoute::path).toList();
        List<String> paths = new ArrayList<>();
        for (String p : documented) {
            paths.add(p);
            paths.add("/realms/authority" + p);
        }
        for (String p : List.of("protocol/openid-connect/auth", "protocol/openid-connect/token", "protocol/openid-connect/token/introspect",
                "protocol/openid-connect/revoke", "protocol/openid-connect/auth/device", "protocol/openid-connect/userinfo",
                "protocol/openid-connect/certs", "clients-registrations/openid-connect", "device")) {
            paths.add("/realms/authority/" + p);
        }
        return paths;
    }

    record Case(String kind, String method, String query, Map<String, String> headers, byte[] body) {
    }

    static Map<String, String> h(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static List<Case> corpus(String initialAccessToken) {
        String form = "application/x-www-form-urlencoded";
        String json = "application/json";
        List<Case> c = new ArrayList<>();
        // media types and charsets
        for (String type : List.of("garbage", "/", "application/", ";;;", "multipart/form-data; boundary=nope", "multipart/form-data",
                "text/plain", "application/xml", form + "; charset=klingon", json + "; charset=ebcdic-xx", form + "; charset=", "*/*",
                "application/json; =;;", "\u00ff\u00fe")) {
            c.add(new Case("content-type", "POST", "", h("Content-Type", type), b("a=1")));
        }
        // form bodies
        for (String body : List.of("%", "%zz", "a=%", "a=%G1&b=%%", "a=%00%01", "=&=&=", "&&&&", "a=" + "%E2%82".repeat(10),
                "a=1&".repeat(10_000), "a=" + "x".repeat(1_000_000), "grant_type=%00", "client_id=%FF%FE&client_secret=%C0%AF",
                "token=" + "%41".repeat(50_000), "email=%0d%0aBcc:x@y&password=p")) {
            c.add(new Case("form body", "POST", "", h("Content-Type", form), b(body)));
        }
        c.add(new Case("form body", "POST", "", h("Content-Type", form), new byte[]{'a', '=', (byte) 0xC3, (byte) 0x28, (byte) 0xFF}));
        // JSON bodies
        for (String body : List.of("", "{", "}", "null", "[]", "[{}]", "\"s\"", "1", "true", "{\"a\":", "{\"grant_type\":{\"$ne\":1}}",
                "{\"email\":[1,2]}", "{\"token\":" + "[".repeat(5_000) + "}", "{\"a\":\"" + "x".repeat(1_000_000) + "\"}",
                "{\"a\":1,\"a\":2}", "{\"email\":\"a\\u0000b@c.d\",\"password\":\"\\ud800\"}", "\u0000\u0001")) {
            c.add(new Case("json body", "POST", "", h("Content-Type", json, "Authorization", "Bearer x.y.z"), b(body)));
        }
        // JSON bodies without credentials (Keycloak's registration read them before any check: a 500), and client
        // metadata longer than Keycloak's columns, with a registration's initial access token
        for (String body : List.of("", "null", "{}", "[]")) {
            c.add(new Case("json body", "POST", "", h("Content-Type", json), b(body)));
        }
        String big = "x".repeat(300_000);
        for (String body : List.of("{\"client_name\":\"" + big + "\",\"redirect_uris\":[\"https://app.example.com/cb\"]}",
                "{\"redirect_uris\":[\"https://app.example.com/" + big + "\"]}", "{\"client_uri\":\"https://app.example.com/" + big + "\"}",
                "null", "")) {
            c.add(new Case("json body", "POST", "", h("Content-Type", json, "Authorization", "Bearer " + initialAccessToken), b(body)));
        }
        // Accept headers RESTEasy cannot negotiate with (a 500 on Keycloak's device endpoint and the pack's pages)
        for (String accept : List.of("application/json;q=abc, */*;q=-1", ";;;", "a/b/c", "/", "text/", "*/*;q=2", "text/html;q=",
                "application/json;;q=1", "\u0000;q=x,,,")) {
            c.add(new Case("accept", "GET", "", h("Accept", accept), null));
            c.add(new Case("accept", "POST", "", h("Accept", accept, "Content-Type", form), b("client_id=authority-dev-spa&email=a@b.c")));
        }
        // query strings
        for (String q : List.of("%", "a=%zz", "client_id=%00", "redirect_uri=%FF", "x=" + "y".repeat(6_000), "a=1&".repeat(1_500),
                "response_type=code&client_id=" + "%41".repeat(1_000), "=&=", "client_id=account-console&redirect_uri=javascript:alert(1)",
                "token=%E2%82")) {
            c.add(new Case("query", "GET", q, h(), null));
            c.add(new Case("query", "POST", q, h("Content-Type", form), b("")));
        }
        // headers
        for (String auth : List.of("Basic", "Basic !!!", "Basic " + java.util.Base64.getEncoder().encodeToString(b("nocolon")),
                "Basic " + java.util.Base64.getEncoder().encodeToString(new byte[]{(byte) 0xff, ':', (byte) 0xfe}), "Bearer", "Bearer ",
                "Bearer " + "x".repeat(7_000), "Bearer a.b", "Negotiate abc", "\u0000", "Digest x")) {
            c.add(new Case("authorization", "POST", "", h("Authorization", auth, "Content-Type", form), b("token=x&grant_type=client_credentials")));
            c.add(new Case("authorization", "GET", "", h("Authorization", auth), null));
        }
        c.add(new Case("headers", "GET", "", h("X-Big", "x".repeat(20_000)), null));
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            many.put("X-H" + i, "v");
        }
        c.add(new Case("headers", "GET", "", many, null));
        c.add(new Case("headers", "GET", "", h("Accept", "\u0000;q=x,,,", "Accept-Language", "xx-;q=9,*;q=", "Cookie", "=;;=x;KEYCLOAK_IDENTITY=\"x"), null));
        c.add(new Case("headers", "POST", "", h("Content-Type", form, "Origin", "null", "Sec-Fetch-Site", "\u0001"), b("a=1")));
        c.add(new Case("headers", "POST", "", h("Content-Type", form, "Content-Encoding", "gzip"), b("not gzip")));
        // framing: broken chunked bodies, and both framings at once (request smuggling)
        for (String chunked : List.of("zz\r\nabc\r\n0\r\n\r\n", "5;;;=\r\nhello\r\n0\r\n\r\n", "3\r\nabcdef\r\n0\r\n\r\n",
                "-1\r\n\r\n", "0\r\nX-Trailer: \u0000\r\n\r\n")) {
            c.add(new Case("framing", "POST", "", h("Content-Type", form, "Transfer-Encoding", "chunked"), b(chunked)));
        }
        c.add(new Case("framing", "POST", "", h("Content-Type", form, "Transfer-Encoding", "chunked", "Content-Length", "3"), b("3\r\na=1\r\n0\r\n\r\n")));
        c.add(new Case("framing", "POST", "", h("Content-Type", form, "Transfer-Encoding", "gzip, chunked"), b("3\r\na=1\r\n0\r\n\r\n")));
        // methods
        for (String m : List.of("PUT", "DELETE", "PATCH", "TRACE", "FOO")) {
            c.add(new Case("method", m, "", h("Content-Type", form), b("a=1")));
        }
        return c;
    }

    record Answer(int status, boolean dropped) {
    }

    static Answer send(int port, String path, Case c) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            StringBuilder head = new StringBuilder();
            head.append(c.method()).append(' ').append(path).append(c.query().isEmpty() ? "" : "?" + c.query()).append(" HTTP/1.1\r\n")
                    .append("Host: localhost:").append(port).append("\r\nConnection: close\r\n");
            c.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (c.body() != null && !c.headers().containsKey("Transfer-Encoding") && !c.headers().containsKey("Content-Length")) {
                head.append("Content-Length: ").append(c.body().length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = s.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (c.body() != null) {
                out.write(c.body());
            }
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                first.write(b);
            }
            String line = first.toString(StandardCharsets.ISO_8859_1);
            if (!line.startsWith("HTTP/1.1 ")) {
                return new Answer(-1, true);
            }
            int status = Integer.parseInt(line.substring(9, 12));
            // the corpus's requests are malformed on purpose: only the answer's status is held to the document
            ApiTraffic.record(URI.create("http://localhost:" + port + "/"), new OpenApiContract.Exchange(c.method(), path, null,
                    null, null, status, null, null));
            return new Answer(status, false);
        } catch (IOException e) {
            return new Answer(-1, true);
        }
    }

    @Test
    void noMalformedRequestGetsA5xxOrNoAnswer(KeycloakServer server, AdminApi admin) {
        List<String> paths = paths();
        List<Case> corpus = corpus(admin.initialAccessToken("authority"));
        Map<String, int[]> byKind = new TreeMap<>(); // kind -> {sent, 2xx/3xx, 4xx, 5xx, dropped}
        List<String> failures = new ArrayList<>();
        for (String path : paths) {
            for (Case c : corpus) {
                Answer a = send(server.httpPort(), path, c);
                int[] f = byKind.computeIfAbsent(c.kind(), k -> new int[5]);
                f[0]++;
                if (a.dropped()) {
                    f[4]++;
                } else if (a.status() >= 500) {
                    f[3]++;
                } else if (a.status() >= 400) {
                    f[2]++;
                } else {
                    f[1]++;
                }
                if (a.dropped() && c.kind().equals("framing") && !c.headers().containsKey("Content-Length")) {
                    // Vert.x closes the connection on a chunked body it cannot decode, below any handler: counted
                    // and printed, not failed (docs/routes.md, "Malformed input")
                    continue;
                }
                if (a.dropped() || a.status() >= 500) {
                    failures.add(a.status() + " " + c.method() + " " + path + " [" + c.kind() + "] " + describe(c));
                }
            }
        }
        int total = byKind.values().stream().mapToInt(f -> f[0]).sum();
        System.err.printf("[malformed] %d requests over %d paths; by kind: sent, 2xx/3xx, 4xx, 5xx, no answer%n", total, paths.size());
        byKind.forEach((k, f) -> System.err.printf("[malformed]   %-14s %5d %5d %5d %5d %5d%n", k, f[0], f[1], f[2], f[3], f[4]));
        failures.stream().limit(400).forEach(f -> System.err.println("[malformed] " + f));
        assertTrue(total >= 1_000, "the corpus is too small: " + total);
        assertTrue(failures.isEmpty(), failures.size() + " of " + total + " malformed requests got a 5xx or no answer; first: "
                + failures.subList(0, Math.min(30, failures.size())));
    }

    private static String describe(Case c) {
        String headers = c.headers().toString();
        String body = c.body() == null ? "" : new String(c.body(), 0, Math.min(60, c.body().length), StandardCharsets.ISO_8859_1);
        String q = c.query().length() > 60 ? c.query().substring(0, 60) + "…" : c.query();
        return "q=" + q + " h=" + (headers.length() > 100 ? headers.substring(0, 100) + "…" : headers) + " body=" + body;
    }
}
