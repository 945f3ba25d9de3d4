package dev.authoritypack.keycloak.common;

import jakarta.ws.rs.core.HttpHeaders;

import java.net.URI;
import java.util.Locale;

/**
 * Cross-site protection of the pack's browser routes: which POSTs a web page made, and whether that page was
 * another site's. The decision rests only on headers a web page cannot set or remove (the Fetch standard's
 * forbidden request headers), so it refuses what a hostile page can make a browser send and serves every client
 * that is not a web page in a browser: curl, Node's {@code fetch} (undici sends {@code Sec-Fetch-Mode: cors} and
 * nothing else of Fetch Metadata), Python, Java, Go, a browser extension's own requests.
 *
 * <p>What current browsers send on a POST (Chromium, Firefox since 70, Safari since 16.4):
 * <ul>
 *   <li>{@code Origin} on every POST, form or {@code fetch()}, same-origin or not; {@code null} for a form posted
 *   from a page with {@code Referrer-Policy: no-referrer} (every Keycloak page) or from a sandboxed frame;</li>
 *   <li>{@code Sec-Fetch-Site} ({@code same-origin}, {@code same-site}, {@code cross-site}) to HTTPS and localhost
 *   origins; {@code none} only for what the user started (address bar, bookmark) or an extension with host
 *   permission, never for what a web page started.</li>
 * </ul>
 * So a POST with neither {@code Origin} nor a {@code Sec-Fetch-Site} other than {@code none} was not made by a web
 * page, and login CSRF (another site signing this browser in) cannot be done with it.
 */
public final class SameOrigin {

    private SameOrigin() {
    }

    /**
     * True when a browser says a web page of another origin made the request.
     *
     * <p>{@code Sec-Fetch-Site} decides when present: {@code none} is never another site, {@code same-origin} is
     * this site unless {@code Origin} names another one, anything else is another site. Without it (an older
     * browser, or plain HTTP to a host that is not localhost) {@code Origin}, else {@code Referer}, must name this
     * origin. {@code Origin: null} passes only with {@code Sec-Fetch-Site: same-origin} (a real browser posting
     * Keycloak's own forms, PagesInABrowserIT), never on its own: a sandboxed frame of any site sends it too.
     */
    public static boolean crossSite(URI base, HttpHeaders headers) {
        String site = fetchSite(headers);
        String origin = headers.getHeaderString("Origin");
        if (site != null) {
            if (site.equals("none")) {
                return false;
            }
            // same-site (a sibling subdomain) is another origin too: it must not sign anyone in or out here
            if (!site.equals("same-origin")) {
                return true;
            }
            return origin != null && !"null".equals(origin.trim()) && !sameOrigin(base, origin);
        }
        return !check(base, headers);
    }

    /**
     * True when a web page in a browser made the request: Fetch Metadata says a page started it
     * ({@code Sec-Fetch-Site} other than {@code none}), or, without Fetch Metadata, it names its {@code Origin}.
     * Such a POST must also carry the form token of its page (SigninCsrf). A request with neither comes from a
     * program or the user (an extension's request says {@code none} whatever its {@code Origin}), which no other
     * site can make a browser send. {@code Sec-Fetch-Mode}, {@code -Dest} and {@code -User} alone decide nothing:
     * Node's fetch sends the first.
     */
    public static boolean fromWebPage(HttpHeaders headers) {
        String site = fetchSite(headers);
        return site != null ? !site.equals("none") : headers.getHeaderString("Origin") != null;
    }

    private static String fetchSite(HttpHeaders headers) {
        String site = headers.getHeaderString("Sec-Fetch-Site");
        return site == null ? null : site.trim().toLowerCase(Locale.ROOT);
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
