package dev.authoritypack.keycloak.ratelimits;

import dev.authoritypack.keycloak.common.BasicClientId;
import dev.authoritypack.keycloak.routes.DocumentedRoute;
import dev.authoritypack.keycloak.routes.RealmPath;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Which limit a request counts against: its bucket ({@link RateLimitBucket}, from the documented route or Keycloak's
 * own path of the same endpoint) and its key (the client id of Basic client authentication, else the client
 * address, an IPv6 client by its /64). Pure functions of the request; {@link RateLimitFilter} counts and answers.
 */
final class RequestClassifier {


    private RequestClassifier() {
    }

    /** A request to count: the realm, its bucket and key, and how to word a refusal. */
    record Counted(String realm, DocumentedRoute route, RateLimitBucket bucket, String key, boolean byClientId) {
    }

    /** The bucket and key of a request, or {@code null} when no limit applies to it. */
    static Counted classify(HttpServerRequest request, String path, Optional<DocumentedRoute.Match> documented) {
        HttpMethod method = request.method();
        if (method == HttpMethod.OPTIONS || path == null) {
            return null; // CORS preflight: the request it announces is counted
        }
        Optional<DocumentedRoute.Match> match = documented.or(() -> nativeEndpoint(path));
        if (match.isEmpty() || (match.get().hostRoot() && match.get().route().usesRealmCookies())) {
            return null; // not an endpoint of the API, or a 307 to the issuer route, which is counted
        }
        DocumentedRoute route = match.get().route();
        RateLimitBucket bucket = bucket(route, method == HttpMethod.POST, request.getParam("user_code") != null);
        String address = clientAddress(request.remoteAddress());
        if (bucket.key() == RateLimitBucket.Key.CLIENT) {
            String clientId = BasicClientId.of(request.getHeader(HttpHeaders.AUTHORIZATION));
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
        RealmPath realmPath = RealmPath.of(path);
        if (realmPath == null) {
            return Optional.empty();
        }
        String realm = realmPath.realm();
        String rest = realmPath.rest().substring(1);
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
