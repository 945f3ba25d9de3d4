package dev.authoritypack.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 written by hand on a socket, for the requests Java's HttpClient will not send (a foreign {@code Host},
 * a client that is not Java): the head as given (ISO-8859-1), then the body; the whole answer read until the server
 * closes ({@code Connection: close} belongs in the head).
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** Sends head and body to host:port and returns the whole answer, status line first, read as UTF-8. */
    public static String exchange(String host, int port, String head, byte[] body, int timeoutMillis) {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(host + ":" + port + " " + head.lines().findFirst().orElse(""), e);
        }
    }
}
