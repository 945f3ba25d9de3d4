package dev.authoritypack.keycloak.auth0import;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.authoritypack.keycloak.passwordhashes.PasswordCheckCost;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Auth0LineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        return Auth0Line.parse(JSON, text);
    }

    private static String refusal(Runnable parse) {
        return assertThrows(Auth0Line.BadLine.class, parse::run).getMessage();
    }

    /** 53 characters of bcrypt's alphabet: the salt (22) and the digest (31). */
    private static final String SALT_AND_DIGEST = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.";

    /** A bcrypt hash of the given version and cost, with a well-formed salt and digest. */
    private static String bcrypt(String version, String cost) {
        return "$" + version + "$" + cost + "$" + SALT_AND_DIGEST;
    }

    @Nested
    class TheLine {

        @Test
        void aJsonObject() {
            assertEquals("x", json("{\"a\": \"x\"}").get("a").asText());
        }

        @ParameterizedTest
        @ValueSource(strings = {"{", "{\"a\":", "not json", "{'a': 1}"})
        void notJson(String text) {
            assertEquals("the line is not JSON", refusal(() -> json(text)));
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "[{}]", "1", "\"s\"", "true", "null"})
        void otherJsonValues(String text) {
            assertEquals("the line is not a JSON object", refusal(() -> json(text)));
        }

        @Test
        void aVeryLongLineIsReadWhole() {
            String name = "n".repeat(500_000);
            JsonNode line = json("{\"user_id\": \"auth0|1\", \"email\": \"a@example.com\", \"given_name\": \"" + name + "\"}");
            assertEquals(name, Auth0Line.user(line).givenName());
        }

        @Test
        void theReasonNeverRepeatsTheLine() {
            String secret = "$2b$10$secretsecretsecretsecretsecretsecretsecretsecretsecre";
            assertFalse(refusal(() -> json("{\"passwordHash\": \"" + secret + "\"")).contains("secret"));
            assertFalse(refusal(() -> Auth0Line.passwordHash(json("{\"passwordHash\": \"" + secret + "x\"}"))).contains("secret"));
        }
    }

    @Nested
    class AUser {

        @Test
        void everyField() {
            Auth0Line.User user = Auth0Line.user(json("""
                    {"user_id": " auth0|abc ", "email": "Ann@Example.COM", "email_verified": true, "blocked": true,
                     "given_name": " Ann ", "family_name": "Lee", "created_at": "2020-01-02T03:04:05.678Z",
                     "identities": [{"provider": "auth0", "user_id": "abc", "isSocial": false},
                                    {"provider": "google-oauth2", "user_id": "g-1", "isSocial": true},
                                    {"provider": "github", "user_id": "gh-1", "isSocial": true},
                                    {"provider": "facebook", "user_id": "fb-1", "isSocial": true}],
                     "app_metadata": {"roles": ["editor", "viewer"], "license": true}}
                    """));
            assertEquals("auth0|abc", user.userId(), "trimmed");
            assertEquals("ann@example.com", user.email(), "lower case");
            assertTrue(user.emailVerified());
            assertTrue(user.blocked());
            assertEquals("Ann", user.givenName());
            assertEquals("Lee", user.familyName());
            assertEquals(1577934245678L, user.createdAtMillis());
            assertEquals(Map.of("google", "g-1", "github", "gh-1", "facebook", "fb-1"), user.socialIdentities(),
                    "social identities by the realm's aliases, the database connection not");
            assertEquals(Set.of("editor", "viewer"), user.roles());
            assertEquals(Set.of("editor", "viewer", "license"), user.roleNames("license"));
            assertEquals(Set.of("editor", "viewer", "paid"), user.roleNames("paid"));
        }

        @Test
        void theLeastALineMayBe() {
            Auth0Line.User user = Auth0Line.user(json("{\"user_id\": \"auth0|1\", \"email\": \"a@example.com\"}"));
            assertFalse(user.emailVerified());
            assertFalse(user.blocked());
            assertNull(user.givenName());
            assertNull(user.familyName());
            assertNull(user.createdAtMillis());
            assertTrue(user.socialIdentities().isEmpty());
            assertEquals(Set.of(), user.roleNames("license"), "no licence unless app_metadata says so");
        }

        @Test
        void userIdAndEmailAreRequired() {
            assertEquals("user_id is missing", refusal(() -> Auth0Line.user(json("{\"email\": \"a@example.com\"}"))));
            assertEquals("user_id is missing", refusal(() -> Auth0Line.user(json("{\"user_id\": 7, \"email\": \"a@example.com\"}"))));
            assertEquals("email is missing", refusal(() -> Auth0Line.user(json("{\"user_id\": \"auth0|1\"}"))));
            assertEquals("email is missing", refusal(() -> Auth0Line.user(json("{\"user_id\": \"auth0|1\", \"email\": \"  \"}"))));
        }

        @ParameterizedTest
        @ValueSource(strings = {"no-at-sign", "a@b@c", "a b@example.com", "@example.com", "a@"})
        void anEmailMustBeAnAddress(String email) {
            assertEquals("email is not an email address",
                    refusal(() -> Auth0Line.user(json("{\"user_id\": \"auth0|1\", \"email\": \"" + email + "\"}"))));
        }

        @Test
        void anEmailIsAtMost254Characters() {
            String longest = "a".repeat(242) + "@example.com";
            assertEquals(254, longest.length());
            assertEquals(longest, Auth0Line.user(json("{\"user_id\": \"auth0|1\", \"email\": \"" + longest + "\"}")).email());
            assertEquals("email is not an email address",
                    refusal(() -> Auth0Line.user(json("{\"user_id\": \"auth0|1\", \"email\": \"a" + longest + "\"}"))));
        }

        @Test
        void createdAtMustBeAnInstant() {
            Auth0Line.User user = Auth0Line.user(json("{\"user_id\": \"auth0|1\", \"email\": \"a@example.com\", \"created_at\": \"yesterday\"}"));
            assertEquals("created_at is not an ISO-8601 instant", refusal(user::createdAtMillis));
        }

        @Test
        void theRealmsNamesDefault() {
            assertEquals("auth0", Auth0Line.auth0Alias(null));
            assertEquals("auth0", Auth0Line.auth0Alias(" "));
            assertEquals("auth0-eu", Auth0Line.auth0Alias("auth0-eu"));
            assertEquals("license", Auth0Line.licenseRole(null));
            assertEquals("license", Auth0Line.licenseRole(""));
            assertEquals("paid", Auth0Line.licenseRole("paid"));
        }
    }

    @Nested
    class APasswordHash {

        @Test
        void theExportsObjectId() {
            Auth0Line.PasswordHash hash = Auth0Line.passwordHash(json(
                    "{\"_id\": {\"$oid\": \"5f1a\"}, \"email\": \"Ann@Example.com\", \"passwordHash\": \"" + bcrypt("2b", "10") + "\"}"));
            assertEquals("5f1a", hash.oid());
            assertEquals("ann@example.com", hash.email());
            assertEquals(bcrypt("2b", "10"), hash.hash());
            assertEquals(10, hash.cost());
        }

        @Test
        void aPlainIdOrNone() {
            assertEquals("5f1a", Auth0Line.passwordHash(json("{\"_id\": \"5f1a\", \"passwordHash\": \"" + bcrypt("2a", "10") + "\"}")).oid());
            Auth0Line.PasswordHash none = Auth0Line.passwordHash(json("{\"passwordHash\": \"" + bcrypt("2a", "10") + "\"}"));
            assertEquals("", none.oid());
            assertNull(none.email());
        }

        @ParameterizedTest
        @ValueSource(strings = {"2a", "2b", "2y"})
        void theBcryptVersions(String version) {
            assertEquals(12, Auth0Line.passwordHash(json("{\"passwordHash\": \"" + bcrypt(version, "12") + "\"}")).cost());
        }

        @Test
        void aHashIsRequired() {
            assertEquals("passwordHash is missing", refusal(() -> Auth0Line.passwordHash(json("{\"_id\": \"5f1a\"}"))));
        }

        @Test
        void onlyBcrypt() {
            List<String> notBcrypt = List.of("plaintext", bcrypt("2x", "10"), bcrypt("2", "10"), bcrypt("2b", "1"), bcrypt("2b", "100"),
                    bcrypt("2b", "10").substring(1), bcrypt("2b", "10").substring(0, 59), bcrypt("2b", "10") + "a",
                    bcrypt("2b", "10").replace('.', '!'),
                    "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", "{SSHA}abc");
            assertEquals(60, bcrypt("2b", "10").length(), "the helper's hash is well-formed");
            for (String hash : notBcrypt) {
                assertEquals("passwordHash is not a bcrypt hash ($2a$/$2b$/$2y$)",
                        refusal(() -> Auth0Line.passwordHash(json("{\"passwordHash\": \"" + hash + "\"}"))), hash);
            }
        }

        @Test
        void theCostBounds() {
            int max = PasswordCheckCost.MAX_ACCEPTED_COST;
            assertEquals(4, Auth0Line.passwordHash(json("{\"passwordHash\": \"" + bcrypt("2b", "04") + "\"}")).cost());
            assertEquals(max, Auth0Line.passwordHash(json("{\"passwordHash\": \"" + bcrypt("2b", String.valueOf(max)) + "\"}")).cost());
            for (String cost : new String[]{"00", "03", String.valueOf(max + 1), "31", "99"}) {
                assertEquals("bcrypt cost " + Integer.parseInt(cost) + " is outside 4-" + max + " (Auth0 hashes at 10)",
                        refusal(() -> Auth0Line.passwordHash(json("{\"passwordHash\": \"" + bcrypt("2b", cost) + "\"}"))), cost);
            }
        }
    }
}
