package dev.authoritypack.keycloak.common;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.utils.WebOriginsUtils;

import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The browser origins a realm lets call its APIs: every web origin its clients register (Keycloak's
 * {@code webOrigins}, {@code +} meaning the origins of the redirect URIs, as Keycloak's {@link WebOriginsUtils}
 * resolves them), as Keycloak's own endpoints allow them per client. Resolved here without the request's URI
 * context (WebOriginsUtils reads it for relative redirect URIs, and PackCors asks from a Vert.x worker, where there
 * is none): a relative redirect URI counts with the client's absolute root URL, otherwise not. The pack's routes are not a client's,
 * so they take the realm's union. Kept per node: a derived copy of the realm's clients (which live in the database
 * and Keycloak's caches) that answers "allowed" for {@value #TTL_MILLIS} ms and "not allowed" for
 * {@value #MISS_MILLIS} ms, so a newly registered origin counts within seconds while a stream of requests from
 * unknown origins reads the clients at most once per {@value #MISS_MILLIS} ms.
 */
public final class RealmWebOrigins {

    static final long TTL_MILLIS = 30_000;
    static final long MISS_MILLIS = 2_000;
    private static final Map<String, Entry> BY_REALM = new ConcurrentHashMap<>();

    private record Entry(Set<String> origins, boolean any, long loadedAt) {
        boolean allows(String origin) {
            return any || origins.contains(origin);
        }
    }

    private RealmWebOrigins() {
    }

    /** Whether the realm's clients register the origin; from the copy when it is fresh, else read again. */
    public static boolean allows(KeycloakSession session, RealmModel realm, String origin) {
        return cached(realm.getName(), origin).orElseGet(() -> load(session, realm).allows(origin));
    }

    /**
     * A request with a JSON body from a registered origin. A browser sends such a request to another origin only
     * after this server's preflight allowed it (JSON is not a type a form or a no-cors fetch can send), so it is
     * an app the realm trusts calling its API, not another site's form: the cross-site rule lets it through.
     */
    public static boolean corsJsonRequest(KeycloakSession session, jakarta.ws.rs.core.HttpHeaders headers) {
        String origin = headers.getHeaderString("Origin");
        RealmModel realm = session.getContext().getRealm();
        return origin != null && !"null".equals(origin) && realm != null
                && MediaTypeHeader.isJson(headers.getHeaderString(jakarta.ws.rs.core.HttpHeaders.CONTENT_TYPE))
                && allows(session, realm, origin);
    }

    /** The answer of a fresh copy, or empty when the realm's clients must be read (needs a session). */
    public static Optional<Boolean> cached(String realmName, String origin) {
        Entry e = BY_REALM.get(realmName);
        if (e == null) {
            return Optional.empty();
        }
        long age = System.currentTimeMillis() - e.loadedAt();
        boolean allowed = e.allows(origin);
        return age < (allowed ? TTL_MILLIS : MISS_MILLIS) ? Optional.of(allowed) : Optional.empty();
    }

    /** Keycloak's "+" (the client's redirect URIs' origins): a constant of Constants from 26.5, of WebOriginsUtils before. */
    private static final String INCLUDE_REDIRECTS = "+";

    private static Set<String> webOrigins(org.keycloak.models.ClientModel client) {
        Set<String> origins = new HashSet<>(client.getWebOrigins() == null ? Set.of() : client.getWebOrigins());
        if (origins.remove(INCLUDE_REDIRECTS)) {
            for (String redirect : client.getRedirectUris()) {
                String absolute = redirect.startsWith("/") && client.getRootUrl() != null ? client.getRootUrl() + redirect : redirect;
                origin(absolute).ifPresent(origins::add);
            }
        }
        return origins;
    }

    /** scheme://host[:port] of an absolute http(s) URI (a {@code *} in its path allowed), or empty. */
    static Optional<String> origin(String uri) {
        if (!(uri.startsWith("http://") || uri.startsWith("https://"))) {
            return Optional.empty();
        }
        int start = uri.indexOf("://") + 3;
        int end = start;
        while (end < uri.length() && "/?#".indexOf(uri.charAt(end)) < 0) {
            end++;
        }
        String authority = uri.substring(start, end);
        return authority.isEmpty() || authority.contains("*") || authority.contains("@") ? Optional.empty()
                : Optional.of(uri.substring(0, start).toLowerCase(java.util.Locale.ROOT) + authority.toLowerCase(java.util.Locale.ROOT));
    }

    private static Entry load(KeycloakSession session, RealmModel realm) {
        Set<String> origins = new HashSet<>();
        realm.getClientsStream().filter(c -> c.isEnabled()).forEach(c -> origins.addAll(webOrigins(c)));
        boolean any = origins.remove("*");
        Entry e = new Entry(Set.copyOf(origins), any, System.currentTimeMillis());
        BY_REALM.put(realm.getName(), e);
        return e;
    }
}
