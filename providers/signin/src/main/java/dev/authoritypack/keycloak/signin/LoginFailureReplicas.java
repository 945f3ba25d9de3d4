package dev.authoritypack.keycloak.signin;

import org.infinispan.AdvancedCache;
import org.infinispan.Cache;
import org.infinispan.conflict.ConflictManagerFactory;
import org.infinispan.container.entries.InternalCacheValue;
import org.infinispan.distribution.LocalizedCacheTopology;
import org.infinispan.remoting.transport.Address;
import org.infinispan.topology.CacheTopology;
import org.jboss.logging.Logger;
import org.keycloak.connections.infinispan.InfinispanConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.sessions.infinispan.InfinispanUserLoginFailureProvider;
import org.keycloak.models.sessions.infinispan.changes.SessionEntityWrapper;
import org.keycloak.models.sessions.infinispan.entities.LoginFailureEntity;
import org.keycloak.models.sessions.infinispan.entities.LoginFailureKey;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Read repair of a user's login-failure record across the owners of Keycloak's distributed {@code loginFailures}
 * cache, before a sign-in reads it.
 *
 * <p>Why: Keycloak keeps the record ({@code InfinispanUserLoginFailureProvider}) in a cache with two owners, and each
 * node reads its own copy. Seen on two nodes behind a load balancer (docs/load.md "What it found",
 * {@code it-tests/src/load/java/.../LoginFailureRejoinRun.java}): after a node rejoined, one node held an account's
 * record and the other held none, for as long as the record lived. Keycloak never heals such a pair by itself: it
 * updates a record with {@code computeIfPresent} ({@code InfinispanChangesUtils#replace}, {@code ReplaceFunction}),
 * which Infinispan runs again on every owner against that owner's copy, so an owner without the record stays
 * without it. A lockout written to that record is then enforced by one node and not by the other.
 *
 * <p>What: the copies of every owner are read with Infinispan's {@code ConflictManager#getAllVersions} (one request
 * to the other owners); when they differ, the newest (latest failure) is written back so that every owner holds it,
 * with a conditional write decided by the key's primary owner ({@code replace(key, itsValue, newest)}, or {@code
 * putIfAbsent} where the primary holds none), so a concurrent update of the record is never overwritten. Keycloak's
 * own brute-force check ({@code DefaultBruteForceProtector}) then reads a repaired copy on whichever node it runs.
 * Nothing happens for a local (single-node, dev) cache, while the cache is rebalancing, or for Keycloak's other
 * login-failure stores (database or external Infinispan); any error leaves the record as it is.
 *
 * <p>One case repairs towards "more locked": a record removed (an administrator's unlock, a password reset) in the
 * very milliseconds this read runs, gone from the primary but not yet from a backup, is written back; the account
 * stays locked until the lockout ends, never the reverse.
 */
final class LoginFailureReplicas {

    private static final Logger LOG = Logger.getLogger(LoginFailureReplicas.class);
    private static final String ASKED = LoginFailureReplicas.class.getName() + ".asked";

    private LoginFailureReplicas() {
    }

    /**
     * Makes every owner of the user's record hold its newest copy; must run before the session first reads it. With
     * no user (an email that names nobody) the same question is asked of a key no record has, so that a known and an
     * unknown account cost the same request to the other node.
     */
    static void repair(KeycloakSession session, RealmModel realm, UserModel user) {
        repair(session, realm, () -> user);
    }

    /** As above, with the account found only where the cache is clustered (a lookup the caller need not make). */
    static void repair(KeycloakSession session, RealmModel realm, Supplier<UserModel> account) {
        if (session.getAttribute(ASKED) != null) {
            return; // once per request: Keycloak's form may check a known account twice, an unknown one once
        }
        session.setAttribute(ASKED, Boolean.TRUE);
        String userId = null;
        try {
            if (!(session.loginFailures() instanceof InfinispanUserLoginFailureProvider)) {
                return;
            }
            InfinispanConnectionProvider infinispan = session.getProvider(InfinispanConnectionProvider.class);
            Cache<LoginFailureKey, SessionEntityWrapper<LoginFailureEntity>> cache =
                    infinispan == null ? null : infinispan.getCache(InfinispanConnectionProvider.LOGIN_FAILURE_CACHE_NAME);
            if (cache == null || !cache.getCacheConfiguration().clustering().cacheMode().isClustered()) {
                return;
            }
            AdvancedCache<LoginFailureKey, SessionEntityWrapper<LoginFailureEntity>> advanced = cache.getAdvancedCache();
            LocalizedCacheTopology topology = advanced.getDistributionManager().getCacheTopology();
            if (topology.getPhase() != CacheTopology.Phase.NO_REBALANCE || topology.getMembers().size() < 2) {
                return;
            }
            UserModel user = account.get();
            userId = user != null ? user.getId() : "unknown-" + java.util.UUID.randomUUID();
            LoginFailureKey key = new LoginFailureKey(realm.getId(), userId);
            Map<Address, InternalCacheValue<SessionEntityWrapper<LoginFailureEntity>>> copies =
                    ConflictManagerFactory.get(advanced).getAllVersions(key);
            InternalCacheValue<SessionEntityWrapper<LoginFailureEntity>> newest = newest(copies);
            if (newest == null || copies.values().stream().allMatch(c -> sameVersion(c, newest))) {
                return; // no copy anywhere, or every owner holds the newest
            }
            long lifespan = newest.getLifespan() < 0 ? -1 : newest.getExpiryTime() - System.currentTimeMillis();
            if (newest.getLifespan() >= 0 && lifespan <= 0) {
                return; // expiring now on its own
            }
            InternalCacheValue<SessionEntityWrapper<LoginFailureEntity>> onPrimary = copies.get(topology.getDistribution(key).primary());
            // a copy the primary holds but that has expired (a cleared record waits there for the reaper) is none
            boolean repaired = onPrimary == null || onPrimary.getValue() == null || onPrimary.isExpired(System.currentTimeMillis())
                    ? advanced.putIfAbsent(key, newest.getValue(), lifespan, TimeUnit.MILLISECONDS) == null
                    : advanced.replace(key, onPrimary.getValue(), newest.getValue(), lifespan, TimeUnit.MILLISECONDS);
            LOG.debugf("login-failure record of user %s differed between its owners; repaired: %s", userId, repaired);
        } catch (RuntimeException | LinkageError e) {
            // another Keycloak or Infinispan than the one this was written for, or the cluster changing: leave it
            LOG.debugf(e, "login-failure record of user %s not compared across owners", userId);
        }
    }

    /** The copy with the latest failure (then the latest lockout end); null when no owner holds one. */
    private static InternalCacheValue<SessionEntityWrapper<LoginFailureEntity>> newest(
            Map<Address, InternalCacheValue<SessionEntityWrapper<LoginFailureEntity>>> copies) {
        InternalCacheValue<SessionEntityWrapper<LoginFailureEntity>> newest = null;
        for (InternalCacheValue<SessionEntityWrapper<LoginFailureEntity>> copy : copies.values()) {
            if (copy == null || copy.getValue() == null || copy.isExpired(System.currentTimeMillis())) {
                continue;
            }
            if (newest == null || isNewer(copy.getValue().getEntity(), newest.getValue().getEntity())) {
                newest = copy;
            }
        }
        return newest;
    }

    private static boolean isNewer(LoginFailureEntity a, LoginFailureEntity b) {
        return a.getLastFailure() != b.getLastFailure()
                ? a.getLastFailure() > b.getLastFailure()
                : a.getFailedLoginNotBefore() > b.getFailedLoginNotBefore();
    }

    private static boolean sameVersion(InternalCacheValue<SessionEntityWrapper<LoginFailureEntity>> copy,
                                       InternalCacheValue<SessionEntityWrapper<LoginFailureEntity>> newest) {
        return copy != null && copy.getValue() != null && !copy.isExpired(System.currentTimeMillis())
                && copy.getValue().getVersion().equals(newest.getValue().getVersion());
    }
}
