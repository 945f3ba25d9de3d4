package dev.authoritypack.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** A plain HTTP client for the tests: no redirects followed, its own cookie jar, JSON helpers. */
public final class Http {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient client;
    private final CookieJar cookies = new CookieJar();

    public Http(URI base) {
        this(base, null);
    }

    /** A client of an https base whose certificate {@code ssl} trusts (a test's own, e.g. deployment/TlsProxyIT's). */
    public Http(URI base, javax.net.ssl.SSLContext ssl) {
        this.base = base;
        // HTTP/1.1: the JDK client's default for http:// is an h2c upgrade, and Keycloak 26.7's HTTP layer then
        // garbles a few percent of large answers (stock Keycloak too: 14 of 400 fetches of a 200 KB stylesheet)
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .cookieHandler(cookies)
                .connectTimeout(Duration.ofSeconds(5));
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        this.client = builder.build();
    }

    /** Forgets this client's cookies: the next request comes from a browser with no session. */
    public void forgetCookies() {
        cookies.clear();
    }

    public URI uri(String pathAndQuery) {
        return pathAndQuery.startsWith("http") ? URI.create(pathAndQuery) : URI.create(base + pathAndQuery);
    }

    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30));
    }

    public Response get(String pathAndQuery, String... headers) {
        HttpRequest.Builder b = request(pathAndQuery).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    public Response method(String method, String pathAndQuery) {
        return send(request(pathAndQuery).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    public Response postForm(String pathAndQuery, Map<String, String> form, String... headers) {
        HttpRequest.Builder b = request(pathAndQuery)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    public Response postJson(String pathAndQuery, String json, String... headers) {
        HttpRequest.Builder b = request(pathAndQuery)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            ApiTraffic.record(request, response);
            return new Response(response);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String form(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** An HTTP answer with its body read as text. */
    public record Response(HttpResponse<String> raw) {
        public int status() {
            return raw.statusCode();
        }

        public String body() {
            return raw.body();
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + raw.statusCode() + "): " + raw.body(), e);
            }
        }

        @Override
        public String toString() {
            return raw.request().method() + " " + raw.uri() + " -> " + raw.statusCode() + " " + raw.body();
        }
    }
}
