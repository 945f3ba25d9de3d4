package dev.authoritypack.keycloak.legacylogin;

import org.junit.jupiter.api.Test;
import org.keycloak.representations.JsonWebToken;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Auth0CallerTest {

    private static final LegacyLoginSettings SETTINGS = new LegacyLoginSettings("auth0", "https://legacy-api.example.com",
            List.of("legacy-backend", "other-backend"), "legacy:login", "authority-legacy-login", "", List.of(), "license", 30, false);

    private static JsonWebToken machine(String azp, String scope) {
        JsonWebToken token = new JsonWebToken().issuedFor(azp).subject(azp + "@clients");
        token.setOtherClaims("gty", "client-credentials");
        if (scope != null) {
            token.setOtherClaims("scope", scope);
        }
        return token;
    }

    private static JsonWebToken user(String email, Object verified) {
        JsonWebToken token = new JsonWebToken().subject("auth0|42");
        if (email != null) {
            token.setOtherClaims("email", email);
        }
        if (verified != null) {
            token.setOtherClaims("email_verified", verified);
        }
        return token;
    }

    @Test
    void theClientIsAzpElseClientId() {
        assertEquals("legacy-backend", Auth0Caller.of(machine("legacy-backend", null)).client());
        JsonWebToken clientId = new JsonWebToken();
        clientId.setOtherClaims("client_id", "from-client-id");
        assertEquals("from-client-id", Auth0Caller.of(clientId).client());
        assertNull(Auth0Caller.of(new JsonWebToken()).client());
    }

    @Test
    void aMachineTokenIsAClientCredentialsGrant() {
        assertTrue(Auth0Caller.of(machine("legacy-backend", null)).machine());
        assertFalse(Auth0Caller.of(user("ann@example.com", true)).machine());
        JsonWebToken password = new JsonWebToken();
        password.setOtherClaims("gty", "password");
        assertFalse(Auth0Caller.of(password).machine());
    }

    @Test
    void anAllowListedMachineWithTheScopeIsAllowed() {
        assertTrue(Auth0Caller.of(machine("legacy-backend", "read:users legacy:login")).allowedMachine(SETTINGS));
        assertTrue(Auth0Caller.of(machine("other-backend", "legacy:login")).allowedMachine(SETTINGS));
    }

    @Test
    void anotherMachineOrScopeIsNot() {
        assertFalse(Auth0Caller.of(machine("some-other-app", "legacy:login")).allowedMachine(SETTINGS), "not on the allow-list");
        assertFalse(Auth0Caller.of(machine("legacy-backend", "read:users")).allowedMachine(SETTINGS), "without the scope");
        assertFalse(Auth0Caller.of(machine("legacy-backend", "legacy:login:all")).allowedMachine(SETTINGS), "scopes are whole words");
        assertFalse(Auth0Caller.of(machine("legacy-backend", null)).allowedMachine(SETTINGS), "no scope at all");
        assertFalse(Auth0Caller.of(machine(null, "legacy:login")).allowedMachine(SETTINGS), "no client");
        LegacyLoginSettings nobody = new LegacyLoginSettings("auth0", "aud", List.of(), "legacy:login", "c", "", List.of(), "license", 30, false);
        assertFalse(Auth0Caller.of(machine("legacy-backend", "legacy:login")).allowedMachine(nobody), "the allow-list is empty by default");
    }

    @Test
    void anEmailCountsOnlyWhenVerified() {
        assertTrue(Auth0Caller.of(user("ann@example.com", true)).verifiedEmail("ann@example.com"));
        assertTrue(Auth0Caller.of(user("Ann@Example.com", "true")).verifiedEmail("ann@example.com"), "any case; a string true");
        assertFalse(Auth0Caller.of(user("ann@example.com", null)).verifiedEmail("ann@example.com"), "unverified");
        assertFalse(Auth0Caller.of(user("ann@example.com", false)).verifiedEmail("ann@example.com"));
        assertFalse(Auth0Caller.of(user("ann@example.com", "yes")).verifiedEmail("ann@example.com"));
        assertFalse(Auth0Caller.of(user("ann@example.com", true)).verifiedEmail("bob@example.com"), "another address");
        assertFalse(Auth0Caller.of(user(null, true)).verifiedEmail("ann@example.com"), "no email claim");
    }

    @Test
    void theSubjectIsTheTokens() {
        assertEquals("auth0|42", Auth0Caller.of(user("ann@example.com", true)).subject());
    }
}
