package dev.authoritypack.keycloak.common;

import io.vertx.ext.web.RoutingContext;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one decision whether the pack acts on a realm's requests (docs/existing-keycloak.md): a realm the pack was
 * applied to carries the realm attribute {@value #ATTRIBUTE}{@code =true} (the realm file
 * realm-config/authority-realm.json sets it, and so does {@code ./run.sh apply-pack}); every other realm is left as
 * stock Keycloak serves it: no rate limits, no cache or CORS headers of the pack, none of its routes (Keycloak's
 * 404), Keycloak's own error answers. The operator may switch the pack on for every realm of the server with
 * {@code --spi-documented-routes--default--all-realms=true} ({@code KC_SPI_DOCUMENTED_ROUTES__DEFAULT__ALL_REALMS}).
 * The default realm of the host-root routes ({@code default-realm}, {@code authority}) counts as applied unless its
 * attribute says {@code false}: a realm imported by an earlier version of the pack, without the attribute, keeps it
 * after an upgrade ({@code ./run.sh remove-pack} writes {@code false} there).
 *
 * <p>Code with a session asks {@link #isApplied(KeycloakSession, RealmModel)}: a read of the cached realm. The Vert.x
 * handlers run before a session exists; routes' {@code PackRealmGate} decides once per request (from a per-node copy,
 * {@link #cached}, fresh for {@value #TTL_MILLIS} ms, else read on a worker thread) and notes the answer on the
 * routing context, where every later handler reads it ({@link #passedBy}). An apply or removal thus reaches the
 * Vert.x handlers of every node within {@value #TTL_MILLIS} ms, and the pack's resources at once.
 */
public final class PackRealms {

    /** The realm attribute of an opted-in realm. */
    public static final String ATTRIBUTE = "authority.pack.enabled";
    /** Server-wide switch: the pack acts on every realm. Read from the route settings' SPI scope. */
    public static final String ALL_REALMS = "all-realms";
    public static final String SPI = "documented-routes";
    public static final String PROVIDER = "default";
    /** Realms given the installed pack version's parts at every start (realm-setup's PackRealmsAtStart). */
    public static final String APPLY_AT_START = "apply-at-start";
    /** The route settings' key of the host-root realm, and its default (routes' RouteSettings reads the same). */
    public static final String DEFAULT_REALM = "default-realm";
    public static final String DEFAULT_REALM_DEFAULT = "authority";
    static final long TTL_MILLIS = 5_000;

    private static final String DECISION_KEY = PackRealms.class.getName();
    /** A derived copy of one realm attribute per realm name, per node: nothing an answer depends on for longer than the TTL. */
    private static final Map<String, Entry> BY_REALM = new ConcurrentHashMap<>();
    private static volatile Boolean allRealms;
    private static volatile String defaultRealm;

    private record Entry(boolean applied, long loadedAt) {
    }

    /** What the gate decided for a request: the realm it names and whether the pack acts on it. */
    private record Decision(String realm, boolean applied) {
    }

    private PackRealms() {
    }

    /** Whether the pack acts on the realm's requests: the server-wide switch, or the realm's own attribute. */
    public static boolean isApplied(KeycloakSession session, RealmModel realm) {
        if (allRealms()) {
            return true;
        }
        if (realm == null) {
            return false;
        }
        String attribute = realm.getAttribute(ATTRIBUTE);
        boolean applied = attribute == null ? realm.getName().equals(defaultRealm()) : Boolean.parseBoolean(attribute);
        BY_REALM.put(realm.getName(), new Entry(applied, System.currentTimeMillis()));
        return applied;
    }

    /** Whether the pack acts on the realm of the session's request ({@code session.getContext().getRealm()}). */
    public static boolean isApplied(KeycloakSession session) {
        return session != null && isApplied(session, session.getContext().getRealm());
    }

    /** The decision from this node's copy when it is fresh (or the server-wide switch), else empty: ask with a session. */
    public static Optional<Boolean> cached(String realmName) {
        if (allRealms()) {
            return Optional.of(true);
        }
        Entry e = BY_REALM.get(realmName);
        return e != null && System.currentTimeMillis() - e.loadedAt() < TTL_MILLIS ? Optional.of(e.applied()) : Optional.empty();
    }

    /** The server-wide switch, read once: Keycloak's configuration does not change at runtime. */
    public static boolean allRealms() {
        Boolean all = allRealms;
        if (all == null) {
            Config.Scope scope = Config.scope(SPI, PROVIDER);
            Boolean configured = scope == null ? null : scope.getBoolean(ALL_REALMS);
            all = configured != null && configured;
            allRealms = all;
        }
        return all;
    }

    /** The realm of the host-root routes, as configured ({@value #DEFAULT_REALM_DEFAULT} by default). */
    public static String defaultRealm() {
        String realm = defaultRealm;
        if (realm == null) {
            Config.Scope scope = Config.scope(SPI, PROVIDER);
            String configured = scope == null ? null : scope.get(DEFAULT_REALM);
            realm = configured == null || configured.isBlank() ? DEFAULT_REALM_DEFAULT : configured.trim();
            defaultRealm = realm;
        }
        return realm;
    }

    /** Notes the gate's decision for a request naming the realm (kept across its re-routes). */
    public static void decide(RoutingContext rc, String realm, boolean applied) {
        rc.put(DECISION_KEY, new Decision(realm, applied));
    }

    /** The decision noted for this request when it was about the realm, or null. */
    public static Boolean decided(RoutingContext rc, String realm) {
        return rc.get(DECISION_KEY) instanceof Decision d && d.realm().equals(realm) ? d.applied() : null;
    }

    /**
     * Whether the pack's Vert.x handlers must leave this request alone: it names a realm the pack was not applied to.
     * A request naming no realm (the admin API, static resources) is not passed by.
     */
    public static boolean passedBy(RoutingContext rc) {
        return rc.get(DECISION_KEY) instanceof Decision d && !d.applied();
    }
}
