package dev.authoritypack.it.foundation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authoritypack.it.support.Database;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The first pack route, at both bases; also proves the root-path filter still works on this Keycloak. */
@PackIntegrationTest
class HealthCheckIT {

    @ParameterizedTest
    @ValueSource(strings = {"/health_check", "/realms/authority/health_check"})
    void answers200WithJsonAtBothBases(String path, Http http) {
        Http.Response r = http.get(path);
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
        JsonNode body = r.json();
        assertEquals("ok", body.get("status").asText());
        assertEquals("authority", body.get("realm").asText());
        assertEquals("up", body.get("checks").get("database").asText());
        assertTrue(r.header("Cache-Control").contains("no-store"), r.header("Cache-Control"));
    }

    @Test
    void headAnswersLikeGet(Http http) {
        assertEquals(200, http.method("HEAD", "/health_check").status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "DELETE", "PUT"})
    void otherMethodsGet405WithOAuthStyleError(String method, Http http) {
        Http.Response r = http.method(method, "/health_check");
        assertEquals(405, r.status(), r::toString);
        assertEquals("invalid_request", r.json().get("error").asText());
        assertTrue(r.json().get("error_description").asText().contains("GET"));
        assertTrue(r.header("Allow").contains("GET"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/no_such_route", "/health_check_x", "/realms/authority/no_such_route", "/health"})
    void unknownPathsKeepKeycloaks404(String path, Http http) {
        assertEquals(404, http.get(path).status());
    }

    @Test
    void unknownRealmIs404(Http http) {
        assertEquals(404, http.get("/realms/no-such-realm/health_check").status());
    }

    @Test
    void answers503WhileTheDatabaseRefusesConnectionsAndRecovers(KeycloakServer server, Http http) {
        assumeTrue(server.database() instanceof Database.Postgres,
                "needs PostgreSQL: dev-file's embedded H2 cannot be made unreachable from outside");
        Database.Postgres pg = (Database.Postgres) server.database();
        pg.allowConnections(false);
        try {
            Http.Response down = http.get("/health_check");
            assertEquals(503, down.status(), down::toString);
            assertEquals("unavailable", down.json().get("status").asText());
            assertEquals("down", down.json().get("checks").get("database").asText());
        } finally {
            pg.allowConnections(true);
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        int status;
        do {
            status = http.get("/health_check").status();
        } while (status != 200 && Instant.now().isBefore(deadline));
        assertEquals(200, status, "health_check did not recover after the database came back");
    }
}
