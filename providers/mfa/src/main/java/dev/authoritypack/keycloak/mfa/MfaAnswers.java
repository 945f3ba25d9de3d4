package dev.authoritypack.keycloak.mfa;

import dev.authoritypack.keycloak.common.Answers;
import dev.authoritypack.keycloak.common.PackPage;
import dev.authoritypack.keycloak.common.RealmUrls;
import dev.authoritypack.keycloak.common.SameOrigin;
import dev.authoritypack.keycloak.common.SessionCsrf;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserSessionModel;

import java.util.HashMap;
import java.util.Map;

/**
 * How the MFA routes answer, on {@link Answers}' rule (JSON when the request prefers it, else the pack's pages
 * {@code mfa-setup.ftl}, {@code mfa-verify.ftl}, {@code mfa-error.ftl}), and the form check of their POSTs.
 */
final class MfaAnswers {

    private final KeycloakSession session;

    MfaAnswers(KeycloakSession session) {
        this.session = session;
    }

    boolean json() {
        return Answers.prefersJson(session);
    }

    String path(String route) {
        return RealmUrls.path(session, route);
    }

    /**
     * The error object (its English {@code description}: an API), or the MFA error page with the message of
     * {@code messageKey} (a {@link PackPage#key}) in the page's language, formatted with {@code args}, and a link
     * back to the setup.
     */
    Response error(int status, String error, String description, String messageKey, Object... args) {
        if (json()) {
            return Answers.error(status, error, description).build();
        }
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("error", args.length == 0 ? messageKey : PackPage.message(session, messageKey, args));
        attributes.put("setupUrl", path("mfa/setup"));
        return PackPage.render(session, "mfa-error.ftl", status, attributes);
    }

    Response page(String template, int status, Map<String, Object> attributes) {
        return PackPage.render(session, template, status, attributes);
    }

    Response redirect(String location) {
        return Answers.redirect(location, json());
    }

    Response signInFirst(String returnTo) {
        return Answers.signInFirst(session, returnTo);
    }

    /** 403 for a POST from another site or without this session's form token; null when the request may proceed. */
    Response crossSiteOrBadToken(UserSessionModel userSession) {
        if (SameOrigin.crossSite(session.getContext().getUri().getBaseUri(), session.getContext().getRequestHeaders())) {
            return error(403, "cross_site_request", "This form must be sent from this site", PackPage.key("authority.form.crossSite"));
        }
        String presented = session.getContext().getHttpRequest().getDecodedFormParameters().getFirst(SessionCsrf.FIELD);
        if (!SessionCsrf.matches(userSession, presented)) {
            return error(403, "invalid_csrf_token", "The form is stale or came from another site; open /mfa/setup again",
                    PackPage.key("authority.mfa.staleForm"));
        }
        return null;
    }
}
