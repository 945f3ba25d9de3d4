package dev.authoritypack.it.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /api/login ({@code docs/legacy-login.md}) against the real server, with a real token issuer standing in for Auth0. */
@PackIntegrationTest
class LegacyLoginIT {

    private static final String REALM = "authority";
    private static final String AUDIENCE = "https://legacy-api.example.com";
    private static final String MACHINE = "legacy-backend";
    private static final String PASSWORD = "Legacy-password-1";

    private static TestIssuer issuer;
    private static AdminApi admin;
    private static KeycloakServer server;
    private static AutoCloseable trust;
    private static String licensed;

    @BeforeAll
    static void configure(AdminApi adminApi, KeycloakServer keycloak) throws Exception {
        admin = adminApi;
        server = keycloak;
        issuer = new TestIssuer();
        trust = issuer.trustedBy(admin, REALM, AUDIENCE, MACHINE);
        licensed = user("licensed", true);
    }

    @AfterAll
    static void restore() throws Exception {
        trust.close();
        issuer.close();
    }

    private static String user(String prefix, boolean license) {
        String email = Fixtures.email(prefix);
        String id = admin.createUser(REALM, email, PASSWORD);
        if (license) {
            JsonNode role = admin.getJson("/realms/" + REALM + "/roles/license");
            admin.send("POST", "/realms/" + REALM + "/users/" + id + "/role-mappings/realm", "[" + role + "]");
        }
        return email;
    }

    private static JWTClaimsSet.Builder machineClaims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer.issuer()).audience(AUDIENCE).subject(MACHINE + "@clients")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("azp", MACHINE).claim("gty", "client-credentials").claim("scope", "read:users legacy:login");
    }

    private static Http.Response login(String bearer, String email) {
        return login(bearer, email, null);
    }

    private static Http.Response login(String bearer, String email, String redirectUrl) {
        ObjectNode json = Json.object("email", email == null ? null : b64(email));
        if (redirectUrl != null) {
            json.put("redirect_url", redirectUrl);
        }
        String body = json.toString();
        Http http = new Http(server.baseUri());
        return bearer == null ? http.postJson("/api/login", body) : http.postJson("/api/login", body, "Authorization", "Bearer " + bearer);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertUnauthorized(Http.Response r) {
        assertEquals(401, r.status(), r::toString);
        assertEquals("error", r.json().get("status").asText());
        assertEquals("Unauthorized or invalid token", r.json().get("message").asText());
    }

    // ---- success ----------------------------------------------------------------------------------------------

    @Test
    void allowedMachineTokenLogsInAUserWithARealRealmToken() throws Exception {
        Http.Response r = login(issuer.sign(machineClaims().build()), licensed);
        assertEquals(200, r.status(), r::toString);
        JsonNode body = r.json();
        assertEquals("success", body.get("status").asText());
        assertEquals("User logged in", body.get("message").asText());
        String token = body.get("token").asText();
        assertTrue(body.get("url").asText().startsWith("https://app.example.com/legacy/callback?token="), body.get("url").asText());
        assertTrue(body.get("expires_in").asInt() > 0);

        // signed by the realm: verifiable with the documented JWKS route, realm issuer, our user
        SignedJWT jwt = SignedJWT.parse(token);
        JWKSet keys = JWKSet.parse(new Http(server.baseUri()).get("/.well-known/jwks.json").body());
        assertTrue(jwt.verify(new RSASSAVerifier((RSAKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID()))));
        assertEquals(server.issuer(REALM).toString(), jwt.getJWTClaimsSet().getIssuer());
        String userId = admin.getJson("/realms/" + REALM + "/users?exact=true&email=" + licensed).get(0).get("id").asText();
        assertEquals(userId, jwt.getJWTClaimsSet().getSubject());

        // introspectable, then revoked
        assertTrue(introspect(token), "active at introspection");
        Http http = new Http(server.baseUri());
        // RFC 7009: the client the token was issued to revokes it
        assertEquals(200, http.postForm("/oauth/revoke", Map.of("token", token, "client_id", "authority-legacy-login",
                "client_secret", admin.clientSecret(REALM, "authority-legacy-login"))).status());
        assertFalse(introspect(token), "inactive after revocation");

        // inactive after the user is signed out
        String second = login(issuer.sign(machineClaims().build()), licensed).json().get("token").asText();
        assertTrue(introspect(second));
        admin.send("POST", "/realms/" + REALM + "/users/" + userId + "/logout", null);
        assertFalse(introspect(second), "inactive after sign-out");
    }

    private static String resourceServerSecret() {
        return admin.clientSecret(REALM, "authority-resource-server");
    }

    private static boolean introspect(String token) {
        Http.Response r = new Http(server.baseUri()).postForm("/oauth/introspect", Map.of("token", token,
                "client_id", "authority-resource-server", "client_secret", resourceServerSecret()));
        assertEquals(200, r.status(), r::toString);
        return r.json().get("active").asBoolean();
    }

    @Test
    void userTokenLogsInOnlyItsOwnUser() {
        Instant now = Instant.now();
        String own = issuer.sign(new JWTClaimsSet.Builder().issuer(issuer.issuer()).audience(AUDIENCE).subject("auth0|123")
                .claim("email", licensed).claim("email_verified", true).issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).build());
        assertEquals(200, login(own, licensed).status());
        String other = user("other", true);
        assertUnauthorized(login(own, other));
    }

    @Test
    void machineTokensNeedTheAllowListAndTheScope() {
        assertUnauthorized(login(issuer.sign(machineClaims().claim("azp", "some-other-app").build()), licensed));
        assertUnauthorized(login(issuer.sign(machineClaims().claim("scope", "read:users").build()), licensed));
    }

    @Test
    void invalidTokensAre401() throws Exception {
        Instant now = Instant.now();
        assertUnauthorized(login(null, licensed));
        assertUnauthorized(login("not-a-jwt", licensed));
        assertUnauthorized(login(issuer.sign(machineClaims().expirationTime(Date.from(now.minusSeconds(120))).build()), licensed));
        assertUnauthorized(login(issuer.sign(machineClaims().notBeforeTime(Date.from(now.plusSeconds(600))).build()), licensed));
        assertUnauthorized(login(issuer.sign(machineClaims().issuer("https://evil.example/").build()), licensed));
        assertUnauthorized(login(issuer.sign(machineClaims().audience("https://other-api.example.com").build()), licensed));
        assertUnauthorized(login(issuer.sign(new JWTClaimsSet.Builder(machineClaims().build()).expirationTime(null).build()), licensed));

        // alg none
        String payload = Base64URL.encode(machineClaims().build().toString()).toString();
        assertUnauthorized(login(Base64URL.encode("{\"alg\":\"none\"}") + "." + payload + ".", licensed));
        // no alg at all (Keycloak's header reader throws on it: was a 500)
        assertUnauthorized(login(Base64URL.encode("{\"typ\":\"JWT\"}") + "." + payload + ".c2ln", licensed));
        // HS256 keyed with the issuer's public key (algorithm confusion)
        SignedJWT hs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(issuer.key().getKeyID()).build(), machineClaims().build());
        hs.sign(new MACSigner(issuer.key().toRSAPublicKey().getEncoded()));
        assertUnauthorized(login(hs.serialize(), licensed));
        // tampered payload under a valid signature
        String[] parts = issuer.sign(machineClaims().build()).split("\\.");
        String tampered = Base64URL.encode(machineClaims().subject("someone-else").claim("extra", "x").build().toString()).toString();
        assertUnauthorized(login(parts[0] + "." + tampered + "." + parts[2], licensed));
    }

    @Test
    void keyRotationAtTheIssuerIsFollowed() throws Exception {
        assertEquals(200, login(issuer.sign(machineClaims().build()), licensed).status());
        issuer.rotate("k-rotated-" + System.nanoTime());
        Thread.sleep(11_000); // Keycloak refetches an unknown kid at most every 10 s (min-time-between-requests)
        Http.Response r = login(issuer.sign(machineClaims().build()), licensed);
        assertEquals(200, r.status(), "after one refetch of the JWKS: " + r);
    }

    @Test
    void theDocumented400s() {
        String token = issuer.sign(machineClaims().build());
        Http http = new Http(server.baseUri());
        Http.Response missing = http.postJson("/api/login", "{}", "Authorization", "Bearer " + token);
        assertEquals(400, missing.status());
        assertEquals("Email is required", missing.json().get("message").asText());
        Http.Response notBase64 = http.postJson("/api/login", Json.text("email", "%%%"), "Authorization", "Bearer " + token);
        assertEquals(400, notBase64.status());
        assertTrue(notBase64.json().get("message").asText().startsWith("Email is required"));
        assertTrue(notBase64.json().get("message").asText().contains("Base64"));
        assertEquals("Username invalid", login(token, "nobody-" + System.nanoTime() + "@example.com").json().get("message").asText());
        assertEquals("User doesn't have any license", login(token, user("nolicense", false)).json().get("message").asText());

        String noProfile = "noprofile-" + System.nanoTime() + "@example.com";
        Http.Response imported = admin.send("POST", "/realms/" + REALM + "/partialImport", """
                {"ifResourceExists": "FAIL", "users": [{"username": "%s", "email": "%s", "enabled": true, "realmRoles": ["license"]}]}
                """.formatted(noProfile, noProfile));
        assertEquals(200, imported.status(), imported::toString);
        Http.Response profile = login(token, noProfile);
        assertEquals(400, profile.status(), profile::toString);
        assertEquals("User doesn't have a profile", profile.json().get("message").asText());

        Http.Response wrongType = http.send(http.request("/api/login").header("Authorization", "Bearer " + token)
                .header("Content-Type", "text/plain").POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
        assertEquals(400, wrongType.status());
        assertEquals("error", wrongType.json().get("status").asText());
        Http.Response malformed = http.postJson("/api/login", "{", "Authorization", "Bearer " + token);
        assertEquals(400, malformed.status());
    }

    @Test
    void disabledUsersGetNoToken() {
        String email = user("disabled", true);
        String id = admin.getJson("/realms/" + REALM + "/users?exact=true&email=" + email).get(0).get("id").asText();
        admin.send("PUT", "/realms/" + REALM + "/users/" + id, Json.text("enabled", false));
        Http.Response r = login(issuer.sign(machineClaims().build()), email);
        assertEquals(403, r.status(), r::toString);
        assertEquals("error", r.json().get("status").asText());
    }

    @Test
    void redirectUrlOnlyWhenAllowed() {
        Http.Response allowed = login("bad-token", licensed, "https://app.example.com/login?expired=1");
        assertEquals(302, allowed.status());
        assertEquals("https://app.example.com/login?expired=1", allowed.header("Location"));
        assertUnauthorized(login("bad-token", licensed, "https://evil.example/phish"));
        assertUnauthorized(login("bad-token", licensed, "https://app.example.com.evil.example/"));
    }

    @Test
    void anUnreachableIssuerIsNotA500() throws Exception {
        Http.Response idp = admin.send("POST", "/realms/" + REALM + "/identity-provider/instances", """
                {"alias": "auth0-down", "providerId": "oidc", "enabled": true, "hideOnLogin": true,
                 "config": {"issuer": "http://127.0.0.1:9/", "jwksUrl": "http://127.0.0.1:9/.well-known/jwks.json", "useJwksUrl": "true",
                            "validateSignature": "true", "clientId": "x", "clientSecret": "x", "authorizationUrl": "http://127.0.0.1:9/a", "tokenUrl": "http://127.0.0.1:9/t"}}
                """);
        assertEquals(201, idp.status(), idp::toString);
        ObjectNode attributes = admin.getJson("/realms/" + REALM).get("attributes").deepCopy();
        attributes.put("authority.legacy-login.identity-provider", "auth0-down");
        admin.send("PUT", "/realms/" + REALM, Json.text("attributes", attributes));
        try {
            Http.Response r = login(issuer.sign(machineClaims().issuer("http://127.0.0.1:9/").build()), licensed);
            assertEquals(401, r.status(), "keys cannot be loaded: the token cannot be trusted, and that is no server error: " + r);
        } finally {
            attributes.put("authority.legacy-login.identity-provider", "auth0");
            admin.send("PUT", "/realms/" + REALM, Json.text("attributes", attributes));
        }
    }

    @Test
    void aProviderWithoutSignatureValidationIsRefused() {
        Http.Response idp = admin.send("POST", "/realms/" + REALM + "/identity-provider/instances", """
                {"alias": "auth0-unsafe", "providerId": "oidc", "enabled": true, "hideOnLogin": true,
                 "config": {"issuer": "%s", "jwksUrl": "%s", "useJwksUrl": "true", "validateSignature": "false",
                            "clientId": "x", "clientSecret": "x", "authorizationUrl": "%sa", "tokenUrl": "%st"}}
                """.formatted(issuer.issuer(), issuer.jwksUrl(), issuer.issuer(), issuer.issuer()));
        assertEquals(201, idp.status(), idp::toString);
        ObjectNode attributes = admin.getJson("/realms/" + REALM).get("attributes").deepCopy();
        attributes.put("authority.legacy-login.identity-provider", "auth0-unsafe");
        admin.send("PUT", "/realms/" + REALM, Json.text("attributes", attributes));
        try {
            Http.Response r = login(issuer.sign(machineClaims().build()), licensed);
            assertEquals(503, r.status(), "the pack refuses to trust a provider that does not check signatures: " + r);
            assertEquals("Unknown error", r.json().get("message").asText());
        } finally {
            attributes.put("authority.legacy-login.identity-provider", "auth0");
            admin.send("PUT", "/realms/" + REALM, Json.text("attributes", attributes));
        }
    }

    @Test
    void twentyConcurrentValidRequestsAllSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            results.add(pool.submit(() -> login(issuer.sign(machineClaims().build()), licensed).status()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> f : results) {
            statuses.add(f.get());
        }
        pool.shutdown();
        assertTrue(statuses.stream().allMatch(s -> s == 200), statuses.toString());
    }

    @Test
    void loginEventsAndNoSecretsInTheLog() throws Exception {
        String auth0Token = issuer.sign(machineClaims().build());
        Http.Response ok = login(auth0Token, licensed);
        assertEquals(200, ok.status());
        login("garbage", licensed);
        String userId = admin.getJson("/realms/" + REALM + "/users?exact=true&email=" + licensed).get(0).get("id").asText();
        boolean found = false;
        for (JsonNode e : admin.getJson("/realms/" + REALM + "/events?type=LOGIN&user=" + userId)) {
            found |= "true".equals(e.at("/details/legacy_login").asText()) && MACHINE.equals(e.at("/details/auth0_client").asText());
        }
        assertTrue(found, "LOGIN event with the legacy-login details");
        String log = Files.readString(server.logFile());
        assertFalse(log.contains(ok.json().get("token").asText()), "issued token in the log");
        assertFalse(log.contains(auth0Token), "Auth0 token in the log");
        assertFalse(log.contains(licensed), "the user's email in the log");
        assertFalse(log.contains(b64(licensed)), "the Base64 email in the log");
        assertNotNull(ok.json().get("expires_in"));
    }

    // ---- what the token carries, who may be logged in, what a caller learns ------------------------------------------

    private static JWTClaimsSet.Builder userClaims(String subject) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(issuer.issuer()).audience(AUDIENCE).subject(subject)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
    }

    private static void setAttribute(String name, String value) {
        ObjectNode attributes = admin.getJson("/realms/" + REALM).get("attributes").deepCopy();
        attributes.put(name, value);
        assertEquals(204, admin.send("PUT", "/realms/" + REALM, Json.text("attributes", attributes)).status());
    }

    @Test
    void theTokenCarriesOnlyWhatTheLegacySiteNeeds() throws Exception {
        Http.Response r = login(issuer.sign(machineClaims().build()), licensed);
        assertEquals(200, r.status(), r::toString);
        Map<String, Object> claims = SignedJWT.parse(r.json().get("token").asText()).getJWTClaimsSet().getClaims();
        assertEquals(List.of("authority-resource-server"), SignedJWT.parse(r.json().get("token").asText()).getJWTClaimsSet().getAudience(),
                "only the resource server that introspects it; never realm-management or account: " + claims);
        assertFalse(claims.containsKey("resource_access"), "no client roles (account, realm-management): " + claims);
        @SuppressWarnings("unchecked")
        Map<String, Object> realmAccess = (Map<String, Object>) claims.get("realm_access");
        assertEquals(List.of("license"), realmAccess.get("roles"), "the licence role only: " + claims);
        List<String> scope = List.of(String.valueOf(claims.get("scope")).split(" "));
        assertFalse(scope.contains("offline_access") || scope.contains("profile"), "scope " + scope);
        assertEquals(licensed, claims.get("email"));
        assertEquals("authority-legacy-login", claims.get("azp"));
    }

    @Test
    void administratorsAreRefusedUnlessTheRealmAllowsIt() {
        String email = user("admin", true);
        String id = admin.getJson("/realms/" + REALM + "/users?exact=true&email=" + email).get(0).get("id").asText();
        String rm = admin.getJson("/realms/" + REALM + "/clients?clientId=realm-management").get(0).get("id").asText();
        JsonNode viewUsers = admin.getJson("/realms/" + REALM + "/clients/" + rm + "/roles/view-users");
        assertEquals(204, admin.send("POST", "/realms/" + REALM + "/users/" + id + "/role-mappings/clients/" + rm, "[" + viewUsers + "]").status());

        Http.Response refused = login(issuer.sign(machineClaims().build()), email);
        assertEquals(403, refused.status(), refused::toString);
        assertEquals("Administrators cannot be logged in through /api/login", refused.json().get("message").asText());
        assertEquals(0, admin.getJson("/realms/" + REALM + "/users/" + id + "/sessions").size(), "no session was made");

        setAttribute("authority.legacy-login.allow-administrators", "true");
        try {
            Http.Response allowed = login(issuer.sign(machineClaims().build()), email);
            assertEquals(200, allowed.status(), allowed::toString);
        } finally {
            setAttribute("authority.legacy-login.allow-administrators", "false");
        }
    }

    @Test
    void aUserTokenLearnsNothingAboutOtherEmails() {
        String own = issuer.sign(userClaims("auth0|" + System.nanoTime()).claim("email", licensed).claim("email_verified", true).build());
        List<Http.Response> answers = List.of(
                login(own, user("existing", true)),                                 // an account with a licence
                login(own, user("unlicensed", false)),                              // an account without one
                login(own, "nobody-" + System.nanoTime() + "@example.com"));       // no account at all
        for (Http.Response r : answers) {
            assertUnauthorized(r);
        }
        for (Http.Response r : answers.subList(1, 3)) {
            assertEquals(answers.get(0).body(), r.body(), "same body");
            for (String h : List.of("Content-Type", "Cache-Control", "Content-Length", "Location", "WWW-Authenticate")) {
                assertEquals(answers.get(0).header(h), r.header(h), h);
            }
        }
    }

    @Test
    void aUserTokensEmailCountsOnlyWhenVerified() {
        assertUnauthorized(login(issuer.sign(userClaims("auth0|u1").claim("email", licensed).build()), licensed));
        assertUnauthorized(login(issuer.sign(userClaims("auth0|u2").claim("email", licensed).claim("email_verified", false).build()), licensed));
        assertUnauthorized(login(issuer.sign(userClaims("auth0|u3").claim("email", licensed).claim("email_verified", "yes").build()), licensed));
        assertEquals(200, login(issuer.sign(userClaims("auth0|u4").claim("email", licensed).claim("email_verified", true).build()), licensed).status());

        // without a verified email, the Keycloak user linked to the token's subject through the auth0 provider
        String linked = user("linked", true);
        String id = admin.getJson("/realms/" + REALM + "/users?exact=true&email=" + linked).get(0).get("id").asText();
        String sub = "auth0|linked-" + System.nanoTime();
        assertEquals(204, admin.send("POST", "/realms/" + REALM + "/users/" + id + "/federated-identity/auth0",
                Json.text("identityProvider", "auth0", "userId", sub, "userName", linked)).status());
        assertEquals(200, login(issuer.sign(userClaims(sub).build()), linked).status());
        assertUnauthorized(login(issuer.sign(userClaims(sub).build()), licensed));
    }
}
