package dev.authoritypack.keycloak.realmsetup;

import dev.authoritypack.keycloak.common.PackRealms;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.dblock.DBLockManager;
import org.keycloak.models.dblock.DBLockProvider;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.representations.idm.RealmRepresentation;

import java.util.List;

/**
 * {@code --spi-documented-routes--default--apply-at-start=REALM[,REALM...]}: once Keycloak is up (after
 * {@code --import-realm}, at its {@code PostMigrationEvent}), each named realm is given this pack version's parts
 * exactly as {@code ./run.sh apply-pack REALM} would (no {@code --bind-flows}, no {@code --force}), from the realm
 * file built into this jar ({@link PackRealmFile#bundled()}). This is the upgrade of a container: Keycloak's import
 * skips a realm that exists, so a realm imported by an earlier pack version gets what this version adds only here
 * (docs/upgrading.md). Each realm in a transaction of its own under Keycloak's boot lock ({@link DBLockManager}, the
 * lock {@code KeycloakApplication} holds while it imports): nodes starting together apply one after the other, and
 * the second finds nothing to do. A realm that does not exist, or a conflict, is logged and changes nothing; the
 * server starts either way.
 */
final class PackRealmsAtStart {

    static final String SETTING = PackRealms.APPLY_AT_START;
    private static final Logger LOG = Logger.getLogger(PackRealmsAtStart.class);

    private final List<String> realms;

    PackRealmsAtStart(List<String> realms) {
        this.realms = realms;
    }

    boolean isEmpty() {
        return realms.isEmpty();
    }

    void run(KeycloakSessionFactory factory) {
        RealmRepresentation pack = PackRealmFile.bundled();
        for (String name : realms) {
            try {
                KeycloakModelUtils.runJobInTransaction(factory, session -> applyLocked(session, name, pack));
            } catch (RuntimeException e) {
                LOG.errorf("authority pack: applying to realm %s at start failed, nothing was changed: %s", name, e.toString());
            }
        }
    }

    private static void applyLocked(KeycloakSession session, String name, RealmRepresentation pack) {
        DBLockProvider lock = new DBLockManager(session).getDBLock();
        lock.waitForLock(DBLockProvider.Namespace.KEYCLOAK_BOOT);
        try {
            RealmModel realm = session.realms().getRealmByName(name);
            if (realm == null) {
                LOG.errorf("authority pack: no realm '%s' to apply the pack to at start (%s)", name, SETTING);
                return;
            }
            session.getContext().setRealm(realm);
            PackRealmParts.Report report = new PackRealmApply(session, realm, pack, false).apply(false, false);
            if (!report.conflicts().isEmpty()) {
                LOG.errorf("authority pack: not applied to realm %s at start, nothing was changed: %s", name, String.join("; ", report.conflicts()));
                return;
            }
            report.lines().forEach(line -> LOG.infof("authority pack at start, realm %s: %s", name, line));
            LOG.infof("authority pack applied to realm %s at start: %d changes", name, report.changes());
        } finally {
            lock.releaseLock();
        }
    }
}
