package dev.authoritypack.keycloak.signin;

import dev.authoritypack.keycloak.common.Answers;

import dev.authoritypack.keycloak.passwordhashes.PasswordCheckCost;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.browser.UsernamePasswordForm;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.messages.Messages;

import java.util.Optional;

/**
 * Keycloak's username/password form ({@link UsernamePasswordForm}) that answers with the status codes of docs/signin.md:
 * {@code 401} for bad credentials, {@code 423 Locked} with {@code Retry-After} while brute-force protection
 * holds the account. Credentials, events, brute-force counting (this factory declares the password category, so
 * Keycloak counts its failures), required actions and sessions stay Keycloak's.
 *
 * <p>An unknown email is answered exactly like a known one: same 401 page, Keycloak's dummy hash for the timing,
 * and the same lockout after the same number of failures ({@link Lockout}). A refused password costs the same
 * whatever the account holds: none, an imported bcrypt hash or the realm's own ({@link PasswordCheckCost}). Requests that prefer
 * {@code application/json} get the same statuses with {@code {error, error_description[, retry_after]}}.
 */
public class LockoutAwarePasswordForm extends UsernamePasswordForm {

    /** The answer to a parallel attempt: what Keycloak's protector says of a known user's ({@code Retry-After: 1}). */
    private static final Lockout.State PARALLEL_ATTEMPT = new Lockout.State(1);

    /** Set when this attempt was refused as locked or busy, before any password was hashed (one instance per request). */
    private boolean refusedUnhashed;

    LockoutAwarePasswordForm(KeycloakSession session) {
        super(session);
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        if (context.getAuthenticationSession().getAuthNote(SigninFlow.FORWARD_NOTE) != null) {
            // a /signin POST: the posted email decides who signs in. Keycloak's cookie step pre-sets the user of
            // the browser's SSO session (under prompt=login), and this form would then check the password of
            // that user and ignore the posted email (USER_SET_BEFORE_USERNAME_PASSWORD_AUTH).
            context.clearUser();
        }
        super.authenticate(context);
    }

    @Override
    protected Response challenge(AuthenticationFlowContext context, String error, String field) {
        Response page = super.challenge(context, error, field);
        if (Messages.INVALID_USER.equals(error)) {
            return LockoutAnswers.invalidCredentials(context, page, "The email or password is incorrect");
        }
        if (Messages.ACCOUNT_DISABLED.equals(error)) {
            // Keycloak says so only after a correct password; 403: known, but not allowed in
            return prefersJson(context)
                    ? Answers.error(403, "account_disabled", "The account is disabled").build()
                    : Response.fromResponse(page).status(Response.Status.FORBIDDEN).build();
        }
        return page;
    }

    @Override
    protected boolean isDisabledByBruteForce(AuthenticationFlowContext context, UserModel user) {
        // before anything in this request reads Keycloak's record: every node's copy of it the same (a cluster's
        // owners can disagree after a node rejoined, and Keycloak reads its own node's copy)
        LoginFailureReplicas.repair(context.getSession(), context.getRealm(), user);
        String identifier = postedIdentifier(context);
        boolean claimed = Lockout.claimAttempt(context.getSession(), context.getRealm(), identifier == null ? user.getUsername() : identifier);
        if (claimed) {
            // no other request is signing this account in: Keycloak's "in progress" is the bookkeeping of one that ended
            LockoutAnswers.awaitBruteForceBookkeeping(context, user);
        }
        if (LockoutAnswers.lockedOut(context, user, this::lockedPage)) {
            refusedUnhashed = true;
            return true;
        }
        if (!claimed) {
            context.getEvent().user(user).error(Errors.USER_TEMPORARILY_DISABLED);
            context.forceChallenge(LockoutAnswers.locked(context, PARALLEL_ATTEMPT, this::lockedPage));
            refusedUnhashed = true;
            return true;
        }
        return false;
    }

    @Override
    public void testInvalidUser(AuthenticationFlowContext context, UserModel user) {
        if (user == null) {
            String identifier = postedIdentifier(context);
            if (identifier != null && !identifier.isBlank()) {
                // the request a known account's record costs (isDisabledByBruteForce), asked alike for nobody's
                LoginFailureReplicas.repair(context.getSession(), context.getRealm(), () -> null);
                // refused like a known user: locked, or another attempt on this identifier is running (no hash
                // in either case, as Keycloak checks no password of a locked or busy known user)
                Optional<Lockout.State> locked = Lockout.unknownIdentifierLocked(context.getSession(), context.getRealm(), identifier);
                if (locked.isEmpty() && !Lockout.claimAttempt(context.getSession(), context.getRealm(), identifier)) {
                    locked = Optional.of(PARALLEL_ATTEMPT);
                }
                if (locked.isPresent()) {
                    context.getEvent().error(Errors.USER_NOT_FOUND);
                    context.forceChallenge(LockoutAnswers.locked(context, locked.get(), this::lockedPage));
                    return;
                }
                Lockout.unknownIdentifierFailed(context.getSession(), context.getRealm(), identifier);
            }
            super.testInvalidUser(context, null); // Keycloak's dummy hash and 401
            PasswordCheckCost.topUp(context, PasswordCheckCost.Paid.REALM_HASH);
            return;
        }
        super.testInvalidUser(context, user);
    }

    @Override
    public boolean validatePassword(AuthenticationFlowContext context, UserModel user, MultivaluedMap<String, String> inputData,
                                    boolean clearUser) {
        refusedUnhashed = false;
        if (super.validatePassword(context, user, inputData, clearUser)) {
            return true;
        }
        if (!refusedUnhashed) {
            // Keycloak refuses an empty password, or an account without one (imported from Auth0 without its hash,
            // or social only), without hashing: faster than an unknown email, which it answers after a dummy hash.
            // A refused check leaves the stored password as it was (only a success re-hashes it)
            String password = inputData.getFirst(CredentialRepresentation.PASSWORD);
            PasswordCheckCost.topUp(context, password == null || password.isEmpty() ? PasswordCheckCost.Paid.NOTHING : PasswordCheckCost.of(user));
        }
        return false;
    }

    private static String postedIdentifier(AuthenticationFlowContext context) {
        String identifier = context.getHttpRequest().getDecodedFormParameters().getFirst(AuthenticationManager.FORM_USERNAME);
        return identifier == null || identifier.isBlank() ? null : identifier;
    }

    private Response lockedPage(AuthenticationFlowContext context, String message) {
        return context.form().setExecution(context.getExecution().getId())
                .addError(new FormMessage(disabledByBruteForceFieldError(), message))
                .createLoginUsernamePassword();
    }

    private static boolean prefersJson(AuthenticationFlowContext context) {
        return Answers.prefersJson(context.getHttpRequest().getHttpHeaders());
    }
}
