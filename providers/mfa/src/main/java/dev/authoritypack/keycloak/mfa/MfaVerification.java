package dev.authoritypack.keycloak.mfa;

import dev.authoritypack.keycloak.common.Answers;
import dev.authoritypack.keycloak.common.FormOverrideHttpRequest;
import dev.authoritypack.keycloak.common.PackPage;
import dev.authoritypack.keycloak.common.SameOrigin;
import dev.authoritypack.keycloak.signin.LockoutAnswers;
import dev.authoritypack.keycloak.signin.SigninFlow;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowException;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /mfa/verify}: the second step of a sign-in that {@code /signin} left pending after the password. The
 * code is answered by the realm's browser flow itself (its OTP step, {@link OtpOrBackupCodeForm}), through
 * {@link SigninFlow}, so Keycloak checks it, counts failures and creates the SSO session.
 */
final class MfaVerification {

    private final KeycloakSession session;
    private final MfaAnswers answers;

    MfaVerification(KeycloakSession session) {
        this.session = session;
        this.answers = new MfaAnswers(session);
    }

    Response page(String tabId) {
        if (pending(tabId) == null) {
            return answers.signInFirst(null);
        }
        if (answers.json()) {
            return Answers.json(200, Map.of("pending", true, "fields", List.of("totp_code", "tab_id"))).build();
        }
        return page(200, tabId, null);
    }

    Response verify() {
        MultivaluedMap<String, String> input = session.getContext().getHttpRequest().getDecodedFormParameters();
        String tabId = input.getFirst("tab_id");
        AuthenticationSessionModel authSession = pending(tabId);
        if (authSession == null) {
            return answers.signInFirst(null);
        }
        if (SameOrigin.crossSite(session.getContext().getUri().getBaseUri(), session.getContext().getRequestHeaders())) {
            return answers.error(403, "cross_site_request", "This form must be sent from this site", PackPage.key("authority.form.crossSite"));
        }
        String forward = authSession.getAuthNote(SigninFlow.FORWARD_NOTE); // read now: a completed flow removes the session
        UserModel user = authSession.getAuthenticatedUser();
        String language = PackPage.languageCookie(session);
        Response outcome = runOtpStep(authSession, input.getFirst("totp_code"));
        PackPage.keepLanguage(session, user, language); // the sign-in page's language for the pages after it
        int status = outcome.getStatus();
        if (status == 401 || status == LockoutAnswers.LOCKED) {
            return answers.json() ? outcome : refusedPage(outcome, tabId);
        }
        String location = outcome.getHeaderString(HttpHeaders.LOCATION);
        if ((status == 302 || status == 303) && location != null && location.startsWith(SigninFlow.accountRedirect(session))) {
            return answers.redirect(forward == null ? answers.path("profile") : forward);
        }
        return outcome;
    }

    /** The pending OTP step of the flow, answered with the posted code. */
    private Response runOtpStep(AuthenticationSessionModel authSession, String code) {
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
        form.putSingle("otp", code == null ? "" : code.trim());
        FormOverrideHttpRequest request = new FormOverrideHttpRequest(session.getContext().getHttpRequest(), form);
        session.getContext().setHttpRequest(request);
        session.getContext().setAuthenticationSession(authSession);
        AuthenticationProcessor processor = SigninFlow.processor(session, session.getContext().getRealm(), authSession, request, "/mfa/verify");
        try {
            return processor.authenticationAction(authSession.getAuthNote(AuthenticationProcessor.CURRENT_AUTHENTICATION_EXECUTION));
        } catch (AuthenticationFlowException e) {
            return processor.handleBrowserException(e);
        }
    }

    /** The verify page again with why the code was refused, keeping the flow's Retry-After and WWW-Authenticate. */
    private Response refusedPage(Response outcome, String tabId) {
        int status = outcome.getStatus();
        String retry = outcome.getHeaderString(HttpHeaders.RETRY_AFTER);
        Response page = page(status, tabId, status == 401 ? PackPage.key("authority.mfa.invalidCode")
                : retry == null ? PackPage.key("authority.mfa.lockedPermanently")
                : PackPage.message(session, "authority.mfa.locked", retry));
        return Response.fromResponse(page).header(HttpHeaders.RETRY_AFTER, retry)
                .header(HttpHeaders.WWW_AUTHENTICATE, outcome.getHeaderString(HttpHeaders.WWW_AUTHENTICATE)).build();
    }

    /** {@code error}: none (null), a message key ({@link PackPage#key}) or a text already in the page's language. */
    private Response page(int status, String tabId, String error) {
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("verifyAction", answers.path("mfa/verify"));
        attributes.put("tabId", tabId);
        attributes.put("error", error == null ? "" : error);
        return answers.page("mfa-verify.ftl", status, attributes);
    }

    /** The sign-in /signin left pending after the password, or null. */
    private AuthenticationSessionModel pending(String tabId) {
        RealmModel realm = session.getContext().getRealm();
        if (tabId == null) {
            return null;
        }
        RootAuthenticationSessionModel root = new AuthenticationSessionManager(session).getCurrentRootAuthenticationSession(realm);
        ClientModel client = realm.getClientByClientId(Constants.ACCOUNT_MANAGEMENT_CLIENT_ID);
        AuthenticationSessionModel authSession = root == null || client == null ? null : root.getAuthenticationSession(client, tabId);
        if (authSession == null || authSession.getAuthenticatedUser() == null || authSession.getAuthNote(SigninFlow.FORWARD_NOTE) == null) {
            return null;
        }
        return authSession;
    }
}
