package dev.authoritypack.keycloak.signin;

import dev.authoritypack.keycloak.common.PackRealmResource;

import dev.authoritypack.keycloak.common.Answers;
import dev.authoritypack.keycloak.common.RealmUrls;

import dev.authoritypack.keycloak.common.PackPage;
import dev.authoritypack.keycloak.common.SameOrigin;
import dev.authoritypack.keycloak.common.FormOverrideHttpRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import org.keycloak.common.util.Time;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import dev.authoritypack.keycloak.ratelimits.RateLimitBucket;
import dev.authoritypack.keycloak.ratelimits.RateLimitDecision;
import dev.authoritypack.keycloak.ratelimits.RateLimitFilter;
import dev.authoritypack.keycloak.ratelimits.RateLimitsProvider;
import org.keycloak.authentication.AuthenticationFlowException;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /signin} (docs/signin.md). GET shows the sign-in page; POST signs in with {@code email} and {@code password}
 * through the realm's <em>browser flow</em>, exactly as a browser posting Keycloak's login form would: the pack
 * starts an authentication session (so a plain form POST without Keycloak's hidden state works), lets the flow
 * render its username/password step, then submits the credentials to that step. Keycloak checks them, counts
 * failures, applies brute-force protection, runs required actions and creates the SSO session and cookies; the
 * flow's {@code authority-username-password-form} gives the 401/423 answers. A user with a second factor stops
 * after the password with the sign-in pending, and is sent to {@code /mfa/verify}.
 *
 * <p>Login CSRF: a POST a browser makes from another site is refused ({@link SameOrigin}), and a browser's POST
 * must carry the form token of its sign-in cookie ({@link SigninCsrf}). Clients that are not web pages (no
 * {@code Origin}, no {@code Sec-Fetch-Site} but {@code none}: curl, Node's fetch, Python, Java, Go) post the
 * credentials alone.
 */
class SigninResource extends PackRealmResource {

    private static final Logger LOG = Logger.getLogger(SigninResource.class);

    SigninResource(KeycloakSession session) {
        super(session);
    }

    @GET
    public Response page(@QueryParam("forward_url") String forwardUrl) {
        RealmModel realm = session.getContext().getRealm();
        if (!PackSignin.usedBy(realm)) {
            return notInThisRealm();
        }
        String csrf = SigninCsrf.tokenFor(session);
        if (Answers.prefersJson(session)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("realm", realm.getName());
            body.put("fields", new String[]{"email", "password", "forward_url", SigninCsrf.FIELD});
            body.put("action", action().toString());
            body.put(SigninCsrf.FIELD, csrf);
            body.put("identity_providers", SocialSignin.buttons(session, forwardUrl));
            return SigninCsrf.setCookie(Answers.json(200, body), session, csrf)
                    .build();
        }
        return SigninCsrf.setCookie(Response.fromResponse(SigninPage.render(session, 200, action().toString(), forwardUrl, csrf, null)),
                session, csrf).build();
    }

    /** A social sign-in button of the page: the provider's sign-in through Keycloak's identity brokering. */
    @GET
    @Path("social/{alias}")
    public Response social(@PathParam("alias") String alias, @QueryParam("forward_url") String forwardUrl) {
        if (!PackSignin.usedBy(session.getContext().getRealm())) {
            return notInThisRealm();
        }
        return SocialSignin.start(session, alias, forwardUrl);
    }

    /** Where a social sign-in comes back to (the state is the forward_url). */
    @GET
    @Path("complete")
    public Response complete(@QueryParam("state") String state) {
        return SocialSignin.complete(session, state);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signin() {
        RealmModel realm = session.getContext().getRealm();
        HttpRequest original = session.getContext().getHttpRequest();
        Attempt attempt = Attempt.read(session, original);
        if (!PackSignin.usedBy(realm)) {
            return notInThisRealm();
        }
        Response refused = refusedBeforeTheFlow(realm, original, attempt);
        if (refused != null) {
            return refused;
        }
        UserModel posted = attempt.email().isEmpty() ? null : KeycloakModelUtils.findUserByNameOrEmail(session, realm, attempt.email());
        FlowRun run = startPasswordSignin(realm, attempt.forward());
        String language = PackPage.languageCookie(session);
        Response outcome = runPasswordStep(realm, run.authSession(), original, attempt);
        PackPage.keepLanguage(session, posted, language); // the sign-in page's language for the pages after it
        return interpret(realm, outcome, attempt, posted, run);
    }

    /** What a POST /signin asks: the credentials, the forward target (allowed or the profile), JSON or page. */
    private record Attempt(String email, String password, String forwardParam, String forward, boolean json, MultivaluedMap<String, String> input) {

        static Attempt read(KeycloakSession session, HttpRequest request) {
            MultivaluedMap<String, String> input = request.getDecodedFormParameters();
            String email = input.getFirst("email") == null ? "" : input.getFirst("email").trim();
            String password = input.getFirst("password") == null ? "" : input.getFirst("password");
            String forwardParam = input.getFirst("forward_url");
            String forward = ForwardUrl.allowed(session.getContext().getRealm(), forwardParam).orElse(RealmUrls.path(session, "profile"));
            return new Attempt(email, password, forwardParam, forward, Answers.prefersJson(request.getHttpHeaders()), input);
        }
    }

    /** An authentication session started for this sign-in, with what is needed to read the flow's answer. */
    private record FlowRun(AuthenticationSessionModel authSession, RootAuthenticationSessionModel root, ClientModel client, String redirect) {
    }

    /** The refusals that come before any account is looked up: cross-site, form token, malformed email, per-account limit. */
    private Response refusedBeforeTheFlow(RealmModel realm, HttpRequest original, Attempt attempt) {
        // login CSRF: another site must not sign this browser in (into the attacker's account). A browser names
        // the page a POST comes from; a browser's form must also carry the token of its sign-in cookie.
        HttpHeaders headers = original.getHttpHeaders();
        if (SameOrigin.crossSite(session.getContext().getUri().getBaseUri(), headers)) {
            return refused(attempt.json(), "cross_site_request", "Sign-in must come from this site's sign-in page",
                    PackPage.key("authority.signin.crossSite"), attempt.forwardParam());
        }
        if ((SameOrigin.fromWebPage(headers) || attempt.input().containsKey(SigninCsrf.FIELD))
                && !SigninCsrf.matches(session, attempt.input().getFirst(SigninCsrf.FIELD))) {
            return refused(attempt.json(), "invalid_csrf_token", "The sign-in form expired; sign in again",
                    PackPage.key("authority.signin.formExpired"), attempt.forwardParam());
        }
        String email = attempt.email();
        if (email.length() > 254 || email.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            // no account has such a name; PostgreSQL would even refuse the lookup (NUL) with a 500
            return refused(attempt.json(), 400, "invalid_request", "email is not an email address",
                    PackPage.key("authority.signin.notAnEmail"), attempt.forwardParam());
        }
        // docs/rate-limits.md: attempts per account are limited too, counted by the identifier as posted (before any
        // lookup, so an unknown address is counted and answered exactly like a known one)
        RateLimitDecision perAccount = email.isEmpty() ? null : session.getProvider(RateLimitsProvider.class)
                .consume(realm, RateLimitBucket.SIGNIN_ACCOUNT, "account:" + email.toLowerCase(Locale.ROOT));
        RateLimitFilter.report(perAccount);
        if (perAccount != null && !perAccount.allowed()) {
            return tooMany(attempt.json(), perAccount, attempt.forwardParam());
        }
        return null;
    }

    private FlowRun startPasswordSignin(RealmModel realm, String forward) {
        ClientModel client = realm.getClientByClientId(Constants.ACCOUNT_MANAGEMENT_CLIENT_ID);
        String redirect = SigninFlow.accountRedirect(session);
        AuthenticationSessionModel authSession = SigninFlow.startAuthenticationSession(session, client, redirect);
        // the posted credentials decide, never an SSO session this browser already has: prompt=login makes
        // Keycloak's cookie step stand aside (LockoutAwarePasswordForm drops the user it pre-sets); a success
        // replaces the old SSO session (AuthenticationManager.redirectAfterSuccessfulFlow)
        authSession.setClientNote(OIDCLoginProtocol.PROMPT_PARAM, OIDCLoginProtocol.PROMPT_VALUE_LOGIN);
        authSession.setAuthNote(SigninFlow.FORWARD_NOTE, forward);
        session.getContext().setAuthenticationSession(authSession);
        return new FlowRun(authSession, authSession.getParentSession(), client, redirect);
    }

    /** The flow shows its username/password step; the posted credentials answer it at once. */
    private Response runPasswordStep(RealmModel realm, AuthenticationSessionModel authSession, HttpRequest original, Attempt attempt) {
        MultivaluedMap<String, String> credentials = new MultivaluedHashMap<>();
        credentials.putSingle(AuthenticationManager.FORM_USERNAME, attempt.email());
        credentials.putSingle("password", attempt.password());
        HttpRequest request = new FormOverrideHttpRequest(original, credentials);
        session.getContext().setHttpRequest(request);
        AuthenticationProcessor processor = SigninFlow.processor(session, realm, authSession, request, "/signin");
        try {
            processor.authenticate();
            String execution = authSession.getAuthNote(AuthenticationProcessor.CURRENT_AUTHENTICATION_EXECUTION);
            return processor.authenticationAction(execution);
        } catch (AuthenticationFlowException e) {
            return processor.handleBrowserException(e);
        }
    }

    /** The flow's answer as the route's: 401/403/423 as they are, a pending second factor, the forward, or a refusal. */
    private Response interpret(RealmModel realm, Response outcome, Attempt attempt, UserModel posted, FlowRun run) {
        int status = outcome.getStatus();
        boolean json = attempt.json();
        if (status == 401 || status == 403 || status == LockoutAnswers.LOCKED) {
            return json ? outcome : rerender(outcome, attempt.forwardParam());
        }
        AuthenticationSessionModel authSession = run.authSession();
        boolean postedUser = posted != null && authenticated(authSession, posted);
        if (status == 200 && postedUser && run.root().getAuthenticationSession(run.client(), authSession.getTabId()) != null
                && PackSignin.secondFactorStep(session, realm, authSession.getAuthNote(AuthenticationProcessor.CURRENT_AUTHENTICATION_EXECUTION))) {
            // password accepted, the flow wants a second factor: the sign-in stays pending, no SSO session yet
            return Answers.redirect(RealmUrls.path(session, "mfa/verify") + "?tab_id=" + authSession.getTabId(), json);
        }
        if ((status == 302 || status == 303) && postedUser) {
            String location = outcome.getHeaderString(HttpHeaders.LOCATION);
            if (location != null && location.startsWith(run.redirect())) {
                return Answers.redirect(attempt.forward(), json); // signed in; SSO cookies were set by Keycloak on this response
            }
        }
        if (status / 100 == 3) {
            LOG.debugf("signin: the flow redirects (%d), a required action or similar; passing it on", status);
            return outcome;
        }
        // anything else (the flow answered a page we do not interpret) is not a sign-in: never read it as one
        LOG.warnf("signin: the browser flow of realm %s answered %d; refused", realm.getName(), status);
        return refused(json, "signin_failed", "The sign-in could not be completed", PackPage.key("authority.signin.failed"),
                attempt.forwardParam());
    }

    /** Whether the flow's user is the posted one (a cleared auth session reads as not authenticated). */
    private static boolean authenticated(AuthenticationSessionModel authSession, UserModel posted) {
        try {
            UserModel user = authSession.getAuthenticatedUser();
            return user != null && user.getId().equals(posted.getId());
        } catch (RuntimeException gone) {
            return false;
        }
    }

    /**
     * 403 without touching any state: JSON (with the English description: an API), or the sign-in page with a fresh
     * form token and the message of {@code messageKey} in the page's language.
     */
    private Response refused(boolean json, String error, String description, String messageKey, String forwardParam) {
        return refused(json, 403, error, description, messageKey, forwardParam);
    }

    private Response refused(boolean json, int status, String error, String description, String messageKey, String forwardParam) {
        if (json) {
            return Answers.error(status, error, description).build();
        }
        String csrf = SigninCsrf.tokenFor(session);
        return SigninCsrf.setCookie(Response.fromResponse(SigninPage.render(session, status, action().toString(), forwardParam, csrf,
                messageKey)), session, csrf).build();
    }

    /** 429 of the per-account limit: the same error object as the route limit's, or the page with its message. */
    private Response tooMany(boolean json, RateLimitDecision decision, String forwardParam) {
        String retryAfter = String.valueOf(decision.retryAfterSeconds(Time.currentTime()));
        if (json) {
            return Answers.error(429, "too_many_requests", RateLimitFilter.TOO_MANY)
                    .header(HttpHeaders.RETRY_AFTER, retryAfter).build();
        }
        String csrf = SigninCsrf.tokenFor(session);
        Response page = SigninPage.render(session, 429, action().toString(), forwardParam, csrf,
                PackPage.message(session, "authority.signin.tooMany", retryAfter));
        return SigninCsrf.setCookie(Response.fromResponse(page).header(HttpHeaders.RETRY_AFTER, retryAfter), session, csrf).build();
    }

    private Response notInThisRealm() {
        return Answers.error(404, "not_found", "This realm does not sign in with the Authority pack (its browser flow has no "
                        + LockoutAwarePasswordFormFactory.PROVIDER_ID + " step)").build();
    }

    private Response rerender(Response outcome, String forwardParam) {
        // message keys of the login theme (messages_<lang>.properties): the page speaks the request's language
        String message = outcome.getStatus() == 401 ? PackPage.key("authority.signin.invalid")
                : outcome.getStatus() == 403 ? PackPage.key("authority.signin.disabled")
                : outcome.getHeaderString(HttpHeaders.RETRY_AFTER) == null ? PackPage.key("authority.signin.lockedPermanently")
                : PackPage.message(session, "authority.signin.locked", outcome.getHeaderString(HttpHeaders.RETRY_AFTER));
        String csrf = SigninCsrf.tokenFor(session);
        Response page = SigninPage.render(session, outcome.getStatus(), action().toString(), forwardParam, csrf, message);
        Response.ResponseBuilder r = Response.fromResponse(page);
        for (String h : new String[]{HttpHeaders.RETRY_AFTER, HttpHeaders.WWW_AUTHENTICATE}) {
            if (outcome.getHeaderString(h) != null) {
                r.header(h, outcome.getHeaderString(h));
            }
        }
        return SigninCsrf.setCookie(r, session, csrf).build();
    }

    private URI action() {
        return URI.create(RealmUrls.path(session, "signin"));
    }
}
