package dev.authoritypack.keycloak.routes;

import dev.authoritypack.keycloak.oauth.ClientChallenge;

import dev.authoritypack.keycloak.common.MediaTypeHeader;
import dev.authoritypack.keycloak.common.VertxRequest;

import dev.authoritypack.keycloak.common.Answers;
import dev.authoritypack.keycloak.common.PackRealms;

import dev.authoritypack.keycloak.oauth.InvalidClientAnswers;
import dev.authoritypack.keycloak.oauth.RegistrationBodyCheck;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.keycloak.util.JsonSerialization;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Serves the documented paths of {@link DocumentedRoute} by re-routing each request, inside Vert.x and before
 * Keycloak's JAX-RS layer sees it, onto the Keycloak endpoint (or pack realm resource) that does the work.
 *
 * <p>Keycloak 26.7 has no SPI for host-root paths. A JAX-RS {@code @PreMatching} filter can
 * rewrite the URI, but RESTEasy Reactive then computes matched URIs from the original path and fails with a
 * 500 on sub-resource locators when the original path is the shorter one ({@code /token} onto
 * {@code /realms/x/protocol/openid-connect/token}). A Vert.x re-route changes the path for every layer.
 * The Quarkus build discovers this CDI observer in the provider jar (it has {@code META-INF/beans.xml});
 * RouteTableIT fails if a Keycloak upgrade stops that. Query string, body, headers, cookies and the client
 * connection are untouched, so Keycloak sees the request the client sent, at its own path.
 *
 * <p>Before that, {@link RequestGuard} refuses what Keycloak would answer with a 500 (a malformed or unsupported
 * {@code Content-Type} or one the endpoint does not read), at the documented routes and at Keycloak's own paths
 * of the same endpoints ({@link MalformedFormAnswers} handles broken form bodies), and client-authentication
 * failures get their {@code WWW-Authenticate} challenge. The body is never read here: Quarkus' REST layer pauses
 * the request it gets, which an HTTP/2 request refuses once its body was read.
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
        if (PackRealms.passedBy(rc)) {
            rc.next(); // a realm the pack was not applied to (PackRealmGate): Keycloak answers as it does without the pack
            return;
        }
        if (!RequestGuard.acceptable(rc.request().getHeader(HttpHeaders.ACCEPT))) {
            rc.request().headers().remove(HttpHeaders.ACCEPT); // disregarded (RequestGuard.acceptable says why)
        }
        Optional<DocumentedRoute.Match> found = RouteOfRequest.of(rc);
        String clientRealm = found.filter(m -> m.route().authenticatesClients()).map(DocumentedRoute.Match::realm)
                .orElseGet(() -> DocumentedRoute.clientAuthenticationRealm(rc.normalizedPath()));
        if (clientRealm != null) {
            challengeOnUnauthorized(rc, clientRealm);
        }
        DocumentedRoute route = found.map(DocumentedRoute.Match::route).orElse(null);
        RequestGuard.Accepts accepts;
        if (route != null) {
            DocumentedRoute.Match match = found.get();
            String method = rc.request().method().name();
            if (!route.allows(method)) {
                TreeSet<String> allow = new TreeSet<>(route.methods());
                allow.add("OPTIONS");
                rc.response().putHeader("Allow", String.join(", ", allow));
                refuse(rc, route, 405, route.path() + " does not accept " + method + "; use " + String.join(" or ", new TreeSet<>(route.methods())));
                return;
            }
            if (match.hostRoot() && route.usesRealmCookies()) {
                String query = rc.request().query();
                rc.response().setStatusCode(307)
                        .putHeader(HttpHeaders.LOCATION, query == null ? match.issuerPath() : match.issuerPath() + "?" + query)
                        .putHeader(HttpHeaders.CACHE_CONTROL, Answers.NO_STORE)
                        .end();
                return;
            }
            accepts = RequestGuard.accepts(route);
        } else {
            accepts = RequestGuard.acceptsNative(rc.normalizedPath());
            if (accepts == null) {
                // not an endpoint of the documented API: untouched, except a Content-Type nobody can parse, which
                // Keycloak's JAX-RS layer would answer with a 500 (seen on the admin API)
                RequestGuard.Refusal broken = RequestGuard.unparseable(rc.request().getHeader(HttpHeaders.CONTENT_TYPE));
                if (broken != null) {
                    refuse(rc, null, broken.status(), broken.description());
                    return;
                }
                rc.next();
                return;
            }
        }
        HttpMethod method = rc.request().method();
        boolean hasBody = method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH;
        String type = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
        RequestGuard.Refusal refusal = RequestGuard.contentType(type, accepts, hasBody);
        if (refusal != null) {
            refuse(rc, route, refusal.status(), refusal.description());
            return;
        }
        if (method == HttpMethod.POST && (route == DocumentedRoute.REGISTER || RequestGuard.isRegistration(rc.normalizedPath())) && emptyBody(rc)) {
            // Keycloak's registration endpoint answers a request without client metadata with a 500 (a null
            // representation); a body of JSON null is refused later, by RegistrationBodyCheck
            Map<String, String> body = new LinkedHashMap<>();
            body.put("error", "invalid_client_metadata");
            body.put("error_description", RegistrationBodyCheck.DESCRIPTION);
            send(rc, 400, body);
            return;
        }
        proceed(rc, found);
    }

    /** Sends a checked request on: re-routed to the endpoint of its documented route, or on to Keycloak. */
    private static void proceed(RoutingContext rc, Optional<DocumentedRoute.Match> found) {
        if (found.isEmpty()) {
            rc.next();
            return;
        }
        DocumentedRoute.Match match = found.get();
        DocumentedRoute route = match.route();
        String target = match.targetPath();
        if (route.jsonTarget() != null && rc.request().method() == HttpMethod.POST && MediaTypeHeader.isJson(rc.request().getHeader(HttpHeaders.CONTENT_TYPE))) {
            target = match.jsonTargetPath();
        }
        if (route.formPostTarget() != null && rc.request().method() == HttpMethod.POST) {
            target = match.formPostTargetPath();
        }
        if (route == DocumentedRoute.ACTIVATE && rc.request().method() == HttpMethod.GET && rc.request().getParam("user_code") != null) {
            target = match.formPostTargetPath(); // the pack's page shows the code for the user to confirm (RFC 8628 §5.4)
        }
        rc.put(MATCH_KEY, match);
        if (match.hostRoot()) {
            rc.put(VertxRequest.HOST_ROOT, Boolean.TRUE); // e.g. the device flow's verification_uri stays at the host root
        }
        if (target.equals(rc.normalizedPath())) {
            applyResponseHeaders(rc, route); // already Keycloak's own path, e.g. the issuer's discovery document
            rc.next();
            return;
        }
        String query = rc.request().query();
        rc.reroute(query == null ? target : target + "?" + query);
    }

    /** A request that declares no body: {@code Content-Length: 0}, or neither a length nor a chunked body. */
    private static boolean emptyBody(RoutingContext rc) {
        String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        String transfer = rc.request().getHeader(HttpHeaders.TRANSFER_ENCODING);
        return length == null ? transfer == null : length.trim().equals("0");
    }

    /**
     * RFC 6749 §5.2: a 401 of client authentication names the scheme: the one of the client's registered method when
     * {@link InvalidClientAnswers} found it ({@link ClientChallenge}), else {@code Basic}.
     */
    private static void challengeOnUnauthorized(RoutingContext rc, String realm) {
        String basic = "Basic realm=\"" + realm.replaceAll("[^A-Za-z0-9._~-]", "_") + "\"";
        rc.addHeadersEndHandler(v -> {
            if (rc.response().getStatusCode() == 401 && !rc.response().headers().contains("WWW-Authenticate")) {
                String challenge = rc.get(ClientChallenge.KEY);
                rc.response().putHeader("WWW-Authenticate", challenge == null ? basic : challenge);
            }
        });
    }

    private static void applyResponseHeaders(RoutingContext rc, DocumentedRoute route) {
        if (route == DocumentedRoute.AUTHORIZE) {
            rc.addHeadersEndHandler(v -> {
                int status = rc.response().getStatusCode();
                String location = rc.response().headers().get(HttpHeaders.LOCATION);
                if ((status == 302 || status == 303) && location != null) {
                    rc.response().headers().set(HttpHeaders.LOCATION, AuthorizeErrors.withDescription(location));
                }
            });
        }
        String cacheControl = route.cacheControl();
        if (cacheControl == null) {
            return;
        }
        rc.addHeadersEndHandler(v -> {
            if (rc.response().getStatusCode() == 200) {
                rc.response().headers().set(HttpHeaders.CACHE_CONTROL, cacheControl).remove("Pragma");
                // Keycloak echoes the caller's Origin in Access-Control-Allow-Origin: a cache must keep one copy per
                // origin, or a second app on another origin gets the first one's answer and the browser blocks it
                rc.response().headers().set(HttpHeaders.VARY, PackCors.merge(rc.response().headers().get(HttpHeaders.VARY), "Origin"));
            }
        });
    }

    /** An error object in the route's style: {@code status}/{@code message} on /api/login (docs/legacy-login.md), else OAuth's. */
    private static void refuse(RoutingContext rc, DocumentedRoute route, int status, String description) {
        if (route == DocumentedRoute.API_LOGIN) {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("status", "error");
            body.put("message", description);
            send(rc, status, body);
            return;
        }
        error(rc, status, description);
    }

    private static void error(RoutingContext rc, int status, String description) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", "invalid_request");
        body.put("error_description", description);
        send(rc, status, body);
    }

    private static void send(RoutingContext rc, int status, Map<String, String> body) {
        rc.put(Answers.PACK_ANSWER, Boolean.TRUE); // the pack's own answer: CORS headers for a registered origin
        String json;
        try {
            json = JsonSerialization.writeValueAsString(body);
        } catch (IOException e) {
            json = "{\"error\":\"invalid_request\"}"; // cannot happen: a map of strings
        }
        rc.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, Answers.NO_STORE)
                .end(json);
    }
}
