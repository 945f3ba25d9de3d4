package dev.authoritypack.keycloak.mfa;

import org.jboss.logging.Logger;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.executors.ExecutorsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.RecoveryAuthnCodesCredentialModel;
import org.keycloak.models.credential.dto.RecoveryAuthnCodeRepresentation;
import org.keycloak.models.credential.dto.RecoveryAuthnCodesCredentialData;
import org.keycloak.models.credential.dto.RecoveryAuthnCodesSecretData;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.RecoveryAuthnCodesUtils;
import org.keycloak.util.JsonSerialization;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Seed 001's backup codes on Keycloak's recovery-codes credential ({@code recovery-authn-codes}, stored hashed).
 *
 * <p>Keycloak accepts only the next code in order and consumes it with an unguarded read-modify-write
 * ({@code RecoveryAuthnCodesFormAuthenticator}). Here any unused code works, and exactly once: the winner is decided by
 * {@code singleUseObjects().putIfAbsent} on the code's number, atomic across a cluster, before the code is
 * removed from the stored credential. Keycloak's credential update is a read-modify-write: two different codes
 * won at once (on two nodes) would each store "every code but mine", and the last commit would bring the other
 * back, or fail with a 500. So the credential is rewritten in transactions of its own (retried), each keeping only
 * codes no request has won, once while the request waits and once more after it.
 */
public final class BackupCodes {

    private static final Logger LOG = Logger.getLogger(BackupCodes.class);
    private static final String GUARD = "authority-backup-code:";
    /** How long the single-use guard outlives the removal from the credential (covers a lost concurrent update). */
    private static final long GUARD_SECONDS = 30L * 24 * 3600;

    private BackupCodes() {
    }

    public static Optional<CredentialModel> credential(UserModel user) {
        return RecoveryAuthnCodesUtils.getCredential(user);
    }

    public static int remaining(UserModel user) {
        return credential(user).map(c -> codes(c).size()).orElse(0);
    }

    /** Consumes {@code input} if it is one of the user's unused codes; true for the one request that wins it. */
    public static boolean consume(KeycloakSession session, UserModel user, String input) {
        if (input == null || input.isBlank()) {
            return false;
        }
        Optional<CredentialModel> stored = credential(user);
        if (stored.isEmpty()) {
            return false;
        }
        CredentialModel credential = stored.get();
        String normalized = input.replace("-", "").replace(" ", "").trim().toUpperCase(java.util.Locale.ROOT);
        List<RecoveryAuthnCodeRepresentation> codes = codes(credential);
        for (RecoveryAuthnCodeRepresentation code : codes) {
            if (RecoveryAuthnCodesUtils.verifyRecoveryCodeInput(normalized, code.getEncodedHashedValue())) {
                if (!session.singleUseObjects().putIfAbsent(GUARD + credential.getId() + ":" + code.getNumber(), GUARD_SECONDS)) {
                    return false; // another request used it first
                }
                // the stored credential is rewritten in transactions of its own, retried: in the request's
                // transaction two nodes removing different codes at once would fail the loser's commit (a 500)
                String realmId = session.getContext().getRealm().getId();
                String userId = user.getId();
                KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
                ExecutorService executor = session.getProvider(ExecutorsProvider.class).getExecutor("authority-backup-codes");
                try {
                    executor.submit(() -> removeUsedRetrying(factory, realmId, userId)).get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOG.warnf("backup codes: the used code is not yet removed from the stored credential (%s); its guard still holds",
                            e.getClass().getSimpleName());
                }
                // and once more after this request: a removal that read the credential before another node guarded its
                // code may commit after that node's removal; the last pass always sees every guard
                session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
                    @Override
                    protected void commitImpl() {
                        executor.execute(() -> removeUsedRetrying(factory, realmId, userId));
                    }

                    @Override
                    protected void rollbackImpl() {
                        executor.execute(() -> removeUsedRetrying(factory, realmId, userId));
                    }
                });
                return true;
            }
        }
        return false;
    }

    /** The codes no request has won yet (a won code is guarded before it is removed from the credential). */
    private static List<RecoveryAuthnCodeRepresentation> unused(KeycloakSession session, CredentialModel credential,
                                                                List<RecoveryAuthnCodeRepresentation> codes) {
        List<RecoveryAuthnCodeRepresentation> left = new ArrayList<>();
        for (RecoveryAuthnCodeRepresentation code : codes) {
            if (!session.singleUseObjects().contains(GUARD + credential.getId() + ":" + code.getNumber())) {
                left.add(code);
            }
        }
        return left;
    }

    private static void removeUsedRetrying(KeycloakSessionFactory factory, String realmId, String userId) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                KeycloakModelUtils.runJobInTransaction(factory, s -> removeUsed(s, realmId, userId));
                return;
            } catch (RuntimeException e) { // another node rewrote the credential at the same moment: read it again
                last = e;
                try {
                    Thread.sleep(20L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        LOG.warnf("backup codes: could not rewrite the stored credential of a user after 5 attempts (%s); the guards still hold",
                last == null ? "interrupted" : last.getClass().getName());
    }

    /** Re-reads the stored credential and removes the codes already won. */
    private static void removeUsed(KeycloakSession session, String realmId, String userId) {
        RealmModel realm = session.realms().getRealm(realmId);
        if (realm == null) {
            return;
        }
        session.getContext().setRealm(realm); // before any lookup: Keycloak refuses a session without one
        UserModel user = session.users().getUserById(realm, userId);
        if (user == null) {
            return;
        }
        credential(user).ifPresent(credential -> {
            List<RecoveryAuthnCodeRepresentation> codes = codes(credential);
            List<RecoveryAuthnCodeRepresentation> left = unused(session, credential, codes);
            if (left.size() != codes.size()) {
                store(user, credential, left);
            }
        });
    }

    private static List<RecoveryAuthnCodeRepresentation> codes(CredentialModel credential) {
        try {
            return JsonSerialization.readValue(credential.getSecretData(), RecoveryAuthnCodesSecretData.class).getCodes();
        } catch (IOException e) {
            throw new IllegalStateException("unreadable recovery-codes credential " + credential.getId(), e);
        }
    }

    private static void store(UserModel user, CredentialModel credential, List<RecoveryAuthnCodeRepresentation> left) {
        try {
            RecoveryAuthnCodesCredentialData data = JsonSerialization.readValue(credential.getCredentialData(), RecoveryAuthnCodesCredentialData.class);
            data.setRemainingCodes(left.size());
            credential.setSecretData(JsonSerialization.writeValueAsString(new RecoveryAuthnCodesSecretData(left)));
            credential.setCredentialData(JsonSerialization.writeValueAsString(data));
            user.credentialManager().updateStoredCredential(credential);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new credential for freshly generated raw codes (hashed by Keycloak's model). */
    public static RecoveryAuthnCodesCredentialModel newCredential(List<String> rawCodes) {
        return RecoveryAuthnCodesCredentialModel.createFromValues(rawCodes, System.currentTimeMillis(), "backup codes");
    }
}
