package dev.authoritypack.keycloak.realmsetup;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.dblock.DBLockManager;
import org.keycloak.models.dblock.DBLockProvider;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.function.Function;

/**
 * One apply or removal at a time, on every node: the work holds Keycloak's boot lock ({@link DBLockManager},
 * {@link DBLockProvider.Namespace#KEYCLOAK_BOOT}, a row in the database; the lock {@link PackRealmsAtStart} and
 * Keycloak's own realm import hold) and runs in a transaction of its own, which reads the realm afresh. The lock is
 * released only after that transaction has committed and Keycloak has dropped the realm from its caches, so a
 * second request waits, then reads the first one's parts and finds its work done (ConcurrentApplyIT: without it the
 * second answered Keycloak's 409 "Duplicate resource error"; a lock of the realm's row alone was not enough, as the
 * second then read the realm from the cache before the first's commit had evicted it).
 */
final class RealmLock {

    private RealmLock() {
    }

    /** {@code work} on the realm (by id) under the lock, in a transaction of its own; {@code null} if the realm is gone. */
    static <T> T withRealm(KeycloakSession session, String realmId, Function<KeycloakSession, T> work) {
        DBLockProvider lock = new DBLockManager(session).getDBLock();
        lock.waitForLock(DBLockProvider.Namespace.KEYCLOAK_BOOT);
        try {
            return KeycloakModelUtils.runJobInTransactionWithResult(session.getKeycloakSessionFactory(), job -> {
                RealmModel realm = job.realms().getRealm(realmId);
                if (realm == null) {
                    return null;
                }
                job.getContext().setRealm(realm);
                return work.apply(job);
            });
        } finally {
            lock.releaseLock();
        }
    }
}
