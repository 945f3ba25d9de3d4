package dev.authoritypack.it.support;

import com.microsoft.playwright.BrowserContext;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;

/**
 * Every exchange the suite has with a server of the run goes through {@link #record}: it is checked against the
 * OpenAPI document ({@link OpenApiContract}), and the test that made it fails (after it ran) when the document
 * lacks its route, status, header or a field of its body. The JDK client ({@link Http}), Nimbus' client, the
 * real browser and the raw sockets of the malformed-input corpus all report here.
 *
 * <p>{@code -Dopenapi.contract=report} writes the violations to {@code target/openapi-violations.txt} instead of
 * failing (for working on the document).
 */
public final class ApiTraffic implements AfterEachCallback {

    private static final Set<Integer> SERVER_PORTS = ConcurrentHashMap.newKeySet();
    private static final ConcurrentLinkedQueue<String> VIOLATIONS = new ConcurrentLinkedQueue<>();
    /** Realms the pack is not applied to (ExistingRealmIT): they answer as stock Keycloak, not as the document says. */
    private static final Set<String> STOCK_REALMS = ConcurrentHashMap.newKeySet();
    private static final boolean REPORT = "report".equals(System.getProperty("openapi.contract"));

    static {
        // the documented answers this run reached, for whoever works on the document or the tests
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.writeString(Path.of("target", "openapi-coverage-" + System.getProperty("it.db", "dev-file") + ".txt"),
                        OpenApiContract.get().coverage());
            } catch (IOException | RuntimeException e) {
                System.err.println("[it-tests] cannot write the OpenAPI coverage: " + e);
            }
        }, "openapi-coverage"));
    }

    /** A port of a Keycloak of this run: exchanges with it are checked; other servers (mock IdPs) are not the pack. */
    public static void server(int port) {
        SERVER_PORTS.add(port);
    }

    /** Whether the address is one of a Keycloak of this run (not a mock IdP, a test site or a routed page). */
    public static boolean isServer(URI uri) {
        return uri.getPort() >= 0 && SERVER_PORTS.contains(uri.getPort());
    }

    /** Marks a realm as one the pack is (not) applied to; exchanges with a stock realm are not checked. */
    public static void stockRealm(String realm, boolean stock) {
        if (stock) {
            STOCK_REALMS.add(realm);
        } else {
            STOCK_REALMS.remove(realm);
        }
    }

    public static void record(URI uri, OpenApiContract.Exchange exchange) {
        if (uri.getPort() < 0 || !SERVER_PORTS.contains(uri.getPort())
                || STOCK_REALMS.stream().anyMatch(r -> uri.getPath().startsWith("/realms/" + r + "/"))) {
            return;
        }
        List<String> found;
        try {
            found = OpenApiContract.get().check(exchange);
        } catch (RuntimeException e) {
            found = List.of(exchange.method() + " " + exchange.path() + ": the check failed: " + e);
        }
        VIOLATIONS.addAll(found);
    }

    /** An exchange of the JDK client; the request body is read back from its publisher (the suite's are replayable). */
    public static void record(HttpRequest request, HttpResponse<String> response) {
        URI uri = request.uri();
        record(uri, new OpenApiContract.Exchange(request.method(), uri.getRawPath(), uri.getRawQuery(),
                request.headers().firstValue("Content-Type").orElse(null), body(request),
                response.statusCode(), response.headers().map(), response.body()));
    }

    /** Sends a Nimbus request (the suite's OAuth client library) and records the exchange. */
    public static HTTPResponse send(HTTPRequest request) throws IOException {
        HTTPResponse response = request.send();
        URI uri = request.getURI();
        String query = request.getMethod() == HTTPRequest.Method.GET ? request.getURL().getQuery() : uri.getRawQuery();
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(response.getHeaderMap());
        record(uri, new OpenApiContract.Exchange(request.getMethod().name(), uri.getRawPath(), query,
                request.getEntityContentType() == null ? null : request.getEntityContentType().toString(),
                request.getMethod() == HTTPRequest.Method.GET ? null : request.getBody(),
                response.getStatusCode(), headers, response.getBody()));
        return response;
    }

    /** Records every answer a real browser gets in this context (redirects included). */
    public static BrowserContext watch(BrowserContext context) {
        context.onResponse(response -> {
            URI uri = URI.create(response.url());
            if (!SERVER_PORTS.contains(uri.getPort())) {
                return;
            }
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            response.headersArray().forEach(h -> headers.computeIfAbsent(h.name, k -> new ArrayList<>()).add(h.value));
            String body = null;
            int status = response.status();
            if (status < 300 || status >= 400) {
                try {
                    body = response.text();
                } catch (RuntimeException gone) {
                    body = null; // a page navigated away before its body was read
                }
            }
            record(uri, new OpenApiContract.Exchange(response.request().method(), uri.getRawPath(), uri.getRawQuery(),
                    response.request().headerValue("content-type"), response.request().postData(), status, headers, body));
        });
        return context;
    }

    /** Fails the test whose exchanges broke the contract (or, in report mode, appends them to the report). */
    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        List<String> found = new ArrayList<>();
        for (String v; (v = VIOLATIONS.poll()) != null; ) {
            if (!found.contains(v)) {
                found.add(v);
            }
        }
        if (found.isEmpty()) {
            return;
        }
        String test = context.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName();
        if (REPORT) {
            Path report = Path.of("target", "openapi-violations.txt");
            StringBuilder text = new StringBuilder();
            found.forEach(v -> text.append(test).append(": ").append(v).append('\n'));
            Files.writeString(report, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return;
        }
        throw new AssertionError(found.size() + " exchange(s) of this test differ from the OpenAPI document "
                + OpenApiContract.documentFile() + ":\n  " + String.join("\n  ", found.subList(0, Math.min(found.size(), 30))));
    }

    private static String body(HttpRequest request) {
        if (request.bodyPublisher().isEmpty()) {
            return null;
        }
        HttpRequest.BodyPublisher publisher = request.bodyPublisher().get();
        if (publisher.contentLength() == 0) {
            return "";
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        publisher.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] b = new byte[item.remaining()];
                item.get(b);
                bytes.write(b, 0, b.length);
            }

            @Override
            public void onError(Throwable throwable) {
                failed.set(true);
            }

            @Override
            public void onComplete() {
            }
        });
        if (failed.get()) {
            throw new UncheckedIOException(new IOException("request body cannot be read back"));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
