package dev.authoritypack.keycloak.signin;

import jakarta.ws.rs.core.HttpHeaders;

import java.net.URI;
import java.util.Locale;

/** Origin/Referer check against the server's own origin (scheme, host, port). */
final class SameOrigin {

    private SameOrigin() {
    }

    static boolean check(URI base, HttpHeaders headers) {
        String origin = headers.getHeaderString("Origin");
        if (origin != null) {
            return !"null".equals(origin) && sameOrigin(base, origin);
        }
        String referer = headers.getHeaderString("Referer");
        return referer == null || sameOrigin(base, referer);
    }

    static boolean sameOrigin(URI base, String other) {
        try {
            URI uri = URI.create(other.trim());
            return base.getScheme().equalsIgnoreCase(String.valueOf(uri.getScheme()))
                    && base.getHost().toLowerCase(Locale.ROOT).equals(String.valueOf(uri.getHost()).toLowerCase(Locale.ROOT))
                    && port(base) == port(uri);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
