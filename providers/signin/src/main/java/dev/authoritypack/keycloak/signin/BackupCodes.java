package dev.authoritypack.keycloak.signin;

import org.keycloak.credential.CredentialModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.RecoveryAuthnCodesCredentialModel;
import org.keycloak.models.credential.dto.RecoveryAuthnCodeRepresentation;
import org.keycloak.models.credential.dto.RecoveryAuthnCodesCredentialData;
import org.keycloak.models.credential.dto.RecoveryAuthnCodesSecretData;
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
 * removed from the stored credential.
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
                List<RecoveryAuthnCodeRepresentation> left = new ArrayList<>(codes);
                left.remove(code);
                store(user, credential, left);
                return true;
            }
        }
        return false;
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
