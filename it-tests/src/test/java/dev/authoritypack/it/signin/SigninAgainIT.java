package dev.authoritypack.it.signin;

import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A person (or a backend) who signs one account in again right after the last sign-in ended is signed in, not told
 * {@code 423 Locked}: Keycloak's blocking brute-force protector holds a known user until its background executor has
 * recorded the previous attempt, after that attempt's answer (LockoutAnswers#awaitBruteForceBookkeeping). Seen
 * under load as {@code 423, Retry-After: 1} on a second sign-in 36 ms after the first; an unknown email never had
 * that window, so it also told accounts apart.
 */
@PackIntegrationTest
class SigninAgainIT {

    private static final String PASSWORD = "Signin-again-1";

    @Test
    void signingOneAccountInRequestAfterRequestNeverMeetsALockout(KeycloakServer server, AdminApi admin) {
        String email = Fixtures.user(admin, "authority", "again", PASSWORD);
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Http.Response r = new Http(server.baseUri()).postForm("/signin", Map.of("email", email, "password", PASSWORD),
                    "Accept", "application/json");
            if (r.status() != 302) { // signed in: on to the profile (docs/signin.md)
                refused.add("#" + i + ": " + r.status() + " Retry-After " + r.header("Retry-After"));
            }
        }
        assertEquals(List.of(), refused, "each sign-in starts after the previous one ended");
    }
}
