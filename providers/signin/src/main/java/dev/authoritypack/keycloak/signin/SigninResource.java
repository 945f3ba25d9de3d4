package dev.authoritypack.keycloak.signin;

import dev.authoritypack.keycloak.routes.FormOverrideHttpRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowException;
import org.keycloak.authentication.AuthenticationProcessor;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resources.LoginActionsService;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.sessions.RootAuthenticationSessionModel;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /signin} of seed 001. GET shows the sign-in page; POST signs in with {@code email} and {@code password}
 * through the realm's <em>browser flow</em>, exactly as a browser posting Keycloak's login form would: the pack
 * starts an authentication session (so a plain form POST without Keycloak's hidden state works), lets the flow
 * render its username/password step, then submits the credentials to that step. Keycloak checks them, counts
 * failures, applies brute-force protection, runs required actions and creates the SSO session and cookies; the
 * flow's {@code authority-username-password-form} gives the 401/423 answers. A user with a second factor stops
 * after the password with the sign-in pending, and is sent to {@code /mfa/verify}.
 */
class SigninResource implements RealmResourceProvider {

    private static final Logger LOG = Logger.getLogger(SigninResource.class);
    /** Auth-session note with the allowed forward target, read again after the second factor. */
    static final String FORWARD_NOTE = "authority.signin.forward";

    private final KeycloakSession session;

    SigninResource(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public Object getResource() {
        return this;
    }

    @GET
    public Response page(@QueryParam("forward_url") String forwardUrl) {
        RealmModel realm = session.getContext().getRealm();
        if (SigninResponses.prefersJson(session.getContext().getRequestHeaders())) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("realm", realm.getName());
            body.put("fields", new String[]{"email", "password", "forward_url"});
            body.put("action", action().toString());
            return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build();
        }
        return SigninPage.render(session, 200, action().toString(), forwardUrl, null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signin() {
        RealmModel realm = session.getContext().getRealm();
        HttpRequest original = session.getContext().getHttpRequest();
        MultivaluedMap<String, String> input = original.getDecodedFormParameters();
        String email = input.getFirst("email") == null ? "" : input.getFirst("email").trim();
        String password = input.getFirst("password") == null ? "" : input.getFirst("password");
        String forwardParam = input.getFirst("forward_url");
        String forward = ForwardUrl.allowed(realm, forwardParam).orElse(realmPath("profile"));
        boolean json = SigninResponses.prefersJson(original.getHttpHeaders());

        ClientModel client = realm.getClientByClientId(Constants.ACCOUNT_MANAGEMENT_CLIENT_ID);
        RootAuthenticationSessionModel root = new AuthenticationSessionManager(session).createAuthenticationSession(realm, true);
        AuthenticationSessionModel authSession = root.createAuthenticationSession(client);
        URI base = session.getContext().getUri().getBaseUri();
        String redirect = accountRedirect(session);
        authSession.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        authSession.setAction(AuthenticationSessionModel.Action.AUTHENTICATE.name());
        authSession.setRedirectUri(redirect);
        authSession.setClientNote(OIDCLoginProtocol.REDIRECT_URI_PARAM, redirect);
        authSession.setClientNote(OIDCLoginProtocol.RESPONSE_TYPE_PARAM, "code");
        authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, "openid");
        authSession.setClientNote(OIDCLoginProtocol.ISSUER, Urls.realmIssuer(base, realm.getName()));
        authSession.setAuthNote(FORWARD_NOTE, forward);
        session.getContext().setAuthenticationSession(authSession);

        MultivaluedMap<String, String> credentials = new MultivaluedHashMap<>();
        credentials.putSingle(AuthenticationManager.FORM_USERNAME, email);
        credentials.putSingle("password", password);
        HttpRequest request = new FormOverrideHttpRequest(original, credentials);
        session.getContext().setHttpRequest(request);

        AuthenticationProcessor processor = processor(session, realm, authSession, request, "/signin");

        Response outcome;
        try {
            processor.authenticate(); // the flow shows its username/password step; we answer it at once
            String execution = authSession.getAuthNote(AuthenticationProcessor.CURRENT_AUTHENTICATION_EXECUTION);
            outcome = processor.authenticationAction(execution);
        } catch (AuthenticationFlowException e) {
            outcome = processor.handleBrowserException(e);
        }

        int status = outcome.getStatus();
        if (status == 401 || status == 403 || status == LockoutAnswers.LOCKED) {
            return json ? outcome : rerender(outcome, forwardParam);
        }
        if (authSession.getAuthenticatedUser() != null && root.getAuthenticationSession(client, authSession.getTabId()) != null
                && status == 200) {
            // password accepted, the flow wants a second factor: the sign-in stays pending, no SSO session yet
            return redirect(realmPath("mfa/verify") + "?tab_id=" + authSession.getTabId(), json);
        }
        if (status == 302 || status == 303) {
            String location = outcome.getHeaderString(HttpHeaders.LOCATION);
            if (location != null && location.startsWith(redirect)) {
                return redirect(forward, json); // signed in; SSO cookies were set by Keycloak on this response
            }
        }
        LOG.debugf("signin: the flow answered %d; passing it on", status);
        return outcome;
    }

    private Response rerender(Response outcome, String forwardParam) {
        String message = outcome.getStatus() == 401 ? "The email or password is incorrect."
                : outcome.getStatus() == 403 ? "This account is disabled."
                : outcome.getHeaderString(HttpHeaders.RETRY_AFTER) == null
                ? "This account is locked after too many failed sign-ins. An administrator must unlock it."
                : "This account is locked after too many failed sign-ins. Try again in " + outcome.getHeaderString(HttpHeaders.RETRY_AFTER) + " seconds.";
        Response page = SigninPage.render(session, outcome.getStatus(), action().toString(), forwardParam, message);
        Response.ResponseBuilder r = Response.fromResponse(page);
        for (String h : new String[]{HttpHeaders.RETRY_AFTER, HttpHeaders.WWW_AUTHENTICATE}) {
            if (outcome.getHeaderString(h) != null) {
                r.header(h, outcome.getHeaderString(h));
            }
        }
        return r.build();
    }

    /** The realm's browser flow, run for a pending authentication session with the given (translated) request. */
    static AuthenticationProcessor processor(KeycloakSession session, RealmModel realm, AuthenticationSessionModel authSession,
                                             HttpRequest request, String route) {
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection()).event(EventType.LOGIN)
                .detail("signin_route", route);
        return new AuthenticationProcessor()
                .setAuthenticationSession(authSession)
                .setFlowId(realm.getBrowserFlow().getId())
                .setFlowPath(LoginActionsService.AUTHENTICATE_PATH)
                .setBrowserFlow(true)
                .setConnection(session.getContext().getConnection())
                .setEventBuilder(event)
                .setRealm(realm)
                .setSession(session)
                .setUriInfo(session.getContext().getUri())
                .setRequest(request);
    }

    /** Where the flow sends a completed sign-in (the account client's redirect), replaced by the forward target. */
    static String accountRedirect(KeycloakSession session) {
        return Urls.accountBase(session.getContext().getUri().getBaseUri()).build(session.getContext().getRealm().getName()).toString();
    }

    static Response redirect(String location, boolean json) {
        Response.ResponseBuilder r = Response.status(Response.Status.FOUND).location(URI.create(location)).header("Cache-Control", "no-store");
        if (json) {
            r.type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("status", "ok", "redirect", location));
        }
        return r.build();
    }

    private URI action() {
        return URI.create(realmPath("signin"));
    }

    private String realmPath(String path) {
        return realmPath(session, path);
    }

    /** Issuer-based path: the realm's cookies are scoped to /realms/{realm}/. */
    static String realmPath(KeycloakSession session, String path) {
        return session.getContext().getUri().getBaseUriBuilder().path("realms").path(session.getContext().getRealm().getName())
                .path(path).build().getRawPath();
    }

    @Override
    public void close() {
    }
}
