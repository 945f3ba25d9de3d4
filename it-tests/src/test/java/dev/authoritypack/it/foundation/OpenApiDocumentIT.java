package dev.authoritypack.it.foundation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.OpenApiContract;
import dev.authoritypack.it.support.PackIntegrationTest;
import dev.authoritypack.keycloak.routes.DocumentedRoute;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document: valid OpenAPI 3.1, in step with the route table, served at {@code /openapi.json} at both
 * bases with this server's URLs, and a contract that catches what it should (every other test's exchanges are
 * held to it by {@code ApiTraffic}).
 */
@PackIntegrationTest
class OpenApiDocumentIT {

    @Test
    void theDocumentIsValidOpenApi31() throws Exception {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(Files.readString(OpenApiContract.documentFile()), null, options);
        assertTrue(result.getMessages() == null || result.getMessages().isEmpty(), () -> "parser messages: " + result.getMessages());
        assertTrue(result.getOpenAPI().getOpenapi().startsWith("3.1"), result.getOpenAPI().getOpenapi());
    }

    @Test
    void everyRouteOfTheTableIsInTheDocumentAndNothingElse() {
        JsonNode paths = OpenApiContract.get().document().path("paths");
        TreeSet<String> table = new TreeSet<>();
        for (DocumentedRoute r : DocumentedRoute.all()) {
            for (String m : r.methods()) {
                table.add(m.toLowerCase(Locale.ROOT) + " " + r.path());
            }
        }
        TreeSet<String> documented = new TreeSet<>();
        paths.fieldNames().forEachRemaining(p -> paths.get(p).fieldNames().forEachRemaining(m -> {
            if (!m.equals("servers") && !m.equals("parameters") && DocumentedRoute.match(p, "authority").isPresent()) {
                documented.add(m + " " + p);
            }
        }));
        assertEquals(table, documented, "the route table (DocumentedRoute) and the document's routes");
        // the sub-paths the pack also serves, and its admin endpoints
        for (String extra : List.of("/signin/social/{alias}", "/profile/link/{alias}", "/admin/realms/{realm}/auth0-import/users",
                "/admin/realms/{realm}/auth0-import/password-hashes")) {
            assertTrue(paths.has(extra), extra);
        }
    }

    @Test
    void servedAtBothBasesWithThisServersUrls(KeycloakServer server, Http http, AdminApi admin) throws Exception {
        JsonNode repository = OpenApiContract.get().document();
        // a second realm the pack was applied to (the attribute apply-pack sets), beside the default one
        String other = "openapi-" + System.nanoTime();
        Http.Response created = admin.send("POST", "/realms", Json.text("realm", other, "enabled", true,
                "attributes", Json.object("authority.pack.enabled", "true")));
        assertEquals(201, created.status(), created::toString);
        try {
            Http.Response root = http.get("/openapi.json");
            Http.Response issuer = http.get("/realms/authority/openapi.json");
            Http.Response applied = http.get("/realms/" + other + "/openapi.json");
            for (Http.Response r : List.of(root, issuer, applied)) {
                assertEquals(200, r.status(), r::toString);
                assertEquals("public, max-age=3600", r.header("Cache-Control"));
                assertTrue(String.valueOf(r.header("Vary")).contains("Host"), "a cache keeps one copy per host: " + r.raw().headers());
                assertTrue(withoutServers(repository.get("paths")).equals(withoutServers(r.json().get("paths"))),
                        "the served paths differ from the repository's document");
                assertTrue(repository.get("components").equals(r.json().get("components")), "the served components differ");
            }
            List<String> urls = new ArrayList<>();
            root.json().get("servers").forEach(s -> urls.add(s.get("url").asText()));
            assertEquals(List.of(server.issuer("authority").toString(), server.baseUri().toString()), urls);
            assertEquals(issuer.json().get("servers"), root.json().get("servers"));
            assertEquals(1, applied.json().get("servers").size(), "another realm is not served at the host root");
            assertEquals(server.issuer(other).toString(), applied.json().get("servers").get(0).get("url").asText());
            assertEquals(server.baseUri().toString(), root.json().at("/paths/~1admin~1realms~1{realm}~1auth0-import~1users/servers/0/url").asText());
            // a realm the pack was not applied to (master) answers as stock Keycloak: no such route
            assertEquals(404, http.get("/realms/master/openapi.json").status());
        } finally {
            admin.send("DELETE", "/realms/" + other, null);
        }
    }

    /** The paths without their {@code servers} (the admin endpoints name the server's base URL when served). */
    private static JsonNode withoutServers(JsonNode paths) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = paths.deepCopy();
        copy.elements().forEachRemaining(p -> ((com.fasterxml.jackson.databind.node.ObjectNode) p).remove("servers"));
        return copy;
    }

    @Test
    void theContractCatchesARouteAStatusAFieldAndAHeaderTheDocumentLacks() {
        OpenApiContract contract = OpenApiContract.get();
        Map<String, List<String>> json = Map.of("Content-Type", List.of("application/json"));
        // as documented: no violation
        assertEquals(List.of(), contract.check(new OpenApiContract.Exchange("GET", "/health_check", null, null, null, 200, json,
                "{\"status\":\"ok\",\"realm\":\"authority\",\"checks\":{\"database\":\"up\"}}")));
        // a field the document does not list
        assertFalse(contract.check(new OpenApiContract.Exchange("GET", "/realms/authority/health_check", null, null, null, 200, json,
                "{\"status\":\"ok\",\"realm\":\"authority\",\"checks\":{\"database\":\"up\"},\"version\":\"26.7\"}")).isEmpty());
        // a status the operation does not have
        assertFalse(contract.check(new OpenApiContract.Exchange("GET", "/health_check", null, null, null, 418, json, "{}")).isEmpty());
        // a pack header not declared for the answer
        assertFalse(contract.check(new OpenApiContract.Exchange("GET", "/health_check", null, null, null, 200,
                Map.of("Content-Type", List.of("application/json"), "Retry-After", List.of("5")),
                "{\"status\":\"ok\",\"realm\":\"authority\",\"checks\":{\"database\":\"up\"}}")).isEmpty());
        // a required header missing (Location of a redirect)
        assertFalse(contract.check(new OpenApiContract.Exchange("POST", "/signout", null, null, null, 302, Map.of(), null)).isEmpty());
        // an accepted request with a field the document does not know
        assertFalse(contract.check(new OpenApiContract.Exchange("POST", "/account/password/reset", null, "application/json",
                "{\"email\":\"a@example.com\",\"admin\":true}", 200, json, "{\"message\":\"sent\"}")).isEmpty());
        // a method the route does not take, answered other than 405
        assertFalse(contract.check(new OpenApiContract.Exchange("DELETE", "/token", null, null, null, 200, json, "{}")).isEmpty());
    }
}
