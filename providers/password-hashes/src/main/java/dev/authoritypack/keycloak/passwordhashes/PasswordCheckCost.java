package dev.authoritypack.keycloak.passwordhashes;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;

/**
 * Gives every refused password check of a realm the same cost, whatever the account holds, so that the time of a
 * wrong password does not tell what kind of account (if any) an email belongs to.
 *
 * <p>Keycloak already evens out unknown accounts: {@link AuthenticatorUtils#dummyHash} hashes once in the realm's
 * algorithm where no password is checked. Imported Auth0 users break that until their first sign-in moves them to the
 * realm's algorithm: their bcrypt hash (cost 10 at Auth0: about 58 ms here, against 19 ms for Keycloak's default
 * argon2) is checked instead, and an account without any password is refused without hashing. So while the realm
 * attribute {@value #BCRYPT_COST_ATTRIBUTE} names a bcrypt cost (the hash import sets it to the highest cost it
 * stored), every refused check costs one hash in the realm's algorithm <em>and</em> one bcrypt at that cost: each
 * account pays the part its own check did not. Without the attribute a refused check costs one hash in the realm's
 * algorithm (accounts without a password included), as Keycloak intends.
 *
 * <p>Only refused checks are topped up: a success is told apart by its answer anyway.
 */
public final class PasswordCheckCost {

    /**
     * The highest bcrypt cost the pack imports and tops refused checks up to: every refused password check of a realm
     * pays it, so one hash of cost 31 (about 36 hours here) would let anyone stop the server with a few wrong
     * passwords. Cost 14 is about 0.9 s per check on the 2-core test machine; Auth0 itself hashes at 10.
     */
    public static final int MAX_ACCEPTED_COST = 14;

    /** Realm attribute: the bcrypt cost (4–14) of the imported hashes still in the realm; unset or blank: none. */
    public static final String BCRYPT_COST_ATTRIBUTE = "authority.password.bcrypt-timing-cost";

    /** What checking an account's password costs by itself. */
    public enum Paid {
        /** no hash at all: the account has no password, or the check stopped before hashing */
        NOTHING,
        /** one hash in the realm's algorithm (or any other non-bcrypt one), or Keycloak's dummy hash */
        REALM_HASH,
        /** the account's bcrypt hash */
        BCRYPT
    }

    private PasswordCheckCost() {
    }

    /**
     * What a check of this account's stored password costs. Read after a refused check: only a success re-hashes
     * a bcrypt password, so a refused one finds the credential that was checked.
     */
    public static Paid of(UserModel user) {
        if (user == null) {
            return Paid.NOTHING;
        }
        return user.credentialManager().getStoredCredentialsByTypeStream(PasswordCredentialModel.TYPE)
                .map(PasswordCredentialModel::createFromCredentialModel)
                .map(c -> BcryptPasswordHashProvider.ID.equals(c.getPasswordCredentialData().getAlgorithm()) ? Paid.BCRYPT : Paid.REALM_HASH)
                .findFirst().orElse(Paid.NOTHING);
    }

    /** After a refused check that cost {@code paid}: hash what is missing to the cost every refused check has. */
    public static void topUp(AuthenticationFlowContext context, Paid paid) {
        int bcryptCost = bcryptCost(context.getRealm());
        if (paid == Paid.NOTHING || (paid == Paid.BCRYPT && bcryptCost > 0)) {
            AuthenticatorUtils.dummyHash(context);
        }
        if (paid != Paid.BCRYPT && bcryptCost > 0) {
            BcryptPasswordHashProvider.dummyCheck(bcryptCost);
        }
    }

    /** The realm's {@value #BCRYPT_COST_ATTRIBUTE}, or 0 when unset or not a bcrypt cost. */
    public static int bcryptCost(RealmModel realm) {
        String value = realm.getAttribute(BCRYPT_COST_ATTRIBUTE);
        try {
            int cost = value == null || value.isBlank() ? 0 : Integer.parseInt(value.trim());
            return cost >= BcryptPasswordHashProvider.MIN_COST && cost <= MAX_ACCEPTED_COST ? cost : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
