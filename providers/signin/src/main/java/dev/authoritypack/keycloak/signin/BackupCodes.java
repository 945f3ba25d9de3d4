package dev.authoritypack.keycloak.signin;

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

/**
 * Seed 001's backup codes on Keycloak's recovery-codes credential ({@code recovery-authn-codes}, stored hashed).
 *
 * <p>Keycloak accepts only the next code in order and consumes it with an unguarded read-modify-write
 * (KEYCLOAK-NOTES §6). Here any unused code works, and exactly once: the winner is decided by
 * {@code singleUseObjects().putIfAbsent} on the code's number, atomic across a cluster, before the code is
 * removed from the stored credential. Keycloak's credential update is a read-modify-write: two different codes
 * won at once would each store "every code but mine", and the last commit would bring the other code back. So
 * every store keeps only unguarded codes, and after each consuming commit a job re-reads the credential and
 * removes any guarded code again: the last commit is always followed by such a repair.
 */
public final class BackupCodes {

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
                store(user, credential, unused(session, credential, codes));
                // two different codes used at once each write "all codes but mine" (last writer wins, the other
                // code would come back): after this transaction commits, drop every guarded code once more
                String realmId = session.getContext().getRealm().getId();
                String userId = user.getId();
                KeycloakSessionFactory factory = session.getKeycloakSessionFactory();
                java.util.concurrent.ExecutorService executor = session.getProvider(ExecutorsProvider.class).getExecutor("authority-backup-codes");
                session.getTransactionManager().enlistAfterCompletion(new AbstractKeycloakTransaction() {
                    @Override
                    protected void commitImpl() {
                        // on another thread: this one is still inside the request's (JTA) transaction
                        executor.execute(() -> KeycloakModelUtils.runJobInTransaction(factory, s -> removeUsed(s, realmId, userId)));
                    }

                    @Override
                    protected void rollbackImpl() {
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

    /** Re-reads the stored credential and removes the codes already won; runs after each consuming commit. */
    private static void removeUsed(KeycloakSession session, String realmId, String userId) {
        RealmModel realm = session.realms().getRealm(realmId);
        UserModel user = realm == null ? null : session.users().getUserById(realm, userId);
        if (user == null) {
            return;
        }
        session.getContext().setRealm(realm);
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
