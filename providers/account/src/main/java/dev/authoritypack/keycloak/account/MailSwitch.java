package dev.authoritypack.keycloak.account;

import dev.authoritypack.keycloak.common.SameOrigin;
import org.jboss.logging.Logger;
import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mail is off in a realm whose Email settings ({@link RealmModel#getSmtpConfig}, Keycloak's "Realm settings →
 * Email") name no SMTP host: the realm export's {@code host} is {@code ${AUTHORITY_SMTP_HOST:}}, empty unless the
 * operator set it at the first start (realm-config/authority-realm.json). The account routes then answer exactly as
 * with mail on (their mails are worked on after the answer, AccountMail) and send nothing; JavaMail would otherwise
 * try localhost:25. Said once per realm in the log at start, or at the first mail a realm changed later skips.
 *
 * <p>It also decides where the links of a mail point ({@link #linkBase}): never at a host only the request named.
 * Without a fixed host name Keycloak builds its URLs from the request's {@code Host} header, and a reset asked for
 * with {@code Host: evil.example} would mail the victim a link (and a token) for evil.example.
 */
final class MailSwitch {

    private static final Logger LOG = Logger.getLogger(MailSwitch.class);
    /** Only which warnings this node has written: nothing an answer depends on. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private MailSwitch() {
    }

    /**
     * The base URI a mail's links and token may name: the request's, when Keycloak did not take it from the
     * {@code Host} header (its {@code hostname} option or the realm's Frontend URL fix it: HostnameV2Provider), when
     * it is a loopback address (development on this machine), or when it is the realm's configured public URL (the
     * origin of {@code shortVerificationUri}, set from {@code AUTHORITY_VERIFICATION_URI} at import). Otherwise empty: the
     * account routes answer as always and the mail is not sent (logged once per realm and host).
     */
    static Optional<URI> linkBase(KeycloakSession session) {
        RealmModel realm = session.getContext().getRealm();
        URI base = session.getContext().getUri().getBaseUri();
        if (HOSTNAME_FIXED || !blank(realm.getAttribute("frontendUrl")) || loopback(base.getHost()) || publicUrl(realm, base)) {
            return Optional.of(base);
        }
        if (WARNED.add(realm.getId() + " " + base.getHost())) {
            LOG.warnf("Realm %s: no account mail is sent for requests to host %s: without Keycloak's hostname option "
                    + "(KC_HOSTNAME) or the realm's Frontend URL, its links would name whatever host the request said",
                    realm.getName(), printable(base.getHost()));
        }
        return Optional.empty();
    }

    /** Keycloak's {@code hostname} option (read by its HostnameV2ProviderFactory from the same scope). */
    private static final boolean HOSTNAME_FIXED = !blank(Config.scope("hostname", "v2").get("hostname"));

    private static boolean loopback(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost") || h.matches("127(\\.\\d{1,3}){3}") || h.equals("[::1]") || h.equals("::1");
    }

    private static boolean publicUrl(RealmModel realm, URI base) {
        String configured = realm.getAttribute("shortVerificationUri");
        return !blank(configured) && SameOrigin.sameOrigin(base, configured);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String printable(String s) {
        return s == null ? "" : s.replaceAll("[^A-Za-z0-9.:\\[\\]-]", "?");
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
