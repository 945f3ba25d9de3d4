package dev.authoritypack.it.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

/** Keycloak's admin REST API as the bootstrap admin of the test server. */
public final class AdminApi {

    private final Http http;

    AdminApi(KeycloakServer server) {
        this(server.baseUri());
    }

    public AdminApi(java.net.URI baseUri) {
        this.http = new Http(baseUri);
    }

    private String token() {
        Http.Response r = http.postForm("/realms/master/protocol/openid-connect/token", Map.of(
                "grant_type", "password", "client_id", "admin-cli",
                "username", KeycloakServer.ADMIN_USER, "password", KeycloakServer.ADMIN_PASSWORD));
        if (r.status() != 200) {
            throw new IllegalStateException("admin token: " + r);
        }
        return r.json().get("access_token").asText();
    }

    public Http.Response get(String adminPath) {
        return http.send(http.request("/admin" + adminPath).header("Authorization", "Bearer " + token()).GET().build());
    }

    public JsonNode getJson(String adminPath) {
        Http.Response r = get(adminPath);
        if (r.status() != 200) {
            throw new AssertionError("GET /admin" + adminPath + ": " + r);
        }
        return r.json();
    }

    /** A request of the administrator with any content type and body, for the malformed-input checks. */
    public Http.Response sendRaw(String method, String adminPath, String contentType, byte[] body) {
        return http.send(http.request("/admin" + adminPath)
                .header("Authorization", "Bearer " + token())
                .header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    }

    public Http.Response send(String method, String adminPath, String json) {
        return http.send(http.request("/admin" + adminPath)
                .header("Authorization", "Bearer " + token())
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    /** The aliases of a realm's top-level authentication flows (sub-flows are listed under their flow's executions). */
    public java.util.List<String> flowAliases(String realm) {
        java.util.List<String> aliases = new java.util.ArrayList<>();
        getJson("/realms/" + realm + "/authentication/flows").forEach(f -> aliases.add(f.get("alias").asText()));
        return aliases;
    }

    /** Creates a user in a realm and returns its id. */
    public String createUser(String realm, String email, String password) {
        String body = Json.text("username", email, "email", email, "emailVerified", true, "enabled", true,
                "firstName", "Test", "lastName", "User",
                "credentials", List.of(Json.object("type", "password", "value", password, "temporary", false)));
        Http.Response r = send("POST", "/realms/" + realm + "/users", body);
        if (r.status() != 201) {
            throw new AssertionError("create user " + email + ": " + r);
        }
        String location = r.header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** Creates a client from its JSON representation (replacing one with the same clientId) and returns its id. */
    public String createClient(String realm, String json) {
        String clientId = Http.JSON.valueToTree(parse(json)).get("clientId").asText();
        for (JsonNode c : getJson("/realms/" + realm + "/clients?clientId=" + clientId)) {
            send("DELETE", "/realms/" + realm + "/clients/" + c.get("id").asText(), null);
        }
        Http.Response r = send("POST", "/realms/" + realm + "/clients", json);
        if (r.status() != 201) {
            throw new AssertionError("create client " + clientId + ": " + r);
        }
        String location = r.header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** The generated or configured secret of a confidential client. */
    public String clientSecret(String realm, String clientId) {
        String id = getJson("/realms/" + realm + "/clients?clientId=" + clientId).get(0).get("id").asText();
        return getJson("/realms/" + realm + "/clients/" + id + "/client-secret").get("value").asText();
    }

    /** An initial access token for dynamic client registration (RFC 7591). */
    public String initialAccessToken(String realm) {
        Http.Response r = send("POST", "/realms/" + realm + "/clients-initial-access", Json.text("count", 10, "expiration", 600));
        if (r.status() != 200 && r.status() != 201) {
            throw new AssertionError("initial access token: " + r);
        }
        return r.json().get("token").asText();
    }

    private static JsonNode parse(String json) {
        try {
            return Http.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
