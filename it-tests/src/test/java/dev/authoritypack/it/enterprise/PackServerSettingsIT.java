package dev.authoritypack.it.enterprise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.CompanyRealm;
import dev.authoritypack.it.support.FormClient;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.PackIntegrationTest;
import dev.authoritypack.it.support.PackRealmScript;
import dev.authoritypack.it.support.Pkce;
import dev.authoritypack.it.support.SideServer;
import dev.authoritypack.it.support.Totp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The two server-wide settings of docs/existing-keycloak.md and docs/configuration.md, on a pack server of their own
 * started with both ({@link SideServer#withPack}):
 * <ul>
 *   <li>{@code --spi-documented-routes--default--all-realms=true}: the pack acts on a realm it was never applied to
 *   ({@value #NEVER}, Keycloak's defaults) — its routes answer there, its token endpoint is counted, discovery is
 *   cached;</li>
 *   <li>{@code --spi-documented-routes--default--default-realm=company}: a company's realm made beforehand
 *   ({@link CompanyRealm}), given the pack with {@code ./run.sh apply-pack company --bind-flows}, is the realm of
 *   the host-root routes (docs/routes.md), for its existing clients (the secret it had) and users (their passwords,
 *   bob's TOTP).</li>
 * </ul>
 * Runs once, in the dev-file run (a server of its own; about 20 s on an idle machine, no new build).
 */
@PackIntegrationTest // the suite's server first: its distribution, built for start-dev with the pack, is the one copied
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackServerSettingsIT {

    private static final String COMPANY = "company";
    private static final String NEVER = "never";

    private SideServer server;
    private Http http;

    @BeforeAll
    void aPackServerWithBothSettings() {
        assumeTrue("dev-file".equals(System.getProperty("it.db", "dev-file")), "a server of its own: runs once, in the dev-file run");
        server = SideServer.withPack("pack-settings", List.of("--spi-documented-routes--default--all-realms=true",
                "--spi-documented-routes--default--default-realm=" + COMPANY));
        http = server.http();
        AdminApi admin = server.admin();
        CompanyRealm.create(admin, COMPANY);
        Http.Response never = admin.send("POST", "/realms", Json.text("realm", NEVER, "enabled", true));
        assertEquals(201, never.status(), never::toString);
        admin.createClient(NEVER, Json.text("clientId", "never-backend", "publicClient", false, "secret", "never-secret", "serviceAccountsEnabled", true));
        String report = new PackRealmScript(server.baseUri()).succeed("apply-pack", COMPANY, "--bind-flows");
        assertTrue(report.contains("browser flow: '" + CompanyRealm.FLOW + "' replaced by 'authority browser'"), report);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    // ------------------------------------------------------------------------------------ all-realms=true

    @Test
    void allRealmsServesThePacksRoutesOnARealmNeverApplied() {
        JsonNode realm = server.admin().getJson("/realms/" + NEVER);
        assertTrue(realm.path("attributes").path("authority.pack.enabled").isMissingNode(), "never applied: " + realm.path("attributes"));

        Http.Response discovery = http.get("/realms/" + NEVER + "/.well-known/openid-configuration");
        assertEquals("public, max-age=3600", discovery.header("Cache-Control"), discovery::toString);
        Http.Response token = http.postForm("/realms/" + NEVER + "/protocol/openid-connect/token",
                Map.of("grant_type", "client_credentials", "client_id", "never-backend", "client_secret", "never-secret"));
        assertEquals(200, token.status(), token::toString);
        assertNotNull(token.header("X-RateLimit-Limit"), "Keycloak's own token endpoint is counted: " + token);
        Http.Response documented = http.postForm("/realms/" + NEVER + "/oauth/token",
                Map.of("grant_type", "client_credentials", "client_id", "never-backend", "client_secret", "wrong"));
        assertEquals(401, documented.status(), documented::toString);
        assertEquals("invalid_client", documented.json().path("error").asText(), "the pack's answer: " + documented);
        assertNotNull(documented.header("X-RateLimit-Limit"), documented::toString);

        // /signin is the pack's (it explains itself), but signs in only through the pack's flows, which only an apply brings
        Http.Response signin = http.get("/realms/" + NEVER + "/signin");
        assertEquals(404, signin.status(), signin::toString);
        assertTrue(signin.json().path("error_description").asText().contains("does not sign in with the Authority pack"),
                "the pack's answer, not Keycloak's 404: " + signin);
        Http.Response apiLogin = http.postJson("/realms/" + NEVER + "/api/login", Json.text("email", b64("nobody@never.example")));
        assertEquals(401, apiLogin.status(), "the legacy API's answer, not Keycloak's 404: " + apiLogin);
        assertEquals("error", apiLogin.json().path("status").asText(), apiLogin::toString);
        Http.Response noEmail = http.postJson("/realms/" + NEVER + "/api/login", "{}", "Authorization", "Bearer x");
        assertTrue(noEmail.status() == 400 || noEmail.status() == 401, noEmail::toString);
        Http.Response reset = http.postJson("/realms/" + NEVER + "/account/password/reset", Json.text("email", "nobody@never.example"));
        assertEquals(200, reset.status(), "the pack's reset answer: " + reset);
        assertEquals(200, http.get("/realms/" + NEVER + "/health_check").status());
    }

    // --------------------------------------------------------------- the company realm at the host root

    @Test
    void theHostRootServesTheCompanyRealm() {
        String issuer = server.baseUri() + "/realms/" + COMPANY;
        Http.Response discovery = http.get("/.well-known/openid-configuration");
        assertEquals(200, discovery.status(), discovery::toString);
        assertEquals(issuer, discovery.json().path("issuer").asText(), discovery::toString);
        assertEquals("public, max-age=3600", discovery.header("Cache-Control"));
        Http.Response jwks = http.get("/.well-known/jwks.json");
        assertEquals(200, jwks.status(), jwks::toString);
        assertEquals(http.get("/realms/" + COMPANY + "/protocol/openid-connect/certs").json(), jwks.json(), "the company realm's keys");
        assertEquals(200, http.get("/health_check").status());
        assertEquals(200, http.get("/openapi.json").status());
    }

    @Test
    void itsBackendGetsTokensWithTheSecretItHad() {
        for (String path : List.of("/token", "/oauth/token")) {
            Http.Response token = http.postForm(path, Map.of("grant_type", "client_credentials",
                    "client_id", CompanyRealm.BACKEND, "client_secret", CompanyRealm.BACKEND_SECRET));
            assertEquals(200, token.status(), path + ": " + token);
            assertEquals(server.baseUri() + "/realms/" + COMPANY, claims(token.json().path("access_token").asText()).path("iss").asText());
            // introspected by the backend itself: Keycloak 26 says active only to a client in the token's audience,
            // so the host root must answer what the issuer's own endpoint answers
            Map<String, String> introspect = Map.of("token", token.json().path("access_token").asText());
            String basic = "Basic " + b64(CompanyRealm.BACKEND + ":" + CompanyRealm.BACKEND_SECRET);
            Http.Response atRoot = http.postForm("/oauth/introspect", introspect, "Authorization", basic);
            Http.Response atIssuer = http.postForm("/realms/" + COMPANY + "/protocol/openid-connect/token/introspect", introspect, "Authorization", basic);
            assertEquals(200, atRoot.status(), atRoot::toString);
            assertEquals(atIssuer.json(), atRoot.json(), path + " introspected at the host root");
            Http.Response wrong = http.postForm(path, Map.of("grant_type", "client_credentials",
                    "client_id", CompanyRealm.BACKEND, "client_secret", "wrong"));
            assertEquals(401, wrong.status(), wrong::toString);
            assertEquals("invalid_client", wrong.json().path("error").asText(), wrong::toString);
        }
    }

    @Test
    void itsUsersSignInWithThePasswordsTheyHad() {
        Http.Response alice = http.postForm("/oauth/token", Map.of("grant_type", "password", "client_id", CompanyRealm.SPA, "scope", "openid",
                "username", CompanyRealm.ALICE, "password", CompanyRealm.ALICE_PASSWORD));
        assertEquals(200, alice.status(), alice::toString);
        Http.Response me = http.get("/userinfo", "Authorization", "Bearer " + alice.json().path("access_token").asText());
        assertEquals(CompanyRealm.ALICE, me.json().path("email").asText(), me::toString);
        assertEquals(CompanyRealm.ALICE, http.get("/oauth2/userinfo", "Authorization", "Bearer " + alice.json().path("access_token").asText())
                .json().path("email").asText());
        Http.Response wrong = http.postForm("/oauth/token", Map.of("grant_type", "password", "client_id", CompanyRealm.SPA,
                "username", CompanyRealm.ALICE, "password", "wrong-password"));
        assertEquals(400, wrong.status(), wrong::toString);
        assertEquals("invalid_grant", wrong.json().path("error").asText(), wrong::toString);

        // bob's TOTP stays his second factor through the pack's direct grant: refused without his code at the host
        // root; with it at Keycloak's own path (its parameter totp, which the documented /token does not name)
        Http.Response bob = http.postForm("/realms/" + COMPANY + "/protocol/openid-connect/token", Map.of("grant_type", "password", "client_id", CompanyRealm.SPA,
                "username", CompanyRealm.BOB, "password", CompanyRealm.BOB_PASSWORD, "totp", Totp.codeOfStoredKey(CompanyRealm.BOB_TOTP_KEY, 0)));
        assertEquals(200, bob.status(), bob::toString);
        Http.Response bobWithoutCode = http.postForm("/token", Map.of("grant_type", "password", "client_id", CompanyRealm.SPA,
                "username", CompanyRealm.BOB, "password", CompanyRealm.BOB_PASSWORD));
        assertNotEquals(200, bobWithoutCode.status(), bobWithoutCode::toString);

        // /signin at the host root: the pack's sign-in for the realm's own users
        Http browser = server.http();
        Http.Response signedIn = browser.postForm("/signin", Map.of("email", CompanyRealm.ALICE, "password", CompanyRealm.ALICE_PASSWORD));
        assertEquals(302, signedIn.status(), signedIn::toString);
        Http.Response refused = server.http().postForm("/signin", Map.of("email", CompanyRealm.ALICE, "password", "wrong-password"),
                "Accept", "application/json");
        assertEquals(401, refused.status(), refused::toString);

        Http.Response apiLogin = http.postJson("/api/login", Json.text("email", b64(CompanyRealm.ALICE)));
        assertEquals(401, apiLogin.status(), "the legacy API of the company realm (no Auth0 token): " + apiLogin);
        assertEquals("Unauthorized or invalid token", apiLogin.json().path("message").asText(), apiLogin::toString);
    }

    @Test
    void authorizeAtTheHostRootLeadsToTheCompanysSignIn() {
        String query = "?client_id=" + CompanyRealm.SPA + "&response_type=code&scope=openid&redirect_uri="
                + URLEncoder.encode(CompanyRealm.SPA_REDIRECT, StandardCharsets.UTF_8) + Pkce.S256_PARAMS;
        Http.Response authorize = http.get("/authorize" + query);
        assertEquals(307, authorize.status(), authorize::toString);
        assertTrue(authorize.header("Location").contains("/realms/" + COMPANY + "/authorize"), authorize::toString);

        FormClient form = new FormClient(server.http());
        Http.Response page = form.open("/authorize" + query, CompanyRealm.SPA_REDIRECT);
        assertEquals(200, page.status(), page::toString);
        Http.Response done = form.login(page, CompanyRealm.ALICE, CompanyRealm.ALICE_PASSWORD, CompanyRealm.SPA_REDIRECT);
        String location = done.header("Location");
        assertTrue(done.status() == 302 && location != null && location.startsWith(CompanyRealm.SPA_REDIRECT) && location.contains("code="),
                "alice through the pack's browser flow of the company realm: " + done);
        String code = location.replaceAll(".*[?&]code=([^&]+).*", "$1");
        Http.Response exchanged = http.postForm("/oauth/token", Map.of("grant_type", "authorization_code", "client_id", CompanyRealm.SPA,
                "code", code, "redirect_uri", CompanyRealm.SPA_REDIRECT, "code_verifier", Pkce.VERIFIER));
        assertEquals(200, exchanged.status(), exchanged::toString);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode claims(String jwt) {
        try {
            return Http.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
