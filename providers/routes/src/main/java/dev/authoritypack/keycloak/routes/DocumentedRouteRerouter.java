package dev.authoritypack.keycloak.routes;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.keycloak.util.JsonSerialization;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Serves the documented paths of {@link DocumentedRoute} by re-routing each request, inside Vert.x and before
 * Keycloak's JAX-RS layer sees it, onto the Keycloak endpoint (or pack realm resource) that does the work.
 *
 * <p>Keycloak 26.7 has no SPI for host-root paths (KEYCLOAK-NOTES §9). A JAX-RS {@code @PreMatching} filter can
 * rewrite the URI, but RESTEasy Reactive then computes matched URIs from the original path and fails with a
 * 500 on sub-resource locators when the original path is the shorter one ({@code /token} onto
 * {@code /realms/x/protocol/openid-connect/token}). A Vert.x re-route changes the path for every layer.
 * The Quarkus build discovers this CDI observer in the provider jar (it has {@code META-INF/beans.xml});
 * RouteTableIT fails if a Keycloak upgrade stops that. Query string, body, headers, cookies and the client
 * connection are untouched, so Keycloak sees the request the client sent, at its own path.
 */
@ApplicationScoped
public class DocumentedRouteRerouter {

    /** Routing-context key holding the {@link DocumentedRoute.Match} once a request was re-routed. */
    static final String MATCH_KEY = DocumentedRoute.class.getName();

    void register(@Observes Router router) {
        // early, before Quarkus' own handlers; the work per request is a few string comparisons
        router.route().order(Integer.MIN_VALUE + 10).handler(this::handle);
    }

    void handle(RoutingContext rc) {
        if (rc.get(MATCH_KEY) instanceof DocumentedRoute.Match match) {
            applyResponseHeaders(rc, match.route());
            if (match.route().authenticatesClients()) {
                challengeOnUnauthorized(rc, match.realm()); // again: a re-route may start with fresh handlers
            }
            rc.next();
            return;
        }
        Optional<DocumentedRoute.Match> found = DocumentedRoute.match(rc.normalizedPath(), RouteSettings.current().hostRootRealm());
        String clientRealm = found.filter(m -> m.route().authenticatesClients()).map(DocumentedRoute.Match::realm)
                .orElseGet(() -> DocumentedRoute.clientAuthenticationRealm(rc.normalizedPath()));
        if (clientRealm != null) {
            challengeOnUnauthorized(rc, clientRealm);
        }
        if (found.isEmpty()) {
            rc.next();
            return;
        }
        DocumentedRoute.Match match = found.get();
        DocumentedRoute route = match.route();
        String method = rc.request().method().name();
        if (!route.allows(method)) {
            TreeSet<String> allow = new TreeSet<>(route.methods());
            allow.add("OPTIONS");
            rc.response().putHeader("Allow", String.join(", ", allow));
            error(rc, 405, route.path() + " does not accept " + method + "; use " + String.join(" or ", new TreeSet<>(route.methods())));
            return;
        }
        if (match.hostRoot() && route.usesRealmCookies()) {
            String query = rc.request().query();
            rc.response().setStatusCode(307)
                    .putHeader(HttpHeaders.LOCATION, query == null ? match.issuerPath() : match.issuerPath() + "?" + query)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end();
            return;
        }
        String target = match.targetPath();
        if (route.jsonTarget() != null && rc.request().method() == HttpMethod.POST) {
            String type = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
            if (isJson(type)) {
                target = match.jsonTargetPath();
            } else if (type != null && !isForm(type)) {
                error(rc, 400, "Content-Type must be application/x-www-form-urlencoded or application/json");
                return;
            }
        }
        if (route.body() != null && rc.request().method() == HttpMethod.POST) {
            // the pack reads these bodies itself; a media type it does not read would fail inside the framework
            // (a 500 for a garbage or multipart type), so it is the caller's mistake here: 415
            String type = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
            boolean readable = type == null || type.isBlank() || isForm(type)
                    || (route.body() == DocumentedRoute.Body.JSON_OR_FORM && isJson(type));
            if (!readable) {
                error(rc, 415, route.body() == DocumentedRoute.Body.FORM
                        ? "Content-Type must be application/x-www-form-urlencoded"
                        : "Content-Type must be application/json or application/x-www-form-urlencoded");
                return;
            }
        }
        rc.put(MATCH_KEY, match);
        if (target.equals(rc.normalizedPath())) {
            applyResponseHeaders(rc, route); // already Keycloak's own path, e.g. the issuer's discovery document
            rc.next();
            return;
        }
        String query = rc.request().query();
        rc.reroute(query == null ? target : target + "?" + query);
    }

    /** RFC 6749 §5.2: a 401 of client authentication names the scheme ({@link InvalidClientAnswers} fixes the body). */
    private static void challengeOnUnauthorized(RoutingContext rc, String realm) {
        String challenge = "Basic realm=\"" + realm.replaceAll("[^A-Za-z0-9._~-]", "_") + "\"";
        rc.addHeadersEndHandler(v -> {
            if (rc.response().getStatusCode() == 401 && !rc.response().headers().contains("WWW-Authenticate")) {
                rc.response().putHeader("WWW-Authenticate", challenge);
            }
        });
    }

    private static void applyResponseHeaders(RoutingContext rc, DocumentedRoute route) {
        String cacheControl = route.cacheControl();
        if (cacheControl == null) {
            return;
        }
        rc.addHeadersEndHandler(v -> {
            if (rc.response().getStatusCode() == 200) {
                rc.response().headers().set(HttpHeaders.CACHE_CONTROL, cacheControl).remove("Pragma");
            }
        });
    }

    private static boolean isJson(String contentType) {
        String t = mediaType(contentType);
        return t != null && t.startsWith("application/") && (t.equals("application/json") || t.endsWith("+json"));
    }

    private static boolean isForm(String contentType) {
        return "application/x-www-form-urlencoded".equals(mediaType(contentType));
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static void error(RoutingContext rc, int status, String description) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", "invalid_request");
        body.put("error_description", description);
        String json;
        try {
            json = JsonSerialization.writeValueAsString(body);
        } catch (IOException e) {
            json = "{\"error\":\"invalid_request\"}";
        }
        rc.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(json);
    }
}
