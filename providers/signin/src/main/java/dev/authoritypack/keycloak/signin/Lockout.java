package dev.authoritypack.keycloak.signin;

import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.models.UserLoginFailureModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.idm.RealmRepresentation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads lockout state for the documented 423 answer.
 *
 * <p>Known users: Keycloak's brute-force state ({@code session.loginFailures()}, a distributed cache), written
 * by Keycloak itself. Unknown identifiers: Keycloak keeps no state for them, so a 423 would reveal which emails
 * exist. The pack counts their failures in Keycloak's single-use object store (the distributed
 * {@code actionTokens} cache, shared across a cluster, with a TTL) and applies the realm's brute-force rules with
 * the same formula as Keycloak's {@code DefaultBruteForceProtector}, so an unknown email is locked after the same
 * number of failures and for the same time as a known one. Only a SHA-256 of the lower-cased identifier is stored.
 */
public final class Lockout {

    /** Locked, with the whole seconds left, or {@code -1} for a permanent lockout. */
    public record State(long retryAfterSeconds) {
        public boolean permanent() {
            return retryAfterSeconds < 0;
        }
    }

    private static final Logger LOG = Logger.getLogger(Lockout.class);

    private static final String KEY_PREFIX = "authority-signin-unknown:";
    private static final String FAILURES = "failures";
    private static final String LAST_FAILURE_MS = "last";
    private static final String NOT_BEFORE = "notBefore";
    private static final String PERMANENT = "permanent";
    /** Upper bound of one attempt's claim, should its node die before releasing it. */
    private static final long ATTEMPT_SECONDS = 10;

    private Lockout() {
    }

    /**
     * Seconds until Keycloak lets the user try again; at least 1 while locked: during a parallel sign-in of the same
     * user Keycloak's protector reports "temporarily disabled" while the stored not-before may already be past.
     */
    public static long retryAfter(KeycloakSession session, RealmModel realm, UserModel user) {
        UserLoginFailureModel failure = session.loginFailures().getUserLoginFailure(realm, user.getId());
        long notBefore = failure == null ? 0 : failure.getFailedLoginNotBefore();
        return Math.max(1, notBefore - Time.currentTime());
    }

    /** Whether Keycloak's stored login-failure record holds the user now (a lockout, not an attempt in progress). */
    public static boolean lockedByRecord(KeycloakSession session, RealmModel realm, UserModel user) {
        UserLoginFailureModel failure = session.loginFailures().getUserLoginFailure(realm, user.getId());
        return failure != null && failure.getFailedLoginNotBefore() > Time.currentTime();
    }

    /** The lockout of an identifier that names no user, if any. */
    static Optional<State> unknownIdentifierLocked(KeycloakSession session, RealmModel realm, String identifier) {
        if (!realm.isBruteForceProtected()) {
            return Optional.empty();
        }
        Map<String, String> notes = session.singleUseObjects().get(key(realm, identifier));
        if (notes == null || notes.get(NOT_BEFORE) == null) {
            return Optional.empty();
        }
        if (PERMANENT.equals(notes.get(NOT_BEFORE))) {
            return Optional.of(new State(-1));
        }
        long left = Long.parseLong(notes.get(NOT_BEFORE)) - Time.currentTime();
        return left > 0 ? Optional.of(new State(left)) : Optional.empty();
    }

    /** Records a failed sign-in for an identifier that names no user, with Keycloak's brute-force arithmetic. */
    static void unknownIdentifierFailed(KeycloakSession session, RealmModel realm, String identifier) {
        if (!realm.isBruteForceProtected()) {
            return;
        }
        SingleUseObjectProvider store = session.singleUseObjects();
        String key = key(realm, identifier);
        long now = Time.currentTimeMillis();
        Map<String, String> previous = store.get(key);
        int failures = previous == null ? 0 : Integer.parseInt(previous.getOrDefault(FAILURES, "0"));
        long last = previous == null ? 0 : Long.parseLong(previous.getOrDefault(LAST_FAILURE_MS, "0"));
        if (last > 0 && now - last > realm.getMaxDeltaTimeSeconds() * 1000L) {
            failures = 0;
        }
        failures++;
        long wait = waitSeconds(realm, failures, last > 0 ? now - last : Long.MAX_VALUE);
        Map<String, String> notes = new java.util.HashMap<>();
        notes.put(FAILURES, String.valueOf(failures));
        notes.put(LAST_FAILURE_MS, String.valueOf(now));
        if (realm.isPermanentLockout() && realm.getMaxTemporaryLockouts() == 0 && failures >= realm.getFailureFactor()) {
            notes.put(NOT_BEFORE, PERMANENT); // as Keycloak disables a known user for good
        } else if (wait > 0) {
            notes.put(NOT_BEFORE, String.valueOf(now / 1000 + wait));
        } else if (previous != null && previous.get(NOT_BEFORE) != null) {
            notes.put(NOT_BEFORE, previous.get(NOT_BEFORE));
        }
        long ttl = Math.max(realm.getMaxDeltaTimeSeconds(), wait) + 60;
        if (previous == null || !store.replace(key, notes)) {
            store.put(key, ttl, notes);
        }
    }

    /**
     * Claims the identifier for this sign-in attempt until the request's transaction ends, across the cluster
     * ({@code putIfAbsent} in the single-use object store); false while another attempt holds it. Keycloak's own
     * protector refuses a parallel attempt of a <em>known</em> user as "temporarily disabled" (a map of its node);
     * claiming every identifier, known or not, here makes a parallel attempt look the same whether the account
     * exists or not, on every node, and keeps the unknown-identifier counter exact: attempts on one identifier
     * never overlap, so its read-then-write is never concurrent.
     */
    static boolean claimAttempt(KeycloakSession session, RealmModel realm, String identifier) {
        String key = key(realm, identifier) + ":attempt";
        if (session.getAttribute(key) != null) {
            return true; // this request holds it already (Keycloak's form checks twice per attempt)
        }
        SingleUseObjectProvider store = session.singleUseObjects();
        if (!store.putIfAbsent(key, ATTEMPT_SECONDS)) {
            LOG.debugf("attempt %s refused: another attempt holds its claim", shortKey(key));
            return false;
        }
        session.setAttribute(key, Boolean.TRUE);
        session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                release(store, key);
            }

            @Override
            protected void rollbackImpl() {
                release(store, key);
            }
        });
        return true;
    }

    private static void release(SingleUseObjectProvider store, String key) {
        if (store.remove(key) == null) {
            // Keycloak's remove reads the node's copy first: a claim it cannot see stays until ATTEMPT_SECONDS
            LOG.debugf("attempt %s: its claim was not found when released", shortKey(key));
        }
    }

    /** A key's hash, cut short, to tell attempts apart in a debug log without naming the identifier. */
    private static String shortKey(String key) {
        int at = key.lastIndexOf(':', key.length() - ":attempt".length() - 1);
        return key.substring(at + 1, Math.min(key.length(), at + 13));
    }

    /** The same arithmetic as Keycloak's DefaultBruteForceProtector#failure, without permanent lockout. */
    static long waitSeconds(RealmModel realm, int failures, long millisSinceLastFailure) {
        long wait;
        if (RealmRepresentation.BruteForceStrategy.MULTIPLE.equals(realm.getBruteForceStrategy())) {
            wait = realm.getWaitIncrementSeconds() * ((long) failures / realm.getFailureFactor());
        } else {
            wait = realm.getWaitIncrementSeconds() * ((long) 1 + failures - realm.getFailureFactor());
        }
        if (wait <= 0 && millisSinceLastFailure < realm.getQuickLoginCheckMilliSeconds()) {
            wait = realm.getMinimumQuickLoginWaitSeconds();
        }
        return wait <= 0 ? 0 : Math.min(realm.getMaxFailureWaitSeconds(), wait);
    }

    private static String key(RealmModel realm, String identifier) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(identifier.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return KEY_PREFIX + realm.getId() + ":" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
