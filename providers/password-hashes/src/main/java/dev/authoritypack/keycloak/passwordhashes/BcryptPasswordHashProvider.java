package dev.authoritypack.keycloak.passwordhashes;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.keycloak.common.util.SecretGenerator;
import org.keycloak.credential.hash.PasswordHashProvider;
import org.keycloak.models.PasswordPolicy;
import org.keycloak.models.credential.PasswordCredentialModel;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * bcrypt password hashes ({@code $2a$}, {@code $2b$}, {@code $2y$}), as Auth0's password-hash export gives them, on
 * Keycloak's password-hash SPI: users imported with such a hash sign in with their old password. Keycloak itself
 * moves them off bcrypt: after a successful check {@code PasswordCredentialProvider} asks the realm policy's
 * algorithm whether the credential meets the policy, which it never does, and re-hashes the password with that
 * algorithm in place — the bcrypt credential is gone after the first sign-in.
 *
 * <p>The check is BouncyCastle's {@link OpenBSDBCrypt} (in Keycloak's distribution), whose comparison takes the same
 * time wherever the hashes differ. A stored value that is not a bcrypt hash still costs one bcrypt computation at the
 * stored cost (or the default), so a broken import does not answer faster than a real account.
 */
public class BcryptPasswordHashProvider implements PasswordHashProvider {

    public static final String ID = "bcrypt";
    static final int DEFAULT_COST = 10;
    static final int MIN_COST = 4;
    static final int MAX_COST = 31;
    private static final Pattern HASH = Pattern.compile("\\$2[aby]\\$(\\d{2})\\$[./A-Za-z0-9]{53}");
    private static final String DUMMY_PASSWORD = "authority-dummy-password";

    @Override
    public boolean policyCheck(PasswordPolicy policy, PasswordCredentialModel credential) {
        // the realm keeps bcrypt only when its policy asks for it (hashAlgorithm(bcrypt))
        return ID.equals(credential.getPasswordCredentialData().getAlgorithm())
                && cost(policy) == credential.getPasswordCredentialData().getHashIterations();
    }

    @Override
    public PasswordCredentialModel encodedCredential(String rawPassword, int iterations) {
        int cost = validCost(iterations);
        byte[] salt = SecretGenerator.getInstance().randomBytes(16);
        String hash = OpenBSDBCrypt.generate("2b", bytes(rawPassword), salt, cost);
        return PasswordCredentialModel.createFromValues(ID, new byte[0], cost, hash);
    }

    @Override
    public boolean verify(String rawPassword, PasswordCredentialModel credential) {
        String hash = credential.getPasswordSecretData().getValue();
        if (hash == null || !HASH.matcher(hash).matches()) {
            dummyCheck(validCost(credential.getPasswordCredentialData().getHashIterations()));
            return false;
        }
        return rawPassword != null && OpenBSDBCrypt.checkPassword(hash, bytes(rawPassword));
    }

    /** The time of checking a password against a bcrypt hash of this cost, spent on nothing. */
    static void dummyCheck(int cost) {
        OpenBSDBCrypt.generate(bytes(DUMMY_PASSWORD), new byte[16], cost);
    }

    /** The cost a policy with {@code hashAlgorithm(bcrypt)} asks for: its hashIterations when set, else 10. */
    private static int cost(PasswordPolicy policy) {
        return validCost(policy == null ? -1 : policy.getHashIterations());
    }

    private static int validCost(int cost) {
        return cost < MIN_COST || cost > MAX_COST ? DEFAULT_COST : cost;
    }

    /** bcrypt reads at most 72 bytes; OpenBSDBCrypt refuses longer input, so longer passwords are cut as bcrypt does. */
    private static byte[] bytes(String password) {
        byte[] all = password == null ? new byte[0] : password.getBytes(StandardCharsets.UTF_8);
        return all.length <= 72 ? all : java.util.Arrays.copyOf(all, 72);
    }

    @Override
    public void close() {
    }
}
