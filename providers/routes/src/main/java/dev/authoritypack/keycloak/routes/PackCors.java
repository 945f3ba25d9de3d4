package dev.authoritypack.keycloak.routes;

import dev.authoritypack.keycloak.common.Answers;
import dev.authoritypack.keycloak.common.PackRealms;
import dev.authoritypack.keycloak.common.RealmWebOrigins;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.cors.Cors;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * CORS for browser apps on their own origin, on the documented routes and Keycloak's own paths of the same
 * endpoints, for the origins the realm's clients register ({@link RealmWebOrigins}). Keycloak's endpoints answer
 * CORS themselves, per client; this adds what they cannot: the preflight and the headers of the routes the pack
 * serves ({@link DocumentedRoute#servedByPack()}: {@code /account/*}, {@code /api/login}, {@code /device/token}, …),
 * the headers of the pack's own answers in front of Keycloak's endpoints (its {@code 429}, its input checks), and
 * {@code Retry-After} and {@code X-RateLimit-*} among the headers a page may read. It answers as Keycloak's
 * {@link Cors} does: the caller's origin, credentials allowed, Keycloak's list of request headers plus
 * {@code Authorization}. A request from any other origin gets no CORS header, so the browser keeps the answer
 * from the page. Runs first among the pack's Vert.x handlers, so that every later answer carries the headers.
 */
@ApplicationScoped
public class PackCors {

    private static final Logger LOG = Logger.getLogger(PackCors.class);
    private static final String HANDLED = PackCors.class.getName();
    private static final String ALLOWED = PackCors.class.getName() + ".allowed";
    /** Set by the pack's Vert.x handlers on an answer they end themselves (DocumentedRouteRerouter, the rate limits). */
    static final String EXPOSED = "Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, WWW-Authenticate";
    /**
     * Keycloak's {@code Cors.DEFAULT_ALLOW_HEADERS} plus {@code Authorization} and {@code Accept-Language}, written out:
     * that field is a String on Keycloak 26.4 and a Set on 26.7, so reading it would fail on one of the lines.
     */
    private static final String ALLOWED_HEADERS = "Accept, Accept-Language, Access-Control-Request-Headers, "
            + "Access-Control-Request-Method, Authorization, Content-Type, DPoP, Origin, X-Requested-With";

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 2).handler(this::handle);
    }

    /** What a request with an Origin asks of: the realm, and the documented route (null on a native path). */
    record Target(String realm, DocumentedRoute route) {
        boolean servedByPack() {
            return route != null && route.servedByPack();
        }
    }

    void handle(RoutingContext rc) {
        String origin = rc.request().getHeader(HttpHeaders.ORIGIN);
        if (origin == null || PackRealms.passedBy(rc)) { // a realm the pack was not applied to: Keycloak's CORS alone
            rc.next();
            return;
        }
        if (rc.get(HANDLED) != null) {
            // a re-route (DocumentedRouteRerouter) starts with fresh headers-end handlers: the decision is kept
            if (rc.get(ALLOWED) instanceof Target allowedTarget) {
                rc.addHeadersEndHandler(v -> addHeaders(rc, allowedTarget, origin));
            }
            rc.next();
            return;
        }
        Target target = target(rc);
        KeycloakSessionFactory factory = DefaultDocumentedRoutesProviderFactory.sessionFactory();
        if (target == null || factory == null || "null".equals(origin)) {
            rc.next();
            return;
        }
        rc.put(HANDLED, Boolean.TRUE);
        Optional<Boolean> known = RealmWebOrigins.cached(target.realm(), origin);
        if (known.isPresent()) {
            apply(rc, target, origin, known.get());
            return;
        }
        rc.request().pause(); // the body stays unread for Keycloak
        rc.vertx().executeBlocking(() -> KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
            RealmModel realm = session.realms().getRealmByName(target.realm());
            return realm != null && RealmWebOrigins.allows(session, realm, origin);
        }), false).onComplete(done -> {
            if (done.failed()) {
                LOG.warnf("CORS origin not checked: %s", done.cause().toString());
            }
            apply(rc, target, origin, done.succeeded() && done.result());
        });
    }

    private static void apply(RoutingContext rc, Target target, String origin, boolean allowed) {
        boolean preflight = rc.request().method() == HttpMethod.OPTIONS && rc.request().getHeader("Access-Control-Request-Method") != null;
        if (preflight && target.servedByPack()) {
            // the pack's resources have no preflight of their own: answered here, for a registered origin only
            var response = rc.response().setStatusCode(204).putHeader(HttpHeaders.VARY, "Origin");
            if (allowed) {
                Set<String> methods = new TreeSet<>(target.route().methods());
                methods.add("OPTIONS");
                response.putHeader(Cors.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                        .putHeader(Cors.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true")
                        .putHeader(Cors.ACCESS_CONTROL_ALLOW_METHODS, String.join(", ", methods))
                        .putHeader(Cors.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS)
                        .putHeader(Cors.ACCESS_CONTROL_MAX_AGE, String.valueOf(Cors.DEFAULT_MAX_AGE));
            }
            response.end();
            return;
        }
        if (allowed) {
            rc.put(ALLOWED, target);
            rc.addHeadersEndHandler(v -> addHeaders(rc, target, origin));
        }
        rc.next();
    }

    private static void addHeaders(RoutingContext rc, Target target, String origin) {
        var headers = rc.response().headers();
        if (headers.contains(Cors.ACCESS_CONTROL_ALLOW_ORIGIN)) {
            // Keycloak answered CORS for this client: the pack's headers are readable too
            headers.set(Cors.ACCESS_CONTROL_EXPOSE_HEADERS, merge(headers.get(Cors.ACCESS_CONTROL_EXPOSE_HEADERS), EXPOSED));
            return;
        }
        // a Keycloak endpoint that left CORS out decided so for its client; the pack's own answers and routes get it
        if (!target.servedByPack() && rc.get(Answers.PACK_ANSWER) == null && rc.response().getStatusCode() != 429) {
            return;
        }
        headers.set(Cors.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
                .set(Cors.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true")
                .set(Cors.ACCESS_CONTROL_EXPOSE_HEADERS, merge(headers.get(Cors.ACCESS_CONTROL_EXPOSE_HEADERS), EXPOSED))
                .set(HttpHeaders.VARY, merge(headers.get(HttpHeaders.VARY), "Origin"));
    }

    static String merge(String existing, String more) {
        Set<String> all = new LinkedHashSet<>();
        for (String list : new String[]{existing, more}) {
            if (list != null) {
                Arrays.stream(list.split(",")).map(String::trim).filter(h -> !h.isEmpty())
                        .filter(h -> all.stream().noneMatch(h::equalsIgnoreCase)).forEach(all::add);
            }
        }
        return String.join(", ", all);
    }

    private static Target target(RoutingContext rc) {
        String path = rc.normalizedPath();
        Optional<DocumentedRoute.Match> match = RouteOfRequest.of(rc);
        if (match.isPresent()) {
            return new Target(match.get().realm(), match.get().route());
        }
        if (RequestGuard.acceptsNative(path) == null) {
            return null;
        }
        return new Target(RealmPath.of(path).realm(), null);
    }
}
