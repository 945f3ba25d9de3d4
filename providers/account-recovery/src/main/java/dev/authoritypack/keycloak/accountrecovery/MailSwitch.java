package dev.authoritypack.keycloak.accountrecovery;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mail is off in a realm whose Email settings ({@link RealmModel#getSmtpConfig}, Keycloak's "Realm settings →
 * Email") name no SMTP host: the realm export's {@code host} is {@code ${AUTHORITY_SMTP_HOST:}}, empty unless the
 * operator set it at the first start (realm-config/authority-realm.json). The account routes then answer exactly as
 * with mail on (their mails are worked on after the answer, AccountMail) and send nothing; JavaMail would otherwise
 * try localhost:25. Said once per realm in the log at start, or at the first mail a realm changed later skips.
 */
final class MailSwitch {

    private static final Logger LOG = Logger.getLogger(MailSwitch.class);
    /** Only which warnings this node has written: nothing an answer depends on. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private MailSwitch() {
    }

    static boolean off(RealmModel realm) {
        String host = realm.getSmtpConfig() == null ? null : realm.getSmtpConfig().get("host");
        return host == null || host.isBlank();
    }

    /** Once the realms are imported (Keycloak publishes PostMigrationEvent after the import), names those without mail. */
    static void reportAtStart(KeycloakSessionFactory factory) {
        factory.register(event -> {
            if (event instanceof PostMigrationEvent) {
                KeycloakModelUtils.runJobInTransaction(factory, session -> session.realms().getRealmsStream()
                        .filter(realm -> !"master".equals(realm.getName()) && off(realm))
                        .forEach(MailSwitch::warnOnce));
            }
        });
    }

    static void warnOnce(RealmModel realm) {
        if (WARNED.add(realm.getId())) {
            LOG.warnf("Mail is off in realm %s: its Email settings name no SMTP host (set AUTHORITY_SMTP_HOST and "
                    + "AUTHORITY_SMTP_FROM before the realm's first import, or in the admin console under Realm settings > Email). "
                    + "Password-reset and verification mails are not sent; the account routes answer as usual.", realm.getName());
        }
    }
}
