package dev.authoritypack.it.foundation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The realm of realm-config/ is imported and the pack's providers are loaded by the server. */
@PackIntegrationTest
class RealmAndProvidersIT {

    @Test
    void authorityRealmIsImportedAndItsDiscoveryDocumentServed(KeycloakServer server, Http http) {
        Http.Response r = http.get("/realms/authority/.well-known/openid-configuration");
        assertEquals(200, r.status(), r::toString);
        assertEquals(server.issuer("authority").toString(), r.json().get("issuer").asText());
    }

    @Test
    void realmCarriesThePackSettings(AdminApi admin) {
        JsonNode realm = admin.getJson("/realms/authority");
        assertEquals("authority", realm.get("loginTheme").asText());
        assertTrue(realm.get("bruteForceProtected").asBoolean());
        assertEquals("HmacSHA1", realm.get("otpPolicyAlgorithm").asText());
        // social sign-in ships switched off with placeholder credentials (docs/signin.md: Social sign-in)
        for (String alias : java.util.List.of("google", "github", "oidc", "auth0")) {
            JsonNode idp = admin.getJson("/realms/authority/identity-provider/instances/" + alias);
            assertEquals(alias, idp.path("alias").asText());
            assertTrue(!idp.path("enabled").asBoolean(), alias + " is off until an operator configures it");
            // Google's ID tokens always carry email_verified, which Keycloak copies when the email is trusted; the
            // others may omit it, and Keycloak would then take any address as verified
            assertEquals("google".equals(alias), idp.path("trustEmail").asBoolean(), alias + ": an email is verified only when the provider says so");
        }
        JsonNode limits = admin.getJson("/serverinfo").at("/providers/rate-limits/providers/default/operationalInfo");
        assertEquals("1000000/60 per client", limits.path("token").asText(), "the suite's server-wide limits reach the provider");
    }

    @Test
    void serverInfoListsThePackProviders(AdminApi admin) {
        JsonNode info = admin.getJson("/serverinfo");
        JsonNode routes = info.at("/providers/documented-routes/providers/default");
        assertTrue(routes.isObject(), "SPI documented-routes with provider 'default' is not loaded");
        assertEquals("authority", routes.at("/operationalInfo/default-realm").asText());
        assertEquals("true", routes.at("/operationalInfo/root-routes").asText());
        assertTrue(routes.at("/operationalInfo/routes").asText().contains("/health_check"));

        assertTrue(info.at("/providers/realm-restapi-extension/providers/health-check").isObject(),
                "realm resource health-check is not loaded");

        List<String> loginThemes = new ArrayList<>();
        info.at("/themes/login").forEach(t -> loginThemes.add(t.get("name").asText()));
        assertTrue(loginThemes.contains("authority"), "login themes: " + loginThemes);
    }
}
