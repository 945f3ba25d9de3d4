package dev.authoritypack.keycloak.auth0import;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The realm-import users file {@code ./run.sh convert-auth0} writes, from small export files. */
class Auth0RealmJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HASH = "$2b$10$abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.";

    @TempDir
    Path dir;

    private Auth0RealmJson converter() throws IOException {
        return new Auth0RealmJson(JSON.readTree("""
                {"realm": "authority",
                 "attributes": {"authority.legacy-login.license-role": "paid"},
                 "roles": {"realm": [{"name": "paid"}, {"name": "editor"}]},
                 "identityProviders": [{"alias": "auth0"}, {"alias": "google"}]}
                """));
    }

    private Path file(String name, String... lines) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private static JsonNode written(Auth0RealmJson converter) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        converter.write(out);
        return JSON.readTree(out.toByteArray());
    }

    @Test
    void usersAsKeycloakWritesThem() throws IOException {
        Auth0RealmJson converter = converter();
        assertEquals(2, converter.readUsers(file("users.ndjson",
                """
                {"user_id": "auth0|1", "email": "Ann@Example.com", "email_verified": true, "given_name": "Ann", "family_name": "Lee", \
                "created_at": "2020-01-02T03:04:05.678Z", "identities": [{"provider": "google-oauth2", "user_id": "g-1", "isSocial": true}, \
                {"provider": "github", "user_id": "gh-1", "isSocial": true}], "app_metadata": {"roles": ["editor"], "license": true}}""",
                "",
                "{\"user_id\": \"auth0|2\", \"email\": \"bob@example.com\", \"blocked\": true}")));
        assertEquals(1, converter.readHashes(file("hashes.ndjson", "{\"_id\": {\"$oid\": \"1\"}, \"passwordHash\": \"" + HASH + "\"}")));
        assertEquals(List.of(), converter.refused());
        assertEquals(10, converter.highestBcryptCost());

        JsonNode file = written(converter);
        assertEquals(List.of("realm", "users"), fieldNames(file));
        assertEquals("authority", file.get("realm").asText());
        assertEquals(2, file.get("users").size());

        JsonNode ann = file.get("users").get(0);
        assertEquals(List.of("username", "email", "emailVerified", "enabled", "firstName", "lastName", "createdTimestamp",
                "federatedIdentities", "realmRoles", "credentials"), fieldNames(ann));
        assertEquals("ann@example.com", ann.get("username").asText());
        assertEquals("ann@example.com", ann.get("email").asText());
        assertTrue(ann.get("emailVerified").asBoolean());
        assertTrue(ann.get("enabled").asBoolean());
        assertEquals(1577934245678L, ann.get("createdTimestamp").asLong());
        assertEquals(JSON.readTree("""
                [{"identityProvider": "auth0", "userId": "auth0|1", "userName": "ann@example.com"},
                 {"identityProvider": "google", "userId": "g-1", "userName": "ann@example.com"}]
                """), ann.get("federatedIdentities"), "the realm's providers only (no github here)");
        assertEquals(JSON.readTree("[\"editor\", \"paid\"]"), ann.get("realmRoles"), "the realm's licence role");

        JsonNode credential = ann.get("credentials").get(0);
        assertEquals("password", credential.get("type").asText());
        assertEquals(JSON.readTree("{\"value\": \"" + HASH.replace("$", "\\u0024") + "\", \"salt\": \"\", \"additionalParameters\": {}}"),
                JSON.readTree(credential.get("secretData").asText()), "Keycloak's stored form, as a string");
        assertEquals(JSON.readTree("{\"hashIterations\": 10, \"algorithm\": \"bcrypt\", \"additionalParameters\": {}}"),
                JSON.readTree(credential.get("credentialData").asText()));

        JsonNode bob = file.get("users").get(1);
        assertFalse(bob.get("enabled").asBoolean(), "blocked");
        assertFalse(bob.get("emailVerified").asBoolean());
        assertEquals(List.of("username", "email", "emailVerified", "enabled", "federatedIdentities"), fieldNames(bob),
                "no names, time, roles or password when the line has none");
    }

    @Test
    void refusedLinesAreReportedWithFileAndNumberAndLeftOut() throws IOException {
        Auth0RealmJson converter = converter();
        assertEquals(1, converter.readUsers(file("users.ndjson",
                "{\"user_id\": \"auth0|1\", \"email\": \"ann@example.com\"}",
                "not json",
                "{\"user_id\": \"auth0|1\", \"email\": \"other@example.com\"}",
                "{\"user_id\": \"auth0|3\", \"email\": \"ANN@example.com\"}",
                "{\"user_id\": \"auth0|4\", \"email\": \"dan@example.com\", \"app_metadata\": {\"roles\": [\"admin\"]}}")));
        assertEquals(0, converter.readHashes(file("hashes.ndjson",
                "{\"_id\": {\"$oid\": \"9\"}, \"passwordHash\": \"" + HASH + "\"}",
                "{\"_id\": {\"$oid\": \"1\"}, \"passwordHash\": \"" + HASH.replace("$10$", "$15$") + "\"}")));
        assertEquals(List.of(
                "users.ndjson: line 2: the line is not JSON",
                "users.ndjson: line 3: the user_id appears on an earlier line",
                "users.ndjson: line 4: the email belongs to another Auth0 user already imported",
                "users.ndjson: line 5: app_metadata names the realm role 'admin', which the realm does not have",
                "hashes.ndjson: line 1: no imported user with this _id or email (import the users first)",
                "hashes.ndjson: line 2: bcrypt cost 15 is outside 4-14 (Auth0 hashes at 10)"), converter.refused());
        assertEquals(0, converter.highestBcryptCost());
        assertEquals(1, written(converter).get("users").size());
    }

    @Test
    void aHashFindsItsUserByEmailToo() throws IOException {
        Auth0RealmJson converter = converter();
        converter.readUsers(file("users.ndjson", "{\"user_id\": \"google-oauth2|7\", \"email\": \"ann@example.com\"}"));
        assertEquals(1, converter.readHashes(file("hashes.ndjson", "{\"email\": \"Ann@example.com\", \"passwordHash\": \"" + HASH + "\"}")));
        assertEquals("bcrypt", JSON.readTree(written(converter).at("/users/0/credentials/0/credentialData").asText()).get("algorithm").asText());
    }

    @Test
    void theSameInputGivesTheSameFile() throws IOException {
        Path users = file("users.ndjson", "{\"user_id\": \"auth0|1\", \"email\": \"ann@example.com\"}",
                "{\"user_id\": \"auth0|2\", \"email\": \"bob@example.com\"}");
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        for (ByteArrayOutputStream out : List.of(first, second)) {
            Auth0RealmJson converter = converter();
            converter.readUsers(users);
            converter.write(out);
        }
        assertEquals(first.toString(StandardCharsets.UTF_8), second.toString(StandardCharsets.UTF_8));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
