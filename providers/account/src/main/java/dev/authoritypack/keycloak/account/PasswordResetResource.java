package dev.authoritypack.keycloak.account;

import dev.authoritypack.keycloak.common.PackPage;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.email.EmailException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Password reset by mail (docs/account.md): {@code /forgot-password} (page), {@code /account/password/reset} (JSON) and
 * {@code /account/password/confirm} (JSON, and the page the mailed link opens). Asking for a reset answers the
 * same whatever the address; the mail, if any, is sent afterwards ({@link AccountMail}). The token is one of
 * the pack's action tokens ({@link AccountToken}); the new password is set by {@link PasswordReset}.
 */
class PasswordResetResource extends AccountRoute {

    private static final Logger LOG = Logger.getLogger(PasswordResetResource.class);
    static final String SENT = "If an account exists for this email address, we sent it a link to choose a new password.";
    static final String INVALID_TOKEN = "This password reset link is invalid, expired, already used or replaced by a newer one; ask for a new link";

    PasswordResetResource(KeycloakSession session) {
        super(session);
    }

    // ---- /forgot-password ------------------------------------------------------------------------------

    @GET
    @Path("forgot")
    public Response forgotPage() {
        if (json(true)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("fields", new String[]{"email"});
            body.put("action", realmUrl("forgot-password"));
            return json(200, body);
        }
        return forgotPage(200, false, "");
    }

    @POST
    @Path("forgot")
    public Response forgot(String body) {
        boolean json = json(true);
        Input input = read(body);
        if (input.refusal() != null) {
            return input.refusal();
        }
        Optional<String> email = email(input);
        if (email.isEmpty()) {
            return json ? error(400, "invalid_request", "email must be an email address")
                    : forgotPage(400, false, PackPage.key("authority.forgot.emailRequired"));
        }
        requestReset(email.get());
        return json ? message(SENT) : forgotPage(200, true, "");
    }

    /** {@code error}: empty, or a message key ({@link PackPage#key}) or a text already in the page's language. */
    private Response forgotPage(int status, boolean sent, String error) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("forgotAction", realmUrl("forgot-password"));
        attributes.put("sent", sent);
        attributes.put("error", error);
        return page("forgot-password.ftl", status, attributes);
    }

    // ---- /account/password/reset -----------------------------------------------------------------------

    @POST
    @Path("request")
    public Response reset(String body) {
        Input input = readEmail(body);
        if (input.refusal() != null) {
            return input.refusal();
        }
        requestReset(email(input).orElseThrow());
        return message(SENT);
    }

    /** Answers nothing: the lookup, the throttles and the mail happen after the answer. */
    private void requestReset(String email) {
        AccountMail.later(session, "password reset", AccountMail.Request.of(session, email), PasswordResetResource::sendReset);
    }

    private static void sendReset(KeycloakSession session, RealmModel realm, AccountMail.Request request) throws EmailException {
        UserModel user = session.users().getUserByEmail(realm, request.email());
        if (user == null || !user.isEnabled() || user.getEmail() == null) {
            return;
        }
        AccountSettings settings = AccountSettings.of(realm);
        if (!MailThrottle.allow(session, realm, settings, "reset", settings.resetCooldown(), user.getEmail(), request.clientAddress())) {
            LOG.debugf("password reset: a mail was throttled in realm %s", realm.getName());
            return;
        }
        AccountToken token = AccountToken.mint(user, AccountToken.RESET, settings.resetLifespan());
        // in a transaction of its own, committed before the mail leaves: the single-use store's put takes effect when
        // its transaction commits, and this job's commits only after the mail is sent, so a link confirmed the moment
        // its mail arrived was refused as "replaced by a newer one": on two nodes under load 6 of 70 fresh links
        // (LoadBalancedClusterIT, docs/load.md; one quiet node commits too fast to be caught)
        KeycloakModelUtils.runJobInTransaction(session.getKeycloakSessionFactory(), token::supersede);
        AccountMail.sendToken(session, realm, user, request, token, settings.resetLifespan(), "account/password/confirm",
                "authorityPasswordResetSubject", "authority-password-reset.ftl");
    }

    // ---- /account/password/confirm ---------------------------------------------------------------------

    /** The page the mailed link opens: a new-password form. Reading the token here changes nothing. */
    @GET
    @Path("confirm")
    public Response confirmPage(@QueryParam("token") String token) {
        boolean valid = valid(token);
        if (json(true)) {
            if (!valid) {
                return error(400, "invalid_token", INVALID_TOKEN);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("fields", new String[]{"token", "password"});
            body.put("action", realmUrl("account/password/confirm"));
            return json(200, body);
        }
        return confirmPage(valid ? 200 : 400, valid ? token : "", valid ? "" : PackPage.key("authority.reset.invalidToken"), false);
    }

    @POST
    @Path("confirm")
    public Response confirm(String body) {
        boolean json = json(false);
        Input input = read(body);
        if (input.refusal() != null) {
            return input.refusal();
        }
        String token = input.field("token");
        String password = input.field("password");
        if (token.isBlank() || password.isEmpty()) {
            return json ? error(400, "invalid_request", "token and password are required")
                    : confirmPage(400, token, PackPage.key("authority.reset.passwordRequired"), false);
        }
        if (json && !input.field("password_confirmation").isEmpty() && !password.equals(input.field("password_confirmation"))) {
            return error(400, "invalid_request", "password and password_confirmation differ");
        }
        if (!json && !password.equals(input.field("password_confirmation"))) {
            return confirmPage(400, token, PackPage.key("authority.reset.passwordsDiffer"), false);
        }
        PasswordReset.Outcome outcome = new PasswordReset(session).apply(token, password);
        return switch (outcome.result()) {
            case CHANGED -> json ? message("Your password was changed. Sign in with the new password.") : confirmPage(200, "", "", true);
            case INVALID_TOKEN -> json ? error(400, "invalid_token", INVALID_TOKEN)
                    : confirmPage(400, "", PackPage.key("authority.reset.invalidToken"), false);
            // the policy's message: Keycloak's own keys (invalidPasswordMinLengthMessage, …), in the page's language
            case INVALID_PASSWORD -> json ? error(400, "invalid_password", outcome.message())
                    : confirmPage(400, token, PackPage.message(session, outcome.messageKey(), outcome.messageParameters()), false);
        };
    }

    private boolean valid(String token) {
        try {
            AccountToken.Verified verified = AccountToken.verify(session, session.getContext().getRealm(), token, AccountToken.RESET);
            return verified.usable(session);
        } catch (AccountToken.Invalid e) {
            return false;
        }
    }

    private Response confirmPage(int status, String token, String error, boolean done) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("confirmAction", realmUrl("account/password/confirm"));
        attributes.put("forgotPasswordUrl", realmUrl("forgot-password"));
        attributes.put("token", token == null ? "" : token);
        attributes.put("done", done);
        attributes.put("error", error);
        return page("password-reset.ftl", status, attributes);
    }
}
