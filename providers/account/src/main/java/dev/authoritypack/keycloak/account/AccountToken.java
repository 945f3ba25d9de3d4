package dev.authoritypack.keycloak.account;

import org.jboss.logging.Logger;
import org.keycloak.TokenVerifier;
import org.keycloak.authentication.actiontoken.DefaultActionToken;
import org.keycloak.common.VerificationException;
import org.keycloak.common.util.Time;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.Urls;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The pack's password-reset and email-verification tokens: Keycloak action tokens ({@link DefaultActionToken}:
 * {@code sub}, {@code typ}, {@code exp}, {@code nonce}, {@code eml}), signed with the realm's HMAC key by
 * {@code session.tokens()} and checked as {@code LoginActionsService.handleActionToken} checks Keycloak's own.
 * Their types have no {@code ActionTokenHandler}, so Keycloak's {@code /login-actions/action-token} refuses them;
 * only this pack's routes accept them. Single use and "a newer reset link supersedes older ones" are kept in
 * Keycloak's single-use object store (cluster-wide), see {@link #consume} and {@link #supersede}.
 */
public class AccountToken extends DefaultActionToken {

    private static final Logger LOG = Logger.getLogger(AccountToken.class);

    static final String RESET = "authority-reset-password";
    static final String VERIFY = "authority-verify-email";
    private static final int MAX_LENGTH = 4096;

    /** For Jackson. */
    public AccountToken() {
    }

    private AccountToken(String userId, String type, int expiresAt, String email) {
        super(userId, type, expiresAt, null);
        setEmail(email);
    }

    /** Why a token is refused; the message is for the server log at debug level and names no secret. */
    static final class Invalid extends Exception {
        Invalid(String reason) {
            super(reason, null, false, false);
        }
    }

    /** A signed token for the user, valid for the realm's lifespan of its type, bound to the user's current email. */
    static AccountToken mint(UserModel user, String type, int lifespanSeconds) {
        AccountToken token = new AccountToken(user.getId(), type, Time.currentTime() + lifespanSeconds, user.getEmail());
        token.id(UUID.randomUUID().toString());
        return token;
    }

    String serialize(KeycloakSession session, RealmModel realm, URI baseUri) {
        String issuer = Urls.realmIssuer(baseUri, realm.getName());
        issuedNow().issuer(issuer).audience(issuer);
        return session.tokens().encode(this);
    }

    /**
     * The token's claims when its signature (realm key), issuer (this realm at this host), type, expiry and nonce
     * are right and it names an enabled user whose email is still the one it was sent to.
     */
    static Verified verify(KeycloakSession session, RealmModel realm, String serialized, String type) throws Invalid {
        if (serialized == null || serialized.isBlank() || serialized.length() > MAX_LENGTH) {
            throw new Invalid("missing or oversized token");
        }
        AccountToken token;
        try {
            TokenVerifier<AccountToken> verifier = TokenVerifier.create(serialized.trim(), AccountToken.class)
                    .withChecks(TokenVerifier.IS_ACTIVE,
                            new TokenVerifier.RealmUrlCheck(Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName())),
                            ACTION_TOKEN_BASIC_CHECKS,
                            new TokenVerifier.TokenTypeCheck(List.of(type)));
            String algorithm = verifier.getHeader().getAlgorithm().name();
            SignatureProvider signatures = session.getProvider(SignatureProvider.class, algorithm);
            if (signatures == null) {
                throw new Invalid("unsupported algorithm");
            }
            verifier.verifierContext(signatures.verifier(verifier.getHeader().getKeyId()));
            token = verifier.verify().getToken();
        } catch (VerificationException | RuntimeException e) {
            throw new Invalid("not a valid token of this realm: " + e.getClass().getSimpleName());
        }
        UserModel user = session.users().getUserById(realm, token.getUserId());
        if (user == null || !user.isEnabled()) {
            throw new Invalid("unknown or disabled user");
        }
        String email = user.getEmail();
        if (email == null || token.getEmail() == null
                || !email.toLowerCase(Locale.ROOT).equals(token.getEmail().toLowerCase(Locale.ROOT))) {
            throw new Invalid("the user's email changed since the token was sent");
        }
        return new Verified(token, user);
    }

    /**
     * The verified token, or empty after recording {@code invalid_token} on the event; why it was refused goes only to
     * the debug log (a token is never logged).
     */
    static Optional<Verified> verifyOrRecord(KeycloakSession session, RealmModel realm, String serialized, String type,
                                                       EventBuilder event) {
        try {
            return Optional.of(verify(session, realm, serialized, type));
        } catch (Invalid e) {
            LOG.debugf("%s token refused: %s", type, e.getMessage());
            event.error(Errors.INVALID_TOKEN);
            return Optional.empty();
        }
    }

    record Verified(AccountToken token, UserModel user) {

        private String usedKey() {
            return "authority.account-token.used." + token.serializeKey();
        }

        /** Neither used nor replaced by a newer token of its type. */
        boolean usable(KeycloakSession session) {
            return newest(session) && !used(session);
        }

        boolean used(KeycloakSession session) {
            return session.singleUseObjects().contains(usedKey());
        }

        /**
         * Marks the token used; exactly one caller in the cluster gets {@code true} ({@code putIfAbsent} on the
         * single-use store is atomic and immediate, not part of the transaction).
         */
        boolean consume(KeycloakSession session) {
            long remaining = Math.max(1, token.getExp() - Time.currentTime());
            return session.singleUseObjects().putIfAbsent(usedKey(), remaining);
        }

        /** Gives the token back when the change it was used for failed after {@link #consume}. */
        void release(KeycloakSession session) {
            session.singleUseObjects().remove(usedKey());
        }

        /** Whether this is the newest token of its type sent to the user (see {@link AccountToken#supersede}). */
        boolean newest(KeycloakSession session) {
            var latest = session.singleUseObjects().get(latestKey(user.getId(), token.getActionId()));
            return latest != null && token.getActionVerificationNonce().toString().equals(latest.get("nonce"));
        }
    }

    /** Makes this token the only valid one of its type for its user: older ones are refused from now on. */
    void supersede(KeycloakSession session) {
        long lifespan = Math.max(1, getExp() - Time.currentTime());
        session.singleUseObjects().put(latestKey(getUserId(), getActionId()), lifespan,
                java.util.Map.of("nonce", getActionVerificationNonce().toString()));
    }

    private static String latestKey(String userId, String type) {
        return "authority.account-token.latest." + type + "." + userId;
    }
}
