package dev.authoritypack.keycloak.account;

import org.jboss.logging.Logger;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.executors.ExecutorsProvider;
import org.keycloak.locale.LocaleSelectorProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.services.Urls;

import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Mails of account recovery, worked on <em>after</em> the request is answered: on an executor of Keycloak's
 * {@link ExecutorsProvider}, each in its own transaction ({@link KeycloakModelUtils#runJobInTransaction}). Looking
 * the address up, minting the token and talking to the SMTP server all happen there, so the answer takes the
 * same time whether the address belongs to an account or not (Keycloak's own reset flow sends synchronously and
 * leaks that through SMTP latency). Mails use the realm's email theme ({@link EmailTemplateProvider}).
 */
final class AccountMail {

    private static final Logger LOG = Logger.getLogger(AccountMail.class);
    static final String EXECUTOR = "authority-account-mail";
    /** Bounds the work waiting on this node; a flood beyond it is dropped (logged), the answers stay the same. */
    private static final int MAX_PENDING = 1000;
    private static final AtomicInteger PENDING = new AtomicInteger();

    private AccountMail() {
    }

    /** What a job needs from the request that asked for the mail; no {@code baseUri} when no link may be sent. */
    record Request(String realmId, String email, String clientAddress, String locale, URI baseUri) {

        static Request of(KeycloakSession session, String email) {
            var context = session.getContext();
            Locale locale = context.resolveLocale(null); // the caller's language (cookie, Accept-Language) or the realm's
            return new Request(context.getRealm().getId(), email, context.getConnection().getRemoteAddr(),
                    locale == null ? null : locale.toLanguageTag(), MailSwitch.linkBase(session).orElse(null));
        }
    }

    interface Job {
        void run(KeycloakSession session, RealmModel realm, Request request) throws EmailException;
    }

    /** Runs the job after this request, on another thread; never throws and never delays the answer. */
    static void later(KeycloakSession session, String name, Request request, Job job) {
        if (MailSwitch.off(session.getContext().getRealm())) {
            MailSwitch.warnOnce(session.getContext().getRealm());
            return; // the answer is the same either way: it never waited for the mail
        }
        if (request.baseUri() == null) {
            return; // no trusted host for its links (MailSwitch.linkBase said so in the log)
        }
        KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
        if (PENDING.incrementAndGet() > MAX_PENDING) {
            PENDING.decrementAndGet();
            LOG.warnf("%s: more than %d mails waiting on this node; this one is dropped", name, MAX_PENDING);
            return;
        }
        try {
            session.getProvider(ExecutorsProvider.class).getExecutor(EXECUTOR).execute(() -> {
                try {
                    KeycloakModelUtils.runJobInTransaction(factory, s -> {
                        RealmModel realm = s.realms().getRealm(request.realmId());
                        if (realm == null) {
                            return;
                        }
                        s.getContext().setRealm(realm);
                        try {
                            job.run(s, realm, request);
                        } catch (EmailException e) {
                            // the reason only: the message names neither the token nor the link
                            LOG.warnf("%s: the mail could not be sent in realm %s: %s", name, realm.getName(), reason(e));
                        }
                    });
                } catch (RuntimeException e) {
                    LOG.errorf("%s: failed in the background: %s", name, e.getClass().getName());
                } finally {
                    PENDING.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            PENDING.decrementAndGet();
            LOG.warnf("%s: the mail executor refused the job; no mail sent", name);
        }
    }

    /**
     * Sends one of the pack's mails ({@code email/html/<template>} and {@code email/text/<template>} of the realm's
     * email theme) to the user, in the user's language, else the language of the request that asked for it.
     */
    static void send(KeycloakSession session, RealmModel realm, UserModel user, Request request, String subjectKey,
                     String template, Map<String, Object> attributes) throws EmailException {
        if (user.getFirstAttribute(UserModel.LOCALE) == null && request.locale() != null) {
            session.setAttribute(LocaleSelectorProvider.USER_REQUEST_LOCALE, request.locale());
        }
        // a copy: Keycloak's template provider adds its own attributes to the map it is given
        session.getProvider(EmailTemplateProvider.class).setRealm(realm).setUser(user).send(subjectKey, template, new HashMap<>(attributes));
    }

    /**
     * Mails the user a link to {@code path?token=…} of the realm (and the token itself, for API clients) with
     * the template, valid for the token's lifespan.
     */
    static void sendToken(KeycloakSession session, RealmModel realm, UserModel user, Request request, AccountToken token,
                          int lifespanSeconds, String path, String subjectKey, String template) throws EmailException {
        String serialized = token.serialize(session, realm, request.baseUri());
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("link", Urls.realmBase(request.baseUri()).path(realm.getName()).path(path)
                .queryParam("token", serialized).build().toString());
        attributes.put("token", serialized);
        attributes.put("linkExpiration", lifespanSeconds / 60);
        send(session, realm, user, request, subjectKey, template, attributes);
    }

    private static String reason(EmailException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String detail = cause == e ? e.getMessage() : e.getMessage() + " (" + cause.getClass().getSimpleName() + ")";
        return detail == null ? e.getClass().getSimpleName() : detail;
    }
}
