package dev.authoritypack.keycloak.signin;

import dev.authoritypack.keycloak.common.Answers;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.events.Errors;
import org.keycloak.models.UserModel;
import org.keycloak.services.messages.Messages;

import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The documented answers of a sign-in step (password or second factor): 401 for a wrong secret, 423 Locked with
 * Retry-After during a lockout; the step's own page as body, or JSON when the request prefers it.
 */
public final class LockoutAnswers {

    public static final int LOCKED = 423;

    private static final Logger LOG = Logger.getLogger(LockoutAnswers.class);

    private LockoutAnswers() {
    }

    /**
     * The brute-force check of a sign-in step: when Keycloak's protector holds the user, records the event error
     * and answers 423 (with Retry-After unless permanent). Returns whether the user is locked.
     */
    public static boolean lockedOut(AuthenticationFlowContext context, UserModel user,
                                    BiFunction<AuthenticationFlowContext, String, Response> page) {
        String bruteForceError = AuthenticatorUtils.getDisabledByBruteForceEventError(context, user);
        if (bruteForceError == null) {
            return false;
        }
        context.getEvent().user(user);
        context.getEvent().error(bruteForceError);
        boolean permanent = Errors.USER_DISABLED.equals(bruteForceError);
        long retryAfter = permanent ? -1 : Lockout.retryAfter(context.getSession(), context.getRealm(), user);
        context.forceChallenge(locked(context, new Lockout.State(retryAfter), page));
        return true;
    }

    /** How long a sign-in waits for Keycloak's bookkeeping of the same account's previous attempt (see below). */
    static final long BOOKKEEPING_WAIT_MILLIS = 2_000;

    /**
     * Keycloak's blocking protector (DefaultBlockingBruteForceProtector) reports a known user "temporarily disabled"
     * from the start of a sign-in until its {@code bruteforce} executor has recorded that attempt's outcome, off the
     * request's thread and after its answer. A person who signs in again right away (or a program that signs one
     * account in request after request) would be told {@code 423} for an attempt that has ended — and only for a known
     * account, since the pack's own bookkeeping of unknown emails ends with the request. Called only when this request
     * holds the identifier's claim (no other request runs for it, docs/signin.md "Parallel attempts"): while the stored
     * failure record locks nobody, it waits, bounded, for Keycloak's guard to clear. A real lockout is not waited for.
     */
    public static void awaitBruteForceBookkeeping(AuthenticationFlowContext context, UserModel user) {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(BOOKKEEPING_WAIT_MILLIS);
        boolean waited = false;
        while (Errors.USER_TEMPORARILY_DISABLED.equals(AuthenticatorUtils.getDisabledByBruteForceEventError(context, user))
                && !Lockout.lockedByRecord(context.getSession(), context.getRealm(), user)) {
            if (System.nanoTime() >= deadline) {
                // the answer will be 423 for an attempt that has ended: the node's bruteforce executor is behind
                LOG.debugf("gave up waiting for Keycloak's brute-force bookkeeping of user %s after %d ms",
                        user.getId(), BOOKKEEPING_WAIT_MILLIS);
                return;
            }
            waited = true;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (waited) {
            LOG.debugf("waited %d ms for Keycloak's brute-force bookkeeping of user %s",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), user.getId());
        }
    }

    public static Response invalidCredentials(AuthenticationFlowContext context, Response page, String description) {
        Response.ResponseBuilder r = Answers.prefersJson(context.getHttpRequest().getHttpHeaders())
                ? Answers.error(401, "invalid_credentials", description)
                : Response.fromResponse(page).status(Response.Status.UNAUTHORIZED);
        // a 401 names an authentication scheme (RFC 9110); not "Basic", which would make browsers prompt
        return r.header(HttpHeaders.WWW_AUTHENTICATE, "Form realm=\"" + context.getRealm().getName() + "\"").build();
    }

    /** @param page renders the step's page with a message key (used for HTML answers) */
    public static Response locked(AuthenticationFlowContext context, Lockout.State state,
                                  BiFunction<AuthenticationFlowContext, String, Response> page) {
        String description = state.permanent()
                ? "The account is locked after too many failed sign-ins; an administrator must unlock it"
                : "The account is locked after too many failed sign-ins; try again in " + state.retryAfterSeconds() + " seconds";
        Response.ResponseBuilder r;
        if (Answers.prefersJson(context.getHttpRequest().getHttpHeaders())) {
            // a sign-in outcome of one account: never kept by a cache (the HTML twins say the same)
            r = Answers.json(LOCKED, Answers.errorWith("account_locked", description, "retry_after",
                    state.permanent() ? null : state.retryAfterSeconds()));
        } else {
            String message = state.permanent() ? Messages.ACCOUNT_PERMANENTLY_DISABLED : Messages.ACCOUNT_TEMPORARILY_DISABLED;
            r = Response.fromResponse(page.apply(context, message)).status(LOCKED);
        }
        if (!state.permanent()) {
            r.header(HttpHeaders.RETRY_AFTER, String.valueOf(state.retryAfterSeconds()));
        }
        return r.build();
    }
}
