package dev.authoritypack.keycloak.account;

import dev.authoritypack.keycloak.common.PackPage;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.email.EmailException;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Email verification by mail (docs/account.md): {@code /account/email/verify} (JSON, and the page the mailed link opens:
 * a GET only shows a button, because mail scanners fetch links; the POST verifies) and {@code /account/email/resend}
 * (always 200; mails a fresh link to an existing, enabled, unverified account, at most once per cooldown). A
 * verification sets the user's email verified and removes Keycloak's {@code VERIFY_EMAIL} required action.
 */
class EmailVerificationResource extends AccountRoute {

    private static final Logger LOG = Logger.getLogger(EmailVerificationResource.class);
    static final String SENT = "If an account with this unverified email address exists, we sent it a verification link.";
    static final String INVALID_TOKEN = "This verification link is invalid, expired or already used; ask for a new link";

    EmailVerificationResource(KeycloakSession session) {
        super(session);
    }

    @GET
    @Path("verify")
    public Response verifyPage(@QueryParam("token") String token) {
        if (json(true)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("fields", new String[]{"token"});
            body.put("action", realmUrl("account/email/verify"));
            return json(200, body);
        }
        return verifyPage(200, token == null ? "" : token, "", false);
    }

    @POST
    @Path("verify")
    public Response verify(String body) {
        boolean json = json(false);
        Input input = read(body);
        if (input.refusal() != null) {
            return input.refusal();
        }
        String token = input.field("token");
        if (token.isBlank()) {
            return json ? error(400, "invalid_request", "token is required")
                    : verifyPage(400, "", PackPage.key("authority.verify.invalidToken"), false);
        }
        RealmModel realm = session.getContext().getRealm();
        EventBuilder event = new EventBuilder(realm, session, session.getContext().getConnection()).event(EventType.VERIFY_EMAIL);
        Optional<AccountToken.Verified> verified = AccountToken.verifyOrRecord(session, realm, token, AccountToken.VERIFY, event);
        if (verified.isEmpty()) {
            return invalid(json);
        }
        UserModel user = verified.get().user();
        event.user(user); // no email in details: Keycloak's event logger writes them to the server log
        if (!verified.get().consume(session)) {
            event.error(Errors.INVALID_TOKEN);
            return invalid(json);
        }
        user.setEmailVerified(true);
        user.removeRequiredAction(UserModel.RequiredAction.VERIFY_EMAIL);
        event.success();
        if (!json) {
            return verifyPage(200, "", "", true);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("message", "Your email address is verified.");
        answer.put("email_verified", true);
        return json(200, answer);
    }

    private Response invalid(boolean json) {
        return json ? error(400, "invalid_token", INVALID_TOKEN) : verifyPage(400, "", PackPage.key("authority.verify.invalidToken"), false);
    }

    private Response verifyPage(int status, String token, String error, boolean done) {
        return page("email-verify.ftl", status, verifyAttributes(token, error, done));
    }

    private Map<String, Object> verifyAttributes(String token, String error, boolean done) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("verifyAction", realmUrl("account/email/verify"));
        attributes.put("profileUrl", realmUrl("profile"));
        attributes.put("token", token);
        attributes.put("done", done);
        attributes.put("sent", false);
        attributes.put("error", error);
        return attributes;
    }

    @POST
    @Path("resend")
    public Response resend(String body) {
        boolean json = json(false);
        Input input = readEmail(body);
        if (input.refusal() != null) {
            return input.refusal();
        }
        AccountMail.later(session, "email verification", AccountMail.Request.of(session, email(input).orElseThrow()),
                EmailVerificationResource::sendVerification);
        if (!json) { // the profile page's button: a page for the browser, not the API's JSON
            Map<String, Object> attributes = verifyAttributes("", "", false);
            attributes.put("sent", true);
            return page("email-verify.ftl", 200, attributes);
        }
        return message(SENT);
    }

    private static void sendVerification(KeycloakSession session, RealmModel realm, AccountMail.Request request) throws EmailException {
        UserModel user = session.users().getUserByEmail(realm, request.email());
        if (user == null || !user.isEnabled() || user.isEmailVerified() || user.getEmail() == null) {
            return;
        }
        AccountSettings settings = AccountSettings.of(realm);
        if (!MailThrottle.allow(session, realm, settings, "verify", settings.resendCooldown(), user.getEmail(), request.clientAddress())) {
            LOG.debugf("email verification: a mail was throttled in realm %s", realm.getName());
            return;
        }
        AccountMail.sendToken(session, realm, user, request, AccountToken.mint(user, AccountToken.VERIFY, settings.verifyLifespan()),
                settings.verifyLifespan(), "account/email/verify", "authorityEmailVerificationSubject", "authority-email-verification.ftl");
    }
}
