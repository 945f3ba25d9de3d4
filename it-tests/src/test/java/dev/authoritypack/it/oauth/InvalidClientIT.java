package dev.authoritypack.it.oauth;

import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that fails to authenticate gets {@code 401 invalid_client} with {@code WWW-Authenticate} (RFC 6749
 * §5.2) at every route that authenticates clients — documented routes at both bases and Keycloak's own paths —
 * while a client that may not use a grant still gets {@code unauthorized_client}.
 */
@PackIntegrationTest
class InvalidClientIT {

    private static final String CLIENT = "invalid-client-it";
    private static final String SECRET = "the-right-secret-1";
    private static final String JWT_CLIENT = "invalid-client-jwt-it";
    private static KeycloakServer server;

    @BeforeAll
    static void client(AdminApi admin, KeycloakServer keycloak) {
        server = keycloak;
        Fixtures.serviceClient(admin, "authority", CLIENT, SECRET, Map.of("oauth2.device.authorization.grant.enabled", "true"));
    }

    private static final List<String> ROUTES = List.of(
            "/token", "/oauth/token", "/realms/authority/token", "/realms/authority/oauth/token", "/realms/authority/protocol/openid-connect/token",
            "/oauth/revoke", "/realms/authority/oauth/revoke", "/realms/authority/protocol/openid-connect/revoke",
            "/oauth/introspect", "/realms/authority/oauth/introspect", "/realms/authority/protocol/openid-connect/token/introspect",
            "/device/code", "/realms/authority/device/code", "/realms/authority/protocol/openid-connect/auth/device",
            "/device/token", "/realms/authority/device/token");

    private static Map<String, String> params(String route) {
        if (route.contains("token") && !route.contains("introspect") && !route.contains("device")) {
            return Map.of("grant_type", "client_credentials");
        }
        if (route.contains("revoke") || route.contains("introspect")) {
            return Map.of("token", "not-a-token");
        }
        if (route.endsWith("/device/token")) {
            return Map.of("grant_type", "urn:ietf:params:oauth:grant-type:device_code", "device_code", "x");
        }
        return Map.of();
    }

    @Test
    void failedClientAuthenticationIsInvalidClientEverywhere() {
        Http http = new Http(server.baseUri());
        String wrongBasic = "Basic " + Base64.getEncoder().encodeToString((CLIENT + ":wrong").getBytes(StandardCharsets.UTF_8));
        List<String> failures = new ArrayList<>();
        for (String route : ROUTES) {
            Map<String, String> base = params(route);
            List<Http.Response> answers = new ArrayList<>();
            answers.add(http.postForm(route, base, "Authorization", wrongBasic));
            Map<String, String> post = new java.util.HashMap<>(base);
            post.put("client_id", CLIENT);
            post.put("client_secret", "wrong");
            answers.add(http.postForm(route, post));
            Map<String, String> unknown = new java.util.HashMap<>(base);
            unknown.put("client_id", "no-such-client");
            unknown.put("client_secret", "whatever");
            answers.add(http.postForm(route, unknown));
            if (route.endsWith("/oauth/token") || route.endsWith("/oauth/introspect")) {
                answers.add(http.postJson(route, Http.JSON.valueToTree(post).toString()));
            }
            for (Http.Response r : answers) {
                boolean ok = r.status() == 401 && r.body().contains("\"invalid_client\"") && r.body().contains("Client authentication failed")
                        && r.header("WWW-Authenticate") != null && r.header("WWW-Authenticate").startsWith("Basic realm=");
                if (!ok) {
                    failures.add(route + " -> " + r.status() + " " + r.header("WWW-Authenticate") + " " + r.body());
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    /**
     * Issue 32: a client registered for {@code private_key_jwt} whose assertion is garbage, unsigned or signed with
     * another key gets the same answer as a wrong secret — 401, {@code invalid_client}, the fixed description, a
     * challenge naming its method — and never a parser's text.
     */
    @Test
    void everyClientAuthenticationFailureIsOneAnswer(AdminApi admin) throws Exception {
        admin.createClient("authority", """
                {"clientId": "%s", "publicClient": false, "clientAuthenticatorType": "client-jwt", "serviceAccountsEnabled": true,
                 "standardFlowEnabled": false}""".formatted(JWT_CLIENT));
        com.nimbusds.jose.jwk.RSAKey otherKey = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("not-registered").generate();
        String audience = server.issuer("authority").toString();
        String signedByAnother = new com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT(new com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet(
                new com.nimbusds.oauth2.sdk.id.ClientID(JWT_CLIENT), new com.nimbusds.oauth2.sdk.id.Audience(audience)),
                com.nimbusds.jose.JWSAlgorithm.RS256, otherKey.toPrivateKey(), otherKey.getKeyID(), null).getClientAssertion().serialize();
        List<String> assertions = List.of("eyJhbGciOiJSUzI1NiJ9.gYGB.c2ln", "a.b", "not-a-jwt", signedByAnother);
        Http http = new Http(server.baseUri());
        List<String> failures = new ArrayList<>();
        for (String route : List.of("/oauth/token", "/token", "/oauth/introspect", "/realms/authority/oauth/token",
                "/realms/authority/oauth/introspect", "/realms/authority/protocol/openid-connect/token")) {
            for (String assertion : assertions) {
                Map<String, String> form = new java.util.HashMap<>(params(route));
                form.put("client_id", JWT_CLIENT);
                form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
                form.put("client_assertion", assertion);
                Http.Response r = http.postForm(route, form);
                boolean ok = r.status() == 401 && "invalid_client".equals(r.json().path("error").asText())
                        && "Client authentication failed".equals(r.json().path("error_description").asText())
                        && r.header("WWW-Authenticate") != null && r.header("WWW-Authenticate").startsWith("private_key_jwt realm=\"authority\"");
                if (!ok) {
                    failures.add(route + " with " + assertion.substring(0, Math.min(12, assertion.length())) + "… -> " + r.status() + " "
                            + r.header("WWW-Authenticate") + " " + r.body());
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void aRightSecretStillWorksAndAForbiddenGrantStaysUnauthorizedClient() {
        Http http = new Http(server.baseUri());
        Http.Response ok = http.postForm("/oauth/token", Map.of("grant_type", "client_credentials", "client_id", CLIENT, "client_secret", SECRET));
        assertEquals(200, ok.status(), ok::toString);
        Http.Response password = http.postForm("/oauth/token", Map.of("grant_type", "password", "username", "x@example.com",
                "password", "y", "client_id", CLIENT, "client_secret", SECRET));
        assertEquals(400, password.status(), password::toString);
        assertEquals("unauthorized_client", password.json().get("error").asText());
    }
}
