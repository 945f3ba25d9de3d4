package dev.authoritypack.it.foundation;

import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Data written before a restart is there after it, and the pack serves again (both databases). */
@PackIntegrationTest
class RestartIT {

    @Test
    void dataSurvivesARestart(KeycloakServer server, AdminApi admin, Http http) {
        String email = Fixtures.email("restart");
        String id = admin.createUser("authority", email, "Restart-password-1");

        server.restart();

        assertEquals(email, admin.getJson("/realms/authority/users/" + id).get("email").asText());
        Http.Response token = new Http(server.baseUri()).postForm("/realms/authority/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", "admin-cli", "username", email, "password", "Restart-password-1"));
        assertEquals(200, token.status(), "the password set before the restart must still work: " + token);
        assertEquals(200, http.get("/health_check").status());
    }
}
