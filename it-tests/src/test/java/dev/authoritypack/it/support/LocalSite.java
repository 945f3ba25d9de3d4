package dev.authoritypack.it.support;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A small site in the test JVM on 127.0.0.1 (another origin and site than the server's {@code http://localhost}):
 * the JDK's {@code HttpServer} answering every GET with what {@code pages} returns for the path, 404 for null.
 */
public final class LocalSite implements AutoCloseable {

    /** An answer: its Content-Type and body. */
    public record Content(String type, byte[] body) {
        public static Content html(String html) {
            return new Content("text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
        }

        public static Content json(String json) {
            return new Content("application/json", json.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final HttpServer server;

    private LocalSite(HttpServer server) {
        this.server = server;
    }

    /** Starts a site on a free port whose answer to a path is {@code pages.apply(path)}. */
    public static LocalSite serve(Function<String, Content> pages) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
            // never a port a Keycloak of this run had (a stopped cluster node's, an image's): the suite's checks tell
            // the server's pages by port (ApiTraffic.isServer), and would take this site's pages for the server's
            for (int tries = 0; ApiTraffic.isServer(URI.create("http://127.0.0.1:" + server.getAddress().getPort())) && tries < 20; tries++) {
                HttpServer again = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
                server.stop(0);
                server = again;
            }
            server.createContext("/", exchange -> {
                Content content = pages.apply(exchange.getRequestURI().getPath());
                if (content == null) {
                    exchange.sendResponseHeaders(404, -1);
                    exchange.close();
                    return;
                }
                exchange.getResponseHeaders().add("Content-Type", content.type());
                exchange.sendResponseHeaders(200, content.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(content.body());
                }
            });
            server.start();
            return new LocalSite(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One page for every path. */
    public static LocalSite serve(Content page) {
        return serve(path -> page);
    }

    /** {@code http://127.0.0.1:<port>} */
    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
