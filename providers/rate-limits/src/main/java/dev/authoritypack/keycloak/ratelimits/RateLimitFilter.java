package dev.authoritypack.keycloak.ratelimits;

import dev.authoritypack.keycloak.routes.DocumentedRoute;
import dev.authoritypack.keycloak.routes.RouteSettings;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
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
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Counts every request of a documented route, and of Keycloak's own paths of the same endpoints, against its
 * bucket ({@link RateLimitBucket}) before anything else happens to it, and refuses it with {@code 429} and the
 * route's error object once the key's limit is used up (seed 002). Every counted answer carries
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
    private static final int MAX_CLIENT_ID = 255;

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 5).handler(this::handle);
    }

    /** A request to count: the realm, its bucket and key, and how to word a refusal. */
    record Counted(String realm, DocumentedRoute route, RateLimitBucket bucket, String key, boolean byClientId) {
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
        Counted counted = factory == null ? null : classify(rc.request(), rc.normalizedPath(), RouteSettings.current().hostRootRealm());
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

    private static RateLimitDecision consume(KeycloakSessionFactory factory, Counted counted) {
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
            Counted counted = rc.get(COUNTED_KEY);
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
        if (route == DocumentedRoute.API_LOGIN) { // seed 004's error object
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
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(json);
    }

    /** The bucket and key of a request, or {@code null} when no limit applies to it. */
    static Counted classify(HttpServerRequest request, String path, String hostRootRealm) {
        HttpMethod method = request.method();
        if (method == HttpMethod.OPTIONS || path == null) {
            return null; // CORS preflight: the request it announces is counted
        }
        Optional<DocumentedRoute.Match> match = DocumentedRoute.match(path, hostRootRealm).or(() -> nativeEndpoint(path));
        if (match.isEmpty() || (match.get().hostRoot() && match.get().route().usesRealmCookies())) {
            return null; // not an endpoint of the API, or a 307 to the issuer route, which is counted
        }
        DocumentedRoute route = match.get().route();
        RateLimitBucket bucket = bucket(route, method == HttpMethod.POST, request.getParam("user_code") != null);
        String address = clientAddress(request.remoteAddress());
        if (bucket.key() == RateLimitBucket.Key.CLIENT) {
            String clientId = basicClientId(request.getHeader(HttpHeaders.AUTHORIZATION));
            if (clientId != null) {
                return new Counted(match.get().realm(), route, bucket, "client:" + clientId, true);
            }
        }
        return new Counted(match.get().realm(), route, bucket, "address:" + address, false);
    }

    static RateLimitBucket bucket(DocumentedRoute route, boolean post, boolean userCode) {
        return switch (route) {
            case TOKEN, OAUTH_TOKEN, DEVICE_TOKEN -> RateLimitBucket.TOKEN;
            case OAUTH_INTROSPECT -> RateLimitBucket.INTROSPECT;
            case OAUTH_REVOKE -> RateLimitBucket.REVOKE;
            case DEVICE_CODE -> RateLimitBucket.DEVICE_CODE;
            case ACTIVATE -> post || userCode ? RateLimitBucket.ACTIVATE : RateLimitBucket.OTHER;
            case REGISTER -> post ? RateLimitBucket.REGISTER : RateLimitBucket.OTHER;
            case SIGNIN, MFA_VERIFY -> post ? RateLimitBucket.SIGNIN : RateLimitBucket.OTHER;
            case FORGOT_PASSWORD, ACCOUNT_PASSWORD_RESET, ACCOUNT_PASSWORD_CONFIRM, ACCOUNT_EMAIL_VERIFY, ACCOUNT_EMAIL_RESEND ->
                    post ? RateLimitBucket.ACCOUNT : RateLimitBucket.OTHER;
            case API_LOGIN -> RateLimitBucket.API_LOGIN;
            default -> RateLimitBucket.OTHER;
        };
    }

    /** Keycloak's own path of a route's endpoint ({@code /realms/x/protocol/openid-connect/token}, ...). */
    static Optional<DocumentedRoute.Match> nativeEndpoint(String path) {
        if (!path.startsWith("/realms/")) {
            return Optional.empty();
        }
        int slash = path.indexOf('/', "/realms/".length());
        if (slash < 0) {
            return Optional.empty();
        }
        String realm = path.substring("/realms/".length(), slash);
        String rest = path.substring(slash + 1);
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        for (DocumentedRoute route : DocumentedRoute.values()) {
            if (rest.equals(route.target()) || rest.equals(route.jsonTarget())) {
                return Optional.of(new DocumentedRoute.Match(realm, route, false));
            }
        }
        return Optional.empty();
    }

    /** The client id of {@code Authorization: Basic} (RFC 6749 §2.3.1: form-encoded), or {@code null}. */
    static String basicClientId(String authorization) {
        if (authorization == null || authorization.length() < 7 || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        String id;
        try {
            id = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return id.isEmpty() || id.length() > MAX_CLIENT_ID ? null : id;
    }

    /**
     * The address a limit counts by. An IPv6 client usually holds a whole /64, so IPv6 addresses count by their /64
     * prefix; otherwise one client could take a fresh address for every request.
     */
    static String clientAddress(SocketAddress remote) {
        String host = remote == null ? null : remote.hostAddress();
        if (host == null) {
            return "unknown";
        }
        if (host.indexOf(':') < 0) {
            return host;
        }
        try {
            InetAddress address = InetAddress.getByName(host); // a literal: no lookup
            if (address instanceof Inet6Address) {
                byte[] bytes = address.getAddress();
                StringBuilder prefix = new StringBuilder();
                for (int i = 0; i < 8; i += 2) {
                    prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
                }
                return prefix.append(":/64").toString();
            }
            return address.getHostAddress();
        } catch (UnknownHostException e) {
            return host;
        }
    }
}
