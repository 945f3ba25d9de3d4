package dev.authoritypack.keycloak.ratelimits;

import dev.authoritypack.keycloak.common.Answers;
import dev.authoritypack.keycloak.common.PackRealms;

import dev.authoritypack.keycloak.routes.RouteOfRequest;

import dev.authoritypack.keycloak.routes.DocumentedRoute;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.util.JsonSerialization;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts every request of a documented route, and of Keycloak's own paths of the same endpoints, against its
 * bucket ({@link RateLimitBucket}) before anything else happens to it, and refuses it with {@code 429} and the
 * route's error object once the key's limit is used up (docs/rate-limits.md). Every counted answer carries
 * {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining} and {@code X-RateLimit-Reset} (epoch seconds).
 *
 * <p>It runs in Vert.x, like the pack's re-router and before it ({@code DocumentedRouteRerouter}), so a documented
 * route and its native twin share one counter and no path bypasses it. The counting needs a Keycloak session (realm
 * settings) and may talk to another node, so it runs on a worker thread while the request waits, paused (its body
 * stays unread for Keycloak). Vert.x routes in a provider jar are not a documented SPI: RateLimitIT fails if a
 * Keycloak upgrade stops this handler from running.
 */
@ApplicationScoped
public class RateLimitFilter {

    private static final Logger LOG = Logger.getLogger(RateLimitFilter.class);
    private static final String COUNTED_KEY = RateLimitFilter.class.getName() + ".counted";
    private static final String DECISION_KEY = RateLimitDecision.class.getName();
    /** Seed 002's wording of the refusal. */
    public static final String TOO_MANY = "Too many requests. Check the X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers.";

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 5).handler(this::handle);
    }

    void handle(RoutingContext rc) {
        if (rc.get(COUNTED_KEY) != null) { // a re-route of a counted request: count once, answer headers again
            if (rc.get(DECISION_KEY) != null) {
                addHeaders(rc);
            }
            rc.next();
            return;
        }
        KeycloakSessionFactory factory = DefaultRateLimitsProviderFactory.sessionFactory();
        // a realm the pack was not applied to (routes' PackRealmGate decided before this handler) is not counted
        RequestClassifier.Counted counted = factory == null || PackRealms.passedBy(rc) ? null : RequestClassifier.classify(rc.request(), rc.normalizedPath(), RouteOfRequest.of(rc));
        if (counted == null) {
            rc.next();
            return;
        }
        rc.put(COUNTED_KEY, counted);
        rc.request().pause(); // Keycloak reads the body later; nothing of it may be lost meanwhile
        rc.vertx().executeBlocking(() -> consume(factory, counted), false).onComplete(done -> {
            RateLimitDecision decision = done.succeeded() ? done.result() : null;
            if (done.failed()) {
                LOG.warnf("Rate limit not checked: %s", done.cause().toString());
            }
            if (decision == null) {
                rc.next();
                return;
            }
            rc.put(DECISION_KEY, decision);
            addHeaders(rc);
            if (decision.allowed()) {
                rc.next();
            } else {
                refuse(rc, counted.route(), decision);
            }
        });
    }

    private static RateLimitDecision consume(KeycloakSessionFactory factory, RequestClassifier.Counted counted) {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
            RealmModel realm = session.realms().getRealmByName(counted.realm());
            return realm == null ? null : session.getProvider(RateLimitsProvider.class).consume(realm, counted.bucket(), counted.key());
        });
    }

    /**
     * Reports a further decision about the current request (SigninResource's per-account limit): its answer shows
     * whichever of the limits is closer to refusing. Called on the request's worker thread.
     */
    public static void report(RateLimitDecision decision) {
        if (decision == null) {
            return;
        }
        try {
            Instance<RoutingContext> current = CDI.current().select(RoutingContext.class);
            if (!current.isResolvable()) {
                return;
            }
            RoutingContext rc = current.get();
            RateLimitDecision before = rc.get(DECISION_KEY);
            rc.put(DECISION_KEY, RateLimitDecision.tighter(before, decision));
            if (before == null) {
                addHeaders(rc);
            }
        } catch (RuntimeException e) {
            LOG.debugf("No HTTP request to report a rate-limit decision to: %s", e.toString());
        }
    }

    /** Headers of the current decision, written when the answer's headers are (also for Keycloak's error answers). */
    private static void addHeaders(RoutingContext rc) {
        rc.addHeadersEndHandler(v -> {
            RateLimitDecision d = rc.get(DECISION_KEY);
            if (d == null) {
                return;
            }
            rc.response().headers()
                    .set("X-RateLimit-Limit", String.valueOf(d.limit()))
                    .set("X-RateLimit-Remaining", String.valueOf(d.remaining()))
                    .set("X-RateLimit-Reset", String.valueOf(d.resetEpochSeconds()));
            RequestClassifier.Counted counted = rc.get(COUNTED_KEY);
            if (rc.response().getStatusCode() == 401 && counted != null && counted.byClientId() && d.bucket() == counted.bucket()) {
                refund(rc, d); // the client id was not the caller's: a stranger cannot spend a client's budget
            }
        });
    }

    private static void refund(RoutingContext rc, RateLimitDecision decision) {
        KeycloakSessionFactory factory = DefaultRateLimitsProviderFactory.sessionFactory();
        rc.vertx().executeBlocking(() -> {
            KeycloakModelUtils.runJobInTransaction(factory, s -> s.getProvider(RateLimitsProvider.class).refund(decision));
            return null;
        }, false);
    }

    private static void refuse(RoutingContext rc, DocumentedRoute route, RateLimitDecision decision) {
        Map<String, String> body = new LinkedHashMap<>();
        if (route == DocumentedRoute.API_LOGIN) { // the legacy route's error object (docs/legacy-login.md)
            body.put("status", "error");
            body.put("message", TOO_MANY);
        } else {
            body.put("error", "too_many_requests");
            body.put("error_description", TOO_MANY);
        }
        String json;
        try {
            json = JsonSerialization.writeValueAsString(body);
        } catch (IOException e) {
            json = "{\"error\":\"too_many_requests\"}"; // cannot happen: a map of strings
        }
        rc.request().resume(); // the unread body is dropped with the answer
        rc.response().setStatusCode(429)
                .putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(decision.retryAfterSeconds(Time.currentTime())))
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, Answers.NO_STORE)
                .end(json);
    }
}
