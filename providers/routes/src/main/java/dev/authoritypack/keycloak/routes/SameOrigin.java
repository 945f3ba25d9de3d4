package dev.authoritypack.keycloak.routes;

import jakarta.ws.rs.core.HttpHeaders;

import java.net.URI;
import java.util.Locale;

/**
 * Cross-site protection of the pack's browser routes. A browser tells where a request comes from with Fetch
 * Metadata ({@code Sec-Fetch-Site}) and {@code Origin} (and, in older browsers, {@code Referer}); a request that
 * carries none of them cannot come from a page in a browser (curl, a server) and is not a cross-site request.
 */
public final class SameOrigin {

    private SameOrigin() {
    }

    /**
     * True when a browser says the request was made by a page of another origin.
     *
     * <p>{@code Sec-Fetch-Site} decides when present: a browser sets it and no page can change it. {@code Origin}
     * must then not name another origin either. {@code Origin: null} is what a browser sends for a form POST from a
     * page served with {@code Referrer-Policy: no-referrer}, which Keycloak sets on every page; it names no origin,
     * so it passes only when Fetch Metadata vouches for the request (PagesInABrowserIT: a real browser's own sign-in),
     * never on its own (a sandboxed frame or a privacy redirect sends it too).
     */
    public static boolean crossSite(URI base, HttpHeaders headers) {
        String site = headers.getHeaderString("Sec-Fetch-Site");
        String origin = headers.getHeaderString("Origin");
        if (site != null) {
            String s = site.trim().toLowerCase(Locale.ROOT);
            // same-site (a sibling subdomain) is another origin too: it must not sign anyone in or out here
            if (!s.equals("same-origin") && !s.equals("none")) {
                return true;
            }
            return origin != null && !"null".equals(origin.trim()) && !sameOrigin(base, origin);
        }
        return !check(base, headers);
    }

    /** True when the request names a browser page as its source: Origin or Fetch Metadata (sent on every POST). */
    public static boolean fromBrowser(HttpHeaders headers) {
        return headers.getHeaderString("Origin") != null || headers.getHeaderString("Sec-Fetch-Site") != null
                || headers.getHeaderString("Sec-Fetch-Mode") != null;
    }

    /** Origin (else Referer) is this server's origin, or the request names no source at all. */
    public static boolean check(URI base, HttpHeaders headers) {
        String origin = headers.getHeaderString("Origin");
        if (origin != null) {
            return !"null".equals(origin) && sameOrigin(base, origin);
        }
        String referer = headers.getHeaderString("Referer");
        return referer == null || sameOrigin(base, referer);
    }

    public static boolean sameOrigin(URI base, String other) {
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
