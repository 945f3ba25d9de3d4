package dev.authoritypack.keycloak.oauth;

import dev.authoritypack.keycloak.common.PackRealmResource;

import dev.authoritypack.keycloak.common.Answers;

import dev.authoritypack.keycloak.common.FormOverrideHttpRequest;
import dev.authoritypack.keycloak.common.SameOrigin;

import jakarta.ws.rs.Consumes;
import org.keycloak.forms.login.LoginFormsProvider;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuth2Constants;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.LoginProtocol;
import org.keycloak.protocol.LoginProtocolFactory;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.OIDCLoginProtocolService;
import org.keycloak.protocol.oidc.endpoints.AuthorizationEndpoint;
import org.keycloak.protocol.oidc.endpoints.TokenEndpoint;
import org.keycloak.protocol.oidc.endpoints.TokenIntrospectionEndpoint;
import org.keycloak.protocol.oidc.endpoints.TokenRevocationEndpoint;
import org.keycloak.protocol.oidc.grants.device.endpoints.DeviceEndpoint;
import org.keycloak.services.resource.RealmResourceProvider;

import java.util.function.Function;

/**
 * Serves OAuth requests Keycloak cannot take as they come (a JSON body, the documented {@code code} on the device
 * token route, the documented {@code user_code} posted to {@code /activate}) by translating the parameters and handing them to Keycloak's own endpoint objects, obtained the
 * way {@code RealmsResource#getProtocol} obtains them. Keycloak does all the protocol work and renders every
 * error; the pack only changes how the parameters arrive.
 */
class DocumentedOAuthResource extends PackRealmResource {

    DocumentedOAuthResource(KeycloakSession session) {
        super(session);
    }

    @POST
    @Path("token")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response token(String body) {
        return withJson(body, form -> tokenEndpoint(oidc()).processGrantRequest());
    }

    @POST
    @Path("introspect")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response introspect(String body) {
        return withJson(body, this::introspect);
    }

    /** Form posts to the documented introspection route come here too: the hint is corrected from the token. */
    @POST
    @Path("introspect")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response introspectForm() {
        return withForm(new MultivaluedHashMap<>(session.getContext().getHttpRequest().getDecodedFormParameters()), this::introspect);
    }

    /** Keycloak's introspection endpoint with {@code token_type_hint} as the token says (RFC 7662 §2.1, {@link IntrospectionHint}). */
    private Response introspect(MultivaluedMap<String, String> form) {
        IntrospectionHint.correct(form);
        return ((TokenIntrospectionEndpoint) tokenEndpoint(oidc()).introspect()).introspect();
    }

    @POST
    @Path("revoke")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response revoke(String body) {
        return withJson(body, form -> ((TokenRevocationEndpoint) oidc().revoke()).revoke());
    }

    @POST
    @Path("device/code")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response deviceCode(String body) {
        return withJson(body, form -> deviceCode());
    }

    /** Form posts to the documented device route come here too: {@code verification_uri} at their base ({@link VerificationUri}). */
    @POST
    @Path("device/code")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response deviceCodeForm() {
        return deviceCode();
    }

    private Response deviceCode() {
        AuthorizationEndpoint auth = (AuthorizationEndpoint) oidc().auth();
        return VerificationUri.publish(session, ((DeviceEndpoint) auth.authorizeDevice()).handleDeviceRequest());
    }

    @POST
    @Path("device/token")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response deviceTokenJson(String body) {
        return withJson(body, this::deviceToken);
    }

    @POST
    @Path("device/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Response deviceTokenForm() {
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>(session.getContext().getHttpRequest().getDecodedFormParameters());
        return withForm(form, this::deviceToken);
    }

    /**
     * {@code POST /authorize}: the documented consent answer ({@code consent_action}, {@link ConsentAction}); without it,
     * the authorization request sent as a form (OpenID Connect Core §3.1.2.1), handed to Keycloak's authorization endpoint.
     */
    @POST
    @Path("authorize")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response authorize() {
        MultivaluedMap<String, String> form = session.getContext().getHttpRequest().getDecodedFormParameters();
        if (form.containsKey(ConsentAction.FIELD)) {
            return ConsentAction.answer(session, form);
        }
        return ((AuthorizationEndpoint) oidc().auth()).buildPost();
    }

    /**
     * {@code POST /activate} (docs/routes.md: the form field {@code user_code}; Keycloak's page sends {@code device_user_code}):
     * Keycloak's user-code check, which shows the sign-in and consent of the device grant or the page again with the
     * error. Keycloak's own {@code POST /realms/{realm}/device} would pick by {@code Accept}: a client that takes
     * JSON (curl's {@code *}{@code /*} included) gets the device authorization endpoint there, {@code 401 invalid_client}.
     */
    @POST
    @Path("activate")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response activate() {
        // another site's page must not bind its device to this browser's session and put the user on a genuine
        // consent page (device-code phishing): the cross-site rule of every other browser POST (SameOrigin)
        if (SameOrigin.crossSite(session.getContext().getUri().getBaseUri(), session.getContext().getRequestHeaders())) {
            return ConsentAction.error(403, "cross_site_request", "The code must be entered on this site's activation page");
        }
        MultivaluedMap<String, String> form = session.getContext().getHttpRequest().getDecodedFormParameters();
        String userCode = form.getFirst("user_code");
        if (userCode == null || userCode.isBlank()) {
            userCode = form.getFirst("device_user_code");
        }
        // Keycloak's own /realms/{realm}/device resource (absent when the device flow feature is off)
        if (!(session.getProvider(RealmResourceProvider.class, "device") instanceof DeviceEndpoint device)) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        return device.verifyUserCode(userCode);
    }

    /**
     * {@code GET /activate?user_code=…} (the device's {@code verification_uri_complete}): Keycloak's activation page
     * with the code filled in, for the user to see and confirm before anything happens (RFC 8628 §5.4: a code sent by
     * someone else must not start a sign-in by itself). Keycloak's own {@code GET /realms/{realm}/device?user_code=}
     * checks the code at once; here the check waits for the user's POST. A code that cannot be one (see
     * {@link #PREFILL}) is not filled in.
     */
    @GET
    @Path("activate")
    public Response activatePage(@QueryParam("user_code") String userCode) {
        if (!(session.getProvider(RealmResourceProvider.class, "device") instanceof DeviceEndpoint device)) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        if (userCode != null && PREFILL.matcher(userCode).matches()) {
            // the login forms provider is one per session: the page Keycloak renders next reads the attribute
            session.getProvider(LoginFormsProvider.class).setAttribute(PREFILLED_USER_CODE, userCode);
        }
        return device.verifyUserCode((String) null);
    }

    /** Attribute of the theme's device page ({@code login-oauth2-device-verify-user-code.ftl}). */
    static final String PREFILLED_USER_CODE = "prefilledUserCode";
    /** What a user code can look like (Keycloak's are 8 letters, shown as XXXX-XXXX); anything else is not shown. */
    private static final java.util.regex.Pattern PREFILL = java.util.regex.Pattern.compile("[A-Za-z0-9]{1,16}(-[A-Za-z0-9]{1,16})?");

    /** RFC 8628 token request; the documented API sends the device code as {@code code} and may leave out the grant type. */
    private Response deviceToken(MultivaluedMap<String, String> form) {
        if (!form.containsKey(OAuth2Constants.DEVICE_CODE) && form.containsKey(OAuth2Constants.CODE)) {
            form.put(OAuth2Constants.DEVICE_CODE, form.remove(OAuth2Constants.CODE));
        }
        form.putIfAbsent(OAuth2Constants.GRANT_TYPE, java.util.List.of(OAuth2Constants.DEVICE_CODE_GRANT_TYPE));
        return tokenEndpoint(oidc()).processGrantRequest();
    }

    private Response withJson(String body, Function<MultivaluedMap<String, String>, Response> call) {
        MultivaluedMap<String, String> form;
        try {
            form = JsonForm.parse(body);
        } catch (JsonForm.InvalidJson e) {
            Answers.markPackAnswer(); // the pack refused it, not Keycloak's endpoint: an app on a registered origin reads why
            return invalidRequest(e.getMessage());
        }
        return withForm(form, call);
    }

    /** RFC 6749 §5.2 error object for a body the pack could not translate. */
    private static Response invalidRequest(String description) {
        return Answers.error(400, "invalid_request", description).build();
    }

    private Response withForm(MultivaluedMap<String, String> form, Function<MultivaluedMap<String, String>, Response> call) {
        session.getContext().setHttpRequest(new FormOverrideHttpRequest(session.getContext().getHttpRequest(), form));
        return call.apply(form);
    }

    private OIDCLoginProtocolService oidc() {
        LoginProtocolFactory factory = (LoginProtocolFactory) session.getKeycloakSessionFactory()
                .getProviderFactory(LoginProtocol.class, OIDCLoginProtocol.LOGIN_PROTOCOL);
        EventBuilder event = new EventBuilder(session.getContext().getRealm(), session, session.getContext().getConnection());
        return (OIDCLoginProtocolService) factory.createProtocolEndpoint(session, event);
    }

    private static TokenEndpoint tokenEndpoint(OIDCLoginProtocolService oidc) {
        return (TokenEndpoint) oidc.token();
    }
}
