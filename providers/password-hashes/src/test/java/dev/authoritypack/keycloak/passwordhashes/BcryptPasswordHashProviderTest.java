package dev.authoritypack.keycloak.passwordhashes;

import org.junit.jupiter.api.Test;
import org.keycloak.models.credential.PasswordCredentialModel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BcryptPasswordHashProviderTest {

    private final BcryptPasswordHashProvider bcrypt = new BcryptPasswordHashProvider();

    private static PasswordCredentialModel imported(String hash, int cost) {
        return PasswordCredentialModel.createFromValues(BcryptPasswordHashProvider.ID, new byte[0], cost, hash);
    }

    @Test
    void verifiesTheOpenBsdTestVector() {
        // jBCrypt's and OpenBSD's published vector for the password "U*U"
        PasswordCredentialModel stored = imported("$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", 5);
        assertTrue(bcrypt.verify("U*U", stored));
        assertFalse(bcrypt.verify("U*V", stored));
        assertFalse(bcrypt.verify("", stored));
    }

    @Test
    void verifiesWhatItEncodesIn2bAsAuth0Exports() {
        PasswordCredentialModel encoded = bcrypt.encodedCredential("correct horse battery staple", 10);
        String hash = encoded.getPasswordSecretData().getValue();
        assertTrue(hash.startsWith("$2b$10$"), hash);
        assertEquals(10, encoded.getPasswordCredentialData().getHashIterations());
        assertTrue(bcrypt.verify("correct horse battery staple", imported(hash, 10)));
        assertTrue(bcrypt.verify("correct horse battery staple", imported(hash.replace("$2b$", "$2a$"), 10)), "$2a$ and $2b$ agree below 72 bytes");
        assertFalse(bcrypt.verify("Correct horse battery staple", imported(hash, 10)));
    }

    @Test
    void aBrokenStoredValueIsNeverAMatch() {
        for (String broken : new String[]{"", "plain-text", "$2b$10$short", "$2x$10$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"}) {
            assertFalse(bcrypt.verify("plain-text", imported(broken, 4)), broken);
        }
        assertFalse(bcrypt.verify(null, bcrypt.encodedCredential("x", 4)));
    }

    @Test
    void passwordsLongerThan72BytesAreCutAsBcryptDoes() {
        String long1 = "a".repeat(72) + "tail-one";
        PasswordCredentialModel encoded = bcrypt.encodedCredential(long1, 4);
        assertTrue(bcrypt.verify("a".repeat(72) + "other-tail", imported(encoded.getPasswordSecretData().getValue(), 4)));
    }

    @Test
    void aBcryptCredentialNeverMeetsAnotherAlgorithmsPolicy() {
        // Keycloak re-hashes when the policy algorithm's provider says the credential does not meet the policy;
        // bcrypt's own check is true only for bcrypt at the policy's cost
        PasswordCredentialModel cost10 = bcrypt.encodedCredential("x", 10);
        assertTrue(bcrypt.policyCheck(null, cost10));
        assertFalse(bcrypt.policyCheck(null, bcrypt.encodedCredential("x", 4)));
    }
}
