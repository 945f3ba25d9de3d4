package dev.authoritypack.it.enterprise;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.ApiTraffic;
import dev.authoritypack.it.support.FormClient;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import dev.authoritypack.it.support.PackRealmScript;
import dev.authoritypack.it.support.Pkce;
import dev.authoritypack.it.support.Totp;
import dev.authoritypack.keycloak.routes.DocumentedRoute;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an enterprise already running Keycloak does (docs/existing-keycloak.md): a realm made beforehand as a company
 * has it ({@code acme}: users with passwords, one with TOTP, a confidential and a public client, a browser flow and a
 * theme of its own), the pack applied with {@code ./run.sh apply-pack} (a dry run first), used, applied again (no
 * change), and removed; beside it a realm the pack is never applied to ({@code plain}, Keycloak's defaults), which
 * must answer as stock Keycloak does. Runs on the suite's server, next to the pack's own realm {@code authority}.
 */
@PackIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExistingRealmIT {

    private static final String ACME = "acme";
    private static final String PLAIN = "plain";
    private static final String SPA_REDIRECT = "http://localhost/acme-spa/callback";
    /** The raw TOTP key Keycloak stores; an authenticator app is given its base32 form. */
    private static final String BOB_TOTP_KEY = "acme-bob-totp-key-0123";

    private KeycloakServer server;
    private AdminApi admin;
    private Http http;
    /** An access token of the company's backend, issued before the pack came. */
    private String tokenBefore;
    private String refreshBefore;

    @BeforeAll
    void realmsAsACompanyHasThem(KeycloakServer server, AdminApi admin, Http http) throws Exception {
        this.server = server;
        this.admin = admin;
        this.http = http;
        ApiTraffic.stockRealm(PLAIN, true); // Keycloak's answers, not the documented API's
        ApiTraffic.stockRealm(ACME, true); // until the pack is applied
        for (String realm : List.of(ACME, PLAIN)) {
            admin.send("DELETE", "/realms/" + realm, null);
        }
        Map<String, Object> acme = new HashMap<>();
        acme.put("realm", ACME);
        acme.put("enabled", true);
        acme.put("loginTheme", "keycloak");
        acme.put("adminEventsEnabled", true); // a company that audits its administrators
        acme.put("adminEventsDetailsEnabled", true);
        acme.put("browserFlow", "acme browser");
        acme.put("authenticationFlows", List.of(
                Json.object("alias", "acme browser", "description", "the company's own", "providerId", "basic-flow", "topLevel", true, "builtIn", false,
                        "authenticationExecutions", List.of(
                                Json.object("authenticator", "auth-cookie", "authenticatorFlow", false, "requirement", "ALTERNATIVE", "priority", 10),
                                Json.object("flowAlias", "acme forms", "authenticatorFlow", true, "requirement", "ALTERNATIVE", "priority", 20))),
                Json.object("alias", "acme forms", "providerId", "basic-flow", "topLevel", false, "builtIn", false,
                        "authenticationExecutions", List.of(
                                Json.object("authenticator", "auth-username-password-form", "authenticatorFlow", false, "requirement", "REQUIRED", "priority", 10),
                                Json.object("flowAlias", "acme second factor", "authenticatorFlow", true, "requirement", "CONDITIONAL", "priority", 20))),
                Json.object("alias", "acme second factor", "providerId", "basic-flow", "topLevel", false, "builtIn", false,
                        "authenticationExecutions", List.of(
                                Json.object("authenticator", "conditional-user-configured", "authenticatorFlow", false, "requirement", "REQUIRED", "priority", 10),
                                Json.object("authenticator", "auth-otp-form", "authenticatorFlow", false, "requirement", "REQUIRED", "priority", 20)))));
        acme.put("clients", List.of(
                Json.object("clientId", "acme-backend", "enabled", true, "publicClient", false, "secret", "acme-backend-secret",
                        "serviceAccountsEnabled", true, "standardFlowEnabled", false, "directAccessGrantsEnabled", false),
                Json.object("clientId", "acme-spa", "enabled", true, "publicClient", true, "standardFlowEnabled", true,
                        "directAccessGrantsEnabled", true, "redirectUris", List.of(SPA_REDIRECT), "webOrigins", List.of("+"))));
        acme.put("users", List.of(
                user("alice@acme.example", "alice-password-1", null),
                user("bob@acme.example", "bob-password-12", Json.object("type", "otp",
                        "secretData", Json.text("value", BOB_TOTP_KEY),
                        "credentialData", Json.text("subType", "totp", "digits", 6, "counter", 0, "period", 30, "algorithm", "HmacSHA1")))));
        Http.Response created = admin.send("POST", "/realms", Http.JSON.writeValueAsString(acme));
        assertEquals(201, created.status(), created::toString);
        Http.Response plain = admin.send("POST", "/realms", Json.text("realm", PLAIN, "enabled", true));
        assertEquals(201, plain.status(), plain::toString);
        admin.createClient(PLAIN, Json.text("clientId", "plain-backend", "publicClient", false, "secret", "plain-secret", "serviceAccountsEnabled", true));
        Http.Response before = http.postForm("/realms/" + ACME + "/protocol/openid-connect/token", Map.of("grant_type", "password",
                "client_id", "acme-spa", "scope", "openid", "username", "alice@acme.example", "password", "alice-password-1"));
        assertEquals(200, before.status(), before::toString);
        tokenBefore = before.json().get("access_token").asText();
        refreshBefore = before.json().get("refresh_token").asText();
    }

    private static Object user(String email, String password, Object secondCredential) {
        List<Object> credentials = new ArrayList<>();
        credentials.add(Json.object("type", "password", "value", password, "temporary", false));
        if (secondCredential != null) {
            credentials.add(secondCredential);
        }
        return Json.object("username", email, "email", email, "emailVerified", true, "enabled", true,
                "firstName", "Acme", "lastName", "Person", "credentials", credentials);
    }

    // ------------------------------------------------------------------------------- a realm never applied

    @Test
    @Order(1)
    void aRealmThePackWasNeverAppliedToAnswersAsStockKeycloak() {
        Http.Response discovery = http.get("/realms/" + PLAIN + "/.well-known/openid-configuration");
        assertEquals(200, discovery.status(), discovery::toString);
        assertEquals("no-cache, must-revalidate, no-transform, no-store", discovery.header("Cache-Control"), "Keycloak's own: " + discovery);
        assertNull(discovery.header("X-RateLimit-Limit"));
        Http.Response packs = http.get("/realms/authority/.well-known/openid-configuration");
        assertEquals("public, max-age=3600", packs.header("Cache-Control"), "the pack's realm keeps the pack's answer");

        Http.Response token = http.postForm("/realms/" + PLAIN + "/protocol/openid-connect/token",
                Map.of("grant_type", "client_credentials", "client_id", "plain-backend", "client_secret", "wrong"));
        assertEquals(401, token.status(), token::toString);
        assertEquals("unauthorized_client", token.json().path("error").asText(), "Keycloak's own wording: " + token);
        assertNull(token.header("X-RateLimit-Limit"), "no rate limit: " + token);
        assertNull(token.header("WWW-Authenticate"), "no challenge added: " + token);
        Http.Response good = http.postForm("/realms/" + PLAIN + "/protocol/openid-connect/token",
                Map.of("grant_type", "client_credentials", "client_id", "plain-backend", "client_secret", "plain-secret"));
        assertEquals(200, good.status(), good::toString);
        assertNull(good.header("X-RateLimit-Limit"), good::toString);
        Http.Response authority = http.postForm("/realms/authority/protocol/openid-connect/token",
                Map.of("grant_type", "client_credentials", "client_id", "no-such-client", "client_secret", "wrong"));
        assertTrue(authority.header("X-RateLimit-Limit") != null, "the pack's realm is counted: " + authority);

        Http.Response login = http.get("/realms/" + PLAIN + "/protocol/openid-connect/auth?client_id=account-console&response_type=code"
                + "&redirect_uri=" + enc(server.baseUri() + "/realms/" + PLAIN + "/account/") + Pkce.S256_PARAMS);
        assertEquals(200, login.status(), login::toString);
        assertTrue(login.body().contains("kc-form-login"), "Keycloak's login page");
        assertNull(login.header("X-RateLimit-Limit"));
        Http.Response account = http.get("/realms/" + PLAIN + "/account");
        assertEquals(200, account.status(), account::toString);
        assertTrue(account.header("Content-Security-Policy") == null || account.header("Content-Security-Policy").contains("frame-ancestors"),
                "Keycloak's own policy: " + account);

        for (DocumentedRoute route : DocumentedRoute.all()) {
            String path = "/realms/" + PLAIN + route.path();
            String keycloaks = DocumentedRoute.match(path, null).orElseThrow().targetPath();
            if (keycloaks.equals(path)) {
                continue; // Keycloak's own path (discovery): checked above
            }
            boolean get = route.methods().contains("GET");
            Http.Response r = get ? http.get(path) : http.postForm(path, Map.of());
            // under /account Keycloak's own account console answers every page (GET) and no POST: as for a made-up page
            int stock = !route.path().startsWith("/account/") ? 404
                    : (get ? http.get("/realms/" + PLAIN + "/account/no-such-page") : http.postForm("/realms/" + PLAIN + "/account/no-such-page", Map.of())).status();
            assertEquals(stock, r.status(), path + " is no route of a stock realm: " + r);
            assertNull(r.header("X-RateLimit-Limit"), path + " " + r);
        }
        for (String path : List.of("/api/login", "/oauth/token", "/health_check", "/signin", "/mfa/enable")) {
            Http.Response r = http.postForm("/realms/" + PLAIN + path, Map.of("username", "x", "password", "y"));
            assertEquals(404, r.status(), path + " -> " + r);
        }
        // the host root still serves the default realm
        assertEquals(200, http.get("/health_check").status());
    }

    // ------------------------------------------------------------------------------------------- apply

    @Test
    @Order(2)
    void aDryRunReportsAndChangesNothing() {
        PackRealmScript.Result dry = packRealm("apply-pack", ACME, "--dry-run");
        assertEquals(0, dry.exit(), dry.output());
        assertTrue(dry.output().contains("would + flow 'authority browser'"), dry.output());
        assertTrue(dry.output().contains("would + client authority-resource-server"), dry.output());
        assertTrue(dry.output().contains("! login theme is 'keycloak'"), "the company's theme is reported, not changed: " + dry.output());
        JsonNode realm = admin.getJson("/realms/" + ACME);
        assertFalse(realm.path("attributes").has("authority.pack.enabled"), "nothing written");
        assertFalse(flowAliases().contains("authority browser"), "no flow added");
        assertEquals(0, admin.getJson("/realms/" + ACME + "/clients?clientId=authority-resource-server").size(), "no client added");
    }

    @Test
    @Order(3)
    void badInputIsRefusedWithAClearMessageAndNothingChanged() throws IOException {
        PackRealmScript.Result unknown = packRealm("apply-pack", "no-such-realm");
        assertEquals(5, unknown.exit(), unknown.output());
        assertTrue(unknown.output().contains("no realm 'no-such-realm'"), unknown.output());

        PackRealmScript.Result wrongAdmin = packRealm(Map.of("KC_BOOTSTRAP_ADMIN_PASSWORD", "wrong"), "apply-pack", ACME);
        assertEquals(4, wrongAdmin.exit(), wrongAdmin.output());

        PackRealmScript.Result unreachable = packRealm(Map.of("AUTHORITY_URL", "http://127.0.0.1:" + KeycloakServer.freePort()), "apply-pack", ACME);
        assertEquals(3, unreachable.exit(), unreachable.output());
        assertTrue(unreachable.output().contains("cannot reach"), unreachable.output());

        PackRealmScript.Result usage = packRealm("apply-pack", ACME, "--everything");
        assertEquals(2, usage.exit(), usage.output());

        // a realm file naming a variable of the server that is not one of the pack's settings: refused whole, never
        // resolved (the server was started with this one: an administrator of one realm must not read it back)
        Path leaky = Files.createTempFile("leaky-realm", ".json");
        String packFile = Files.readString(KeycloakServer.projectRoot().resolve("realm-config/authority-realm.json"));
        Files.writeString(leaky, packFile.replace("\"authority.pack.enabled\": \"true\"",
                "\"authority.pack.enabled\": \"true\", \"authority.probe\": \"${KC_BOOTSTRAP_ADMIN_PASSWORD}\""));
        PackRealmScript.Result leak = packRealm(Map.of("AUTHORITY_REALM_FILE", leaky.toString()), "apply-pack", ACME);
        Files.delete(leaky);
        assertEquals(1, leak.exit(), leak.output());
        assertTrue(leak.output().contains("may name only its own settings"), leak.output());
        assertFalse(leak.output().contains(KeycloakServer.ADMIN_PASSWORD), leak.output());
        assertFalse(admin.getJson("/realms/" + ACME).path("attributes").has("authority.probe"), "nothing written");

        // a flow of the realm's own with a pack flow's name: a conflict, and not even the opt-in is written
        String flow = Json.text("alias", "authority direct grant", "providerId", "basic-flow", "topLevel", true, "builtIn", false);
        assertEquals(201, admin.send("POST", "/realms/" + PLAIN + "/authentication/flows", flow).status());
        PackRealmScript.Result conflict = packRealm("apply-pack", PLAIN);
        assertEquals(6, conflict.exit(), conflict.output());
        assertTrue(conflict.output().contains("flow 'authority direct grant' of its own"), conflict.output());
        JsonNode plain = admin.getJson("/realms/" + PLAIN);
        assertFalse(plain.path("attributes").has("authority.pack.enabled"), "nothing written: " + plain.path("attributes"));
        assertEquals(0, admin.getJson("/realms/" + PLAIN + "/clients?clientId=authority-resource-server").size());
        for (JsonNode f : admin.getJson("/realms/" + PLAIN + "/authentication/flows")) {
            if (f.get("alias").asText().equals("authority direct grant")) {
                admin.send("DELETE", "/realms/" + PLAIN + "/authentication/flows/" + f.get("id").asText(), null);
            }
        }
    }

    @Test
    @Order(4)
    void applyGivesTheRealmThePackAndKeepsEverythingOfItsOwn() throws Exception {
        JsonNode before = admin.getJson("/realms/" + ACME);
        PackRealmScript.Result applied = packRealm("apply-pack", ACME, "--bind-flows");
        assertEquals(0, applied.exit(), applied.output());
        ApiTraffic.stockRealm(ACME, false); // the documented API from here on
        assertTrue(applied.output().contains("+ flow 'authority browser'"), applied.output());
        assertTrue(applied.output().contains("browser flow: 'acme browser' replaced by 'authority browser'"), applied.output());

        JsonNode after = admin.getJson("/realms/" + ACME);
        assertEquals("true", after.path("attributes").path("authority.pack.enabled").asText());
        assertEquals(1, packAdminEvents("apply"), "the apply is one admin event of the realm's audit trail, the dry run none");
        assertEquals("acme browser", after.path("attributes").path("authority.pack.previous.browser-flow").asText());
        assertEquals("authority browser", after.path("browserFlow").asText());
        assertEquals("keycloak", after.path("loginTheme").asText(), "the company's theme stays");
        assertEquals(before.path("sslRequired").asText(), after.path("sslRequired").asText());
        assertEquals(before.path("bruteForceProtected").asBoolean(), after.path("bruteForceProtected").asBoolean(), "no setting of the realm's changed");
        assertTrue(flowAliases().contains("acme browser"), "the company's flow stays");
        assertEquals(2, admin.getJson("/realms/" + ACME + "/users?briefRepresentation=true").size(), "its users, no more");

        awaitPackServes(ACME);
        // the tokens and the session of before the pack still work, at the documented routes; bob's TOTP goes in Keycloak's
        // own parameter at its path (the documented /oauth/token names no second-factor field)
        Http.Response userinfo = http.get("/realms/" + ACME + "/userinfo", "Authorization", "Bearer " + tokenBefore);
        assertEquals("alice@acme.example", userinfo.json().path("email").asText(), "a token from before the pack: " + userinfo);
        Http.Response refreshed = http.postForm("/realms/" + ACME + "/oauth/token", Map.of("grant_type", "refresh_token",
                "client_id", "acme-spa", "refresh_token", refreshBefore));
        assertEquals(200, refreshed.status(), "a refresh token from before the pack: " + refreshed);

        // documented routes at its issuer, for its own clients and users
        Http.Response discovery = http.get("/realms/" + ACME + "/.well-known/openid-configuration");
        assertEquals("public, max-age=3600", discovery.header("Cache-Control"), discovery::toString);
        Http.Response token = backendToken("/realms/" + ACME + "/oauth/token");
        assertEquals(200, token.status(), token::toString);
        assertTrue(token.header("X-RateLimit-Limit") != null, "counted now: " + token);
        Http.Response wrongSecret = http.postForm("/realms/" + ACME + "/oauth/token",
                Map.of("grant_type", "client_credentials", "client_id", "acme-backend", "client_secret", "wrong"));
        assertEquals("invalid_client", wrongSecret.json().path("error").asText(), "the pack's answer now: " + wrongSecret);
        assertEquals(200, http.get("/realms/" + ACME + "/health_check").status());
        assertEquals(200, http.get("/realms/" + ACME + "/openapi.json").status());

        Http.Response bob = http.postForm("/realms/" + ACME + "/protocol/openid-connect/token", Map.of("grant_type", "password", "client_id", "acme-spa",
                "scope", "openid", "username", "bob@acme.example", "password", "bob-password-12", "totp", Totp.codeOfStoredKey(BOB_TOTP_KEY, 0)));
        assertEquals(200, bob.status(), "bob signs in with his password and TOTP through the pack's direct grant: " + bob);
        Http.Response bobWithoutCode = http.postForm("/realms/" + ACME + "/protocol/openid-connect/token", Map.of("grant_type", "password", "client_id", "acme-spa",
                "username", "bob@acme.example", "password", "bob-password-12"));
        assertNotEquals(200, bobWithoutCode.status(), "his second factor stays required: " + bobWithoutCode);
        Http.Response me = http.get("/realms/" + ACME + "/userinfo", "Authorization", "Bearer " + bob.json().get("access_token").asText());
        assertEquals("bob@acme.example", me.json().path("email").asText(), me::toString);

        String code = signInThroughTheBrowserFlow("alice@acme.example", "alice-password-1");
        Http.Response exchanged = http.postForm("/realms/" + ACME + "/oauth/token", Map.of("grant_type", "authorization_code", "client_id", "acme-spa",
                "code", code, "redirect_uri", SPA_REDIRECT, "code_verifier", Pkce.VERIFIER));
        assertEquals(200, exchanged.status(), exchanged::toString);

        for (DocumentedRoute route : DocumentedRoute.all()) {
            String path = "/realms/" + ACME + route.path();
            Http.Response r = route.methods().contains("GET") ? http.get(path) : http.postForm(path, Map.of());
            assertTrue(r.status() != 404 && r.status() != 405 && r.status() < 500, path + " -> " + r);
        }
    }

    /**
     * The gate reads the realm's opt-in on a worker thread when its 5 s copy is stale: a large body sent then must
     * reach Keycloak whole, in an applied realm and in a stock one. (The gate pauses the request; Vert.x Web's router
     * already holds an unread body until a handler reads it — this test passed with the gate's pause taken out — so
     * it guards what a client sees across the worker-thread hop, not that one line.)
     */
    @Test
    @Order(5)
    void aLargeBodyOnAStaleCopyReachesKeycloakWhole() {
        for (String realm : List.of(ACME, PLAIN)) {
            String client = realm.equals(ACME) ? "acme-backend" : "plain-backend";
            String secret = realm.equals(ACME) ? "acme-backend-secret" : "plain-secret";
            Map<String, String> form = new java.util.LinkedHashMap<>();
            for (int i = 0; i < 150; i++) {
                form.put("padding" + i, "x".repeat(1000)); // 150 KB, many TCP reads, each field under Quarkus' field limit
            }
            form.put("grant_type", "client_credentials");
            form.put("client_id", client);
            form.put("client_secret", secret);
            KeycloakServer.sleep(6_000); // past PackRealms' copy: the gate asks the database, the request paused
            Http.Response token = http.postForm("/realms/" + realm + "/protocol/openid-connect/token", form);
            assertEquals(200, token.status(), realm + ": " + token);
            assertTrue(token.json().has("access_token"), token::toString);
        }
    }

    @Test
    @Order(6)
    void aSecondApplyChangesNothing() {
        PackRealmScript.Result again = packRealm("apply-pack", ACME, "--bind-flows");
        assertEquals(0, again.exit(), again.output());
        assertTrue(again.output().trim().endsWith("changes: 0"), again.output());
    }

    // ------------------------------------------------------------------------------------------ remove

    @Test
    @Order(7)
    void removeRestoresTheOldSignIn() {
        PackRealmScript.Result dry = packRealm("remove-pack", ACME, "--dry-run");
        assertEquals(0, dry.exit(), dry.output());
        assertTrue(flowAliases().contains("authority browser"), "a dry run removes nothing: " + dry.output());

        PackRealmScript.Result removed = packRealm("remove-pack", ACME);
        assertEquals(0, removed.exit(), removed.output());
        ApiTraffic.stockRealm(ACME, true);
        JsonNode realm = admin.getJson("/realms/" + ACME);
        assertEquals("acme browser", realm.path("browserFlow").asText(), removed.output());
        assertEquals("direct grant", realm.path("directGrantFlow").asText(), removed.output());
        realm.path("attributes").fieldNames().forEachRemaining(k -> assertFalse(k.startsWith("authority."), "left behind: " + k));
        assertFalse(flowAliases().stream().anyMatch(a -> a.startsWith("authority")), "flows left: " + flowAliases());
        assertEquals(0, admin.getJson("/realms/" + ACME + "/clients?clientId=authority-legacy-login").size());
        assertEquals("keycloak", realm.path("loginTheme").asText());

        awaitStock(ACME);
        assertEquals(404, http.postForm("/realms/" + ACME + "/api/login", Map.of()).status());
        Http.Response token = backendToken("/realms/" + ACME + "/protocol/openid-connect/token");
        assertEquals(200, token.status(), token::toString);
        assertNull(token.header("X-RateLimit-Limit"), token::toString);
        String code = signInThroughTheBrowserFlow("alice@acme.example", "alice-password-1");
        assertFalse(code.isEmpty());
        // the next window's code (Keycloak's look-ahead takes it): the current one may be the one used above, and a
        // code signs in once
        Http.Response bob = http.postForm("/realms/" + ACME + "/protocol/openid-connect/token", Map.of("grant_type", "password", "client_id", "acme-spa",
                "username", "bob@acme.example", "password", "bob-password-12", "totp", Totp.codeOfStoredKey(BOB_TOTP_KEY, 1)));
        assertEquals(200, bob.status(), "Keycloak's own direct grant signs bob in again: " + bob);
        PackRealmScript.Result twice = packRealm("remove-pack", ACME);
        assertEquals(0, twice.exit(), twice.output());
        assertEquals(1, packAdminEvents("remove"), "the removal is an admin event, the one that changed nothing is not");
        assertEquals(1, packAdminEvents("apply"), "an apply that changed nothing is not");
        assertTrue(twice.output().trim().endsWith("changes: 0"), "a second removal changes nothing: " + twice.output());
    }

    // ----------------------------------------------------------------------------------------- helpers

    private Http.Response backendToken(String path) {
        return http.postForm(path, Map.of("grant_type", "client_credentials", "client_id", "acme-backend", "client_secret", "acme-backend-secret"));
    }

    /** The realm's browser flow through Keycloak's login form, as a browser without scripts; the code it ends with. */
    private String signInThroughTheBrowserFlow(String email, String password) {
        Http browser = new Http(server.baseUri());
        FormClient form = new FormClient(browser);
        Http.Response page = form.open("/realms/" + ACME + "/protocol/openid-connect/auth?client_id=acme-spa&response_type=code&scope=openid"
                + "&redirect_uri=" + enc(SPA_REDIRECT) + Pkce.S256_PARAMS, SPA_REDIRECT);
        assertEquals(200, page.status(), page::toString);
        Http.Response done = form.login(page, email, password, SPA_REDIRECT);
        String location = done.header("Location");
        assertTrue(done.status() == 302 && location != null && location.startsWith(SPA_REDIRECT) && location.contains("code="), done::toString);
        return location.replaceAll(".*[?&]code=([^&]+).*", "$1");
    }

    /** The realm's admin events of the pack's endpoint (Keycloak's own audit trail), with the report as details. */
    private int packAdminEvents(String action) {
        int count = 0;
        for (JsonNode event : admin.getJson("/realms/" + ACME + "/admin-events?operationTypes=ACTION&max=100")) {
            if (event.path("resourcePath").asText().endsWith("authority-pack/" + action)) {
                assertTrue(event.path("representation").asText().contains("\"changes\""), event.toString());
                count++;
            }
        }
        return count;
    }

    private List<String> flowAliases() {
        return admin.flowAliases(ACME);
    }

    /** The pack's Vert.x handlers see an apply within their copy's lifetime (PackRealms, 5 s). */
    private void awaitPackServes(String realm) {
        PackRealmScript.await(() -> "public, max-age=3600".equals(http.get("/realms/" + realm + "/.well-known/openid-configuration").header("Cache-Control")),
                "the pack to serve " + realm);
    }

    private void awaitStock(String realm) {
        PackRealmScript.await(() -> !"public, max-age=3600".equals(http.get("/realms/" + realm + "/.well-known/openid-configuration").header("Cache-Control")),
                realm + " to answer as stock Keycloak");
    }


    private PackRealmScript.Result packRealm(String command, String... args) {
        return new PackRealmScript(server.baseUri()).run(command, args);
    }

    private PackRealmScript.Result packRealm(Map<String, String> env, String command, String... args) {
        return new PackRealmScript(server.baseUri()).run(env, command, args);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
