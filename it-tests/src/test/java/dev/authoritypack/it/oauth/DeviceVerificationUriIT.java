package dev.authoritypack.it.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import dev.authoritypack.it.support.RawHttp;
import dev.authoritypack.it.support.RealmAttributes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static dev.authoritypack.it.oauth.OAuthClients.REALM;
import static dev.authoritypack.it.oauth.OAuthClients.SPA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device flow's {@code verification_uri} by default (docs/pages.md): {@code /activate} at the base the device asked,
 * the host root or the realm's issuer, on the host Keycloak names itself with. This run's server has no host name
 * ({@code --hostname-strict=false}), so Keycloak's hostname v2 takes the request's: a device that reached the server as
 * {@code devices.example.test} is sent there, like the issuer. A fixed host name ({@code KC_HOSTNAME}) is
 * {@code deployment/TlsProxyIT}'s; the operator's override (the realm attribute {@code shortVerificationUri}) is here.
 */
@PackIntegrationTest
class DeviceVerificationUriIT {

    private static KeycloakServer server;
    private static AdminApi admin;

    @BeforeAll
    static void setUp(KeycloakServer s, AdminApi a) throws Exception {
        server = s;
        admin = a;
        OAuthClients.setUp(a);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/realms/authority"})
    void formAndJsonAnswerActivateAtTheBaseTheDeviceAsked(String base) {
        Http http = new Http(server.baseUri());
        String activate = server.baseUri() + base + "/activate";
        Http.Response form = http.postForm(base + "/device/code", Map.of("client_id", SPA));
        Http.Response json = http.postJson(base + "/device/code", Json.text("client_id", SPA));
        for (Http.Response r : new Http.Response[] {form, json}) {
            assertEquals(200, r.status(), r::toString);
            assertEquals(activate, r.json().path("verification_uri").asText(), r::toString);
            assertEquals(activate + "?user_code=" + r.json().path("user_code").asText(), r.json().path("verification_uri_complete").asText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/realms/authority"})
    void withoutAHostNameTheRequestsHostIsUsedAsForTheIssuer(String base) {
        String host = "devices.example.test:9443";
        JsonNode device = json(raw("POST", base + "/device/code", host, "client_id=" + SPA));
        assertEquals("http://" + host + base + "/activate", device.path("verification_uri").asText(), device::toString);
        JsonNode discovery = json(raw("GET", base + "/.well-known/openid-configuration", host, null));
        assertEquals("http://" + host + "/realms/authority", discovery.path("issuer").asText(), "the same host as the issuer");
    }

    /** Keycloak's own endpoint (the discovery's device_authorization_endpoint) sends the device to Keycloak's own page. */
    @Test
    void keycloaksOwnEndpointAnswersKeycloaksOwnPageOnTheSameHost() {
        Http.Response r = new Http(server.baseUri()).postForm("/realms/authority/protocol/openid-connect/auth/device", Map.of("client_id", SPA));
        assertEquals(200, r.status(), r::toString);
        assertEquals(server.baseUri() + "/realms/authority/device", r.json().path("verification_uri").asText());
        assertEquals(200, new Http(server.baseUri()).get("/realms/authority/device").status(), "Keycloak's activation page");
    }

    /** The operator's explicit address (docs/configuration.md) wins at every base and on Keycloak's own endpoint. */
    @Test
    void theRealmAttributeOverridesEveryBase() {
        String fixed = "https://devices.example.test/activate";
        Map<String, String> previous = RealmAttributes.set(admin, REALM, Map.of("shortVerificationUri", fixed));
        try {
            Http http = new Http(server.baseUri());
            for (String path : new String[] {"/device/code", "/realms/authority/device/code", "/realms/authority/protocol/openid-connect/auth/device"}) {
                Http.Response r = http.postForm(path, Map.of("client_id", SPA));
                assertEquals(200, r.status(), r::toString);
                assertEquals(fixed, r.json().path("verification_uri").asText(), path);
                assertEquals(fixed + "?user_code=" + r.json().path("user_code").asText(), r.json().path("verification_uri_complete").asText());
            }
        } finally {
            RealmAttributes.set(admin, REALM, previous);
        }
        Http.Response after = new Http(server.baseUri()).postForm("/device/code", Map.of("client_id", SPA));
        assertEquals(server.baseUri() + "/activate", after.json().path("verification_uri").asText(), "cleared: the host name again");
    }

    private static String raw(String method, String path, String host, String form) {
        byte[] body = form == null ? new byte[0] : form.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: application/json\r\nConnection: close\r\n"
                + (form == null ? "" : "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length + "\r\n") + "\r\n";
        return RawHttp.exchange("127.0.0.1", server.httpPort(), head, body, 30_000);
    }

    private static JsonNode json(String answer) {
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        String rest = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        String body = rest.substring(rest.indexOf('{'), rest.lastIndexOf('}') + 1); // also when the answer came in chunks
        try {
            return Http.JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + answer, e);
        }
    }
}
