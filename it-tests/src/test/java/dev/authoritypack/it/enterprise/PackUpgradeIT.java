package dev.authoritypack.it.enterprise;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.CompanyRealm;
import dev.authoritypack.it.support.ApiTraffic;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.MailServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import dev.authoritypack.it.support.PackRealmScript;
import dev.authoritypack.it.support.Pkce;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A realm an earlier pack version imported, brought up to this version (issue 35, item 3; docs/upgrading.md):
 * Keycloak's {@code --import-realm} skips a realm that exists, so an operator who upgrades the container keeps the
 * earlier realm file's parts. The earlier file is the pack's realm file of 2026-11-30
 * ({@code it-tests/src/test/resources/previous-pack/}, from git: before the direct-grant flows, the per-realm opt-in
 * and the verification address setting). Two such realms: one brought up by {@code ./run.sh apply-pack}, one by a
 * restart with {@code KC_SPI_DOCUMENTED_ROUTES__DEFAULT__APPLY_AT_START} (the image's way); both then hold what this
 * version's file holds, a second apply changes nothing, and a removal takes the pack off the upgraded realm.
 */
@PackIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PackUpgradeIT {

    private static final String PREVIOUS_FILE = "it-tests/src/test/resources/previous-pack/authority-realm-2026-11-30.json";
    private static final String BY_COMMAND = "earlier";
    private static final String AT_START = "earlier-at-start";
    private static final String IMPORTED = "imported-current";
    private static final String COMPANY = "company-earlier";
    private static final String EMAIL = "upgrade@example.com";
    private static final String PASSWORD = "Upgrade-password-1";

    private KeycloakServer server;
    private AdminApi admin;
    private Http http;
    private PackRealmScript script;

    @BeforeAll
    void realmsImportedByAnEarlierPack(KeycloakServer server, AdminApi admin, Http http) throws IOException {
        this.server = server;
        this.admin = admin;
        this.http = http;
        this.script = new PackRealmScript(server.baseUri());
        // the earlier file's placeholders resolved as that version's --import-realm did: the sender its operator had
        // to set (Keycloak 26.7 refuses the file's empty default), the rest their defaults
        String earlier = Files.readString(KeycloakServer.projectRoot().resolve(PREVIOUS_FILE))
                .replace("${AUTHORITY_SMTP_FROM:}", MailServer.FROM)
                .replaceAll("\\$\\{AUTHORITY_[A-Z_]+:([^}]*)}", "$1");
        for (String realm : List.of(BY_COMMAND, AT_START)) {
            ApiTraffic.stockRealm(realm, true); // not the default realm, no opt-in: Keycloak's answers until upgraded
            admin.send("DELETE", "/realms/" + realm, null);
            ObjectNode file = (ObjectNode) Http.JSON.readTree(earlier);
            file.put("realm", realm);
            // Keycloak 26.4 has no registration-web-origins policy (the pack's file dropped it for 26.4, issue 34):
            // not a pack part, taken out so the earlier file imports on every supported line
            file.path("components").fields().forEachRemaining(kind -> {
                var kept = Http.JSON.createArrayNode();
                kind.getValue().forEach(c -> {
                    if (!"registration-web-origins".equals(c.path("providerId").asText())) {
                        kept.add(c);
                    }
                });
                ((ObjectNode) file.get("components")).set(kind.getKey(), kept);
            });
            Http.Response created = admin.send("POST", "/realms", Http.JSON.writeValueAsString(file));
            assertEquals(201, created.status(), created::toString);
            admin.createUser(realm, EMAIL, PASSWORD);
            assertEquals(200, passwordGrant(realm).status(), "the earlier realm signs its user in");
            assertEquals(404, http.get("/realms/" + realm + "/signin").status(), "a realm of an earlier file, not the default realm: not served before the upgrade");
        }
    }

    @Test
    @Order(1)
    void aDryRunReportsTheUpgradeAndChangesNothing() {
        PackRealmScript.Result dry = script.run("apply-pack", BY_COMMAND, "--dry-run");
        assertEquals(0, dry.exit(), dry.output());
        assertTrue(dry.output().contains("imported from a pack's realm file"), dry.output());
        assertTrue(dry.output().contains("would + flow 'authority direct grant'"), dry.output());
        assertTrue(dry.output().contains("would + attribute authority.pack.enabled=true"), dry.output());
        assertTrue(dry.output().contains("would ~ direct-grant flow: 'direct grant' replaced by 'authority direct grant'"), dry.output());
        assertTrue(dry.output().contains("! attribute shortVerificationUri is 'http://localhost:8080/activate'"),
                "a setting of the earlier file that differs is reported and kept: " + dry.output());
        assertFalse(dry.output().contains("conflict"), dry.output());
        JsonNode realm = admin.getJson("/realms/" + BY_COMMAND);
        assertFalse(realm.path("attributes").has("authority.pack.enabled"), "nothing written");
        assertEquals("direct grant", realm.path("directGrantFlow").asText());
        assertFalse(flowAliases(BY_COMMAND).contains("authority direct grant"));
    }

    @Test
    @Order(2)
    void theApplyCommandBringsTheRealmUpToThisVersion() {
        PackRealmScript.Result applied = script.run("apply-pack", BY_COMMAND);
        assertEquals(0, applied.exit(), applied.output());
        ApiTraffic.stockRealm(BY_COMMAND, false);
        assertTrue(applied.output().contains("+ flow 'authority direct grant'"), applied.output());
        assertTrue(applied.output().contains("~ direct-grant flow: 'direct grant' replaced by 'authority direct grant' (this pack version's binding)"), applied.output());
        assertIsThisVersion(BY_COMMAND);
        assertTrue(script.run("apply-pack", BY_COMMAND).changedNothing(), "a second apply changes nothing");
    }

    @Test
    @Order(3)
    void aStartWithApplyAtStartBringsTheNamedRealmsUp() throws IOException {
        server.restartWith(Map.of("KC_SPI_DOCUMENTED_ROUTES__DEFAULT__APPLY_AT_START", AT_START + ", no-such-realm"));
        ApiTraffic.stockRealm(AT_START, false);
        String log = Files.readString(server.logFile());
        assertTrue(log.contains("authority pack applied to realm " + AT_START + " at start"), "the log says what the start did");
        assertTrue(log.contains("no realm 'no-such-realm' to apply the pack to at start"), "a realm that does not exist is named in the log");
        assertIsThisVersion(AT_START);
        assertEquals(new TreeSet<>(flowAliases(BY_COMMAND)), new TreeSet<>(flowAliases(AT_START)), "the same flows either way");
        assertEquals(admin.getJson("/realms/" + BY_COMMAND).path("attributes").path("authority.pack.parts"),
                admin.getJson("/realms/" + AT_START).path("attributes").path("authority.pack.parts"), "the same parts either way");
        assertTrue(script.run("apply-pack", AT_START).changedNothing(), "the command finds nothing left to do after the start");
    }

    @Test
    @Order(4)
    void removalTakesThePackOffTheUpgradedRealm() {
        PackRealmScript.Result removed = script.run("remove-pack", BY_COMMAND);
        assertEquals(0, removed.exit(), removed.output());
        ApiTraffic.stockRealm(BY_COMMAND, true);
        JsonNode realm = admin.getJson("/realms/" + BY_COMMAND);
        assertEquals("browser", realm.path("browserFlow").asText(), removed.output());
        assertEquals("direct grant", realm.path("directGrantFlow").asText(), removed.output());
        assertFalse(flowAliases(BY_COMMAND).stream().anyMatch(a -> a.startsWith("authority")), "flows left: " + flowAliases(BY_COMMAND));
        assertEquals(0, admin.getJson("/realms/" + BY_COMMAND + "/clients?clientId=authority-legacy-login").size(), removed.output());
        realm.path("attributes").fieldNames().forEachRemaining(k -> assertFalse(k.startsWith("authority."), "left behind: " + k + "\n" + removed.output()));
        assertTrue(realm.path("loginTheme").asText("").isEmpty(), "Keycloak's default theme again: " + realm.path("loginTheme"));
        PackRealmScript.await(() -> http.get("/realms/" + BY_COMMAND + "/signin").status() == 404, "the pack's routes to leave " + BY_COMMAND);
        assertEquals(200, passwordGrant(BY_COMMAND).status(), "Keycloak's own direct grant signs the user in");
    }

    /**
     * The common case of a removal: a realm the image imported from this version's file (as the default realm
     * {@code authority} is), never given the pack by an apply, so without a record of its parts.
     */
    @Test
    @Order(5)
    void removalTakesThePackOffARealmImportedFromThePacksFile() throws IOException {
        ApiTraffic.stockRealm(IMPORTED, false);
        admin.send("DELETE", "/realms/" + IMPORTED, null);
        ObjectNode file = (ObjectNode) Http.JSON.readTree(Files.readString(KeycloakServer.projectRoot().resolve("realm-config/authority-realm.json"))
                .replaceAll("\\$\\{AUTHORITY_[A-Z_]+:([^}]*)}", "$1"));
        file.put("realm", IMPORTED);
        Http.Response created = admin.send("POST", "/realms", Http.JSON.writeValueAsString(file));
        assertEquals(201, created.status(), created::toString);
        admin.createUser(IMPORTED, EMAIL, PASSWORD);
        PackRealmScript.await(() -> http.get("/realms/" + IMPORTED + "/signin").status() == 200, "the pack to serve " + IMPORTED);

        PackRealmScript.Result dry = script.run("remove-pack", IMPORTED, "--dry-run");
        assertEquals(0, dry.exit(), dry.output());
        assertTrue(dry.output().contains("imported from a pack's realm file"), dry.output());
        assertEquals("authority browser", admin.getJson("/realms/" + IMPORTED).path("browserFlow").asText(), "a dry run changes nothing");

        PackRealmScript.Result removed = script.run("remove-pack", IMPORTED);
        assertEquals(0, removed.exit(), removed.output());
        ApiTraffic.stockRealm(IMPORTED, true);
        JsonNode realm = admin.getJson("/realms/" + IMPORTED);
        assertEquals("browser", realm.path("browserFlow").asText(), removed.output());
        assertEquals("direct grant", realm.path("directGrantFlow").asText(), removed.output());
        assertFalse(flowAliases(IMPORTED).stream().anyMatch(a -> a.startsWith("authority")), "flows left: " + flowAliases(IMPORTED));
        assertEquals(0, admin.getJson("/realms/" + IMPORTED + "/clients?clientId=authority-resource-server").size(), removed.output());
        realm.path("attributes").fieldNames().forEachRemaining(k -> assertFalse(k.startsWith("authority."), "left behind: " + k + "\n" + removed.output()));
        assertTrue(realm.path("loginTheme").asText("").isEmpty(), "Keycloak's default theme again: " + realm.path("loginTheme"));
        PackRealmScript.await(() -> http.get("/realms/" + IMPORTED + "/signin").status() == 404, "the pack's routes to leave " + IMPORTED);
        assertEquals(200, passwordGrant(IMPORTED).status(), "Keycloak's own direct grant signs the user in");
        Http.Response login = http.get("/realms/" + IMPORTED + "/protocol/openid-connect/auth?client_id=account-console&response_type=code&scope=openid"
                + "&redirect_uri=" + java.net.URLEncoder.encode(server.baseUri() + "/realms/" + IMPORTED + "/account/", java.nio.charset.StandardCharsets.UTF_8) + Pkce.S256_PARAMS);
        assertEquals(200, login.status(), login::toString);
        assertTrue(login.body().contains("kc-form-login") && !login.body().contains("css/authority.css"),
                "Keycloak's own sign-in page, in Keycloak's own theme");
        assertTrue(script.run("remove-pack", IMPORTED).changedNothing(), "a second removal changes nothing");
    }

    /**
     * A company's realm given the pack by an earlier version's apply (the 2026-11-30 file, sent with
     * {@code AUTHORITY_REALM_FILE} as that version's {@code apply-pack} sent it) is brought up by this version's
     * apply: what is new goes in beside the recorded parts, the company's own flow stays recorded for the removal.
     */
    @Test
    @Order(6)
    void aCompanyRealmAppliedByAnEarlierVersionIsBroughtUpByTheNextApply() throws IOException {
        CompanyRealm.create(admin, COMPANY);
        java.nio.file.Path earlierFile = Files.createTempFile("earlier-pack", ".json");
        try {
            // that version's server resolved the file's placeholders itself; this one resolves only its own settings
            Files.writeString(earlierFile, Files.readString(KeycloakServer.projectRoot().resolve(PREVIOUS_FILE))
                    .replaceAll("\\$\\{AUTHORITY_[A-Z_]+:([^}]*)}", "$1"));
            String earlier = script.run(Map.of("AUTHORITY_REALM_FILE", earlierFile.toString()), "apply-pack", COMPANY, "--bind-flows").output();
            assertTrue(earlier.contains("+ flow 'authority browser'") && !earlier.contains("authority direct grant"), earlier);
        } finally {
            Files.delete(earlierFile);
        }
        ApiTraffic.stockRealm(COMPANY, false);
        assertEquals("direct grant", admin.getJson("/realms/" + COMPANY).path("directGrantFlow").asText(), "the earlier version had no direct grant of its own");

        String upgrade = script.succeed("apply-pack", COMPANY, "--bind-flows");
        assertTrue(upgrade.contains("+ flow 'authority direct grant'"), upgrade);
        assertTrue(upgrade.contains("~ direct-grant flow: 'direct grant' replaced by 'authority direct grant'"), upgrade);
        assertFalse(upgrade.contains("+ flow 'authority browser'") || upgrade.contains("+ client"), "what the earlier apply made stays as it is: " + upgrade);
        JsonNode realm = admin.getJson("/realms/" + COMPANY);
        assertEquals("authority direct grant", realm.path("directGrantFlow").asText());
        assertEquals(CompanyRealm.FLOW, realm.path("attributes").path("authority.pack.previous.browser-flow").asText(), "the company's flow, recorded by the earlier apply");
        assertTrue(script.succeed("apply-pack", COMPANY, "--bind-flows").trim().endsWith("changes: 0"));

        String removed = script.succeed("remove-pack", COMPANY);
        JsonNode after = admin.getJson("/realms/" + COMPANY);
        assertEquals(CompanyRealm.FLOW, after.path("browserFlow").asText(), removed);
        assertEquals("direct grant", after.path("directGrantFlow").asText(), removed);
        assertFalse(flowAliases(COMPANY).stream().anyMatch(a -> a.startsWith("authority")), "flows left: " + flowAliases(COMPANY));
        ApiTraffic.stockRealm(COMPANY, true);
        admin.send("DELETE", "/realms/" + COMPANY, null);
    }

    private void assertIsThisVersion(String realm) {
        JsonNode rep = admin.getJson("/realms/" + realm);
        assertEquals("true", rep.path("attributes").path("authority.pack.enabled").asText(), rep.path("attributes").toString());
        assertEquals("authority browser", rep.path("browserFlow").asText());
        assertEquals("authority direct grant", rep.path("directGrantFlow").asText());
        assertTrue(flowAliases(realm).containsAll(List.of("authority browser", "authority direct grant")), flowAliases(realm).toString());
        List<String> steps = new ArrayList<>();
        admin.getJson("/realms/" + realm + "/authentication/flows/authority%20direct%20grant/executions")
                .forEach(e -> steps.add(e.path("providerId").asText(e.path("displayName").asText())));
        assertTrue(steps.containsAll(List.of("authority-direct-grant-username", "authority-direct-grant-password", "direct-grant-validate-otp")),
                "this version's direct grant with its second-factor sub-flow: " + steps);
        String parts = rep.path("attributes").path("authority.pack.parts").asText();
        for (String part : List.of("flow=authority browser", "client=authority-legacy-login", "role=license", "theme=login", "attribute=authority.legacy-login.client")) {
            assertTrue(parts.contains(part), "recorded, so a removal takes it off: " + part + " in " + parts);
        }
        PackRealmScript.await(() -> http.get("/realms/" + realm + "/signin").status() == 200, "the pack to serve " + realm);
        Http.Response grant = passwordGrant(realm);
        assertEquals(200, grant.status(), "the user signs in through this version's direct grant: " + grant);
        Http.Response wrong = http.postForm("/realms/" + realm + "/oauth/token", Map.of("grant_type", "password", "client_id", "admin-cli",
                "username", EMAIL, "password", "not-the-password"));
        assertEquals("invalid_grant", wrong.json().path("error").asText(), wrong::toString);
    }

    private Http.Response passwordGrant(String realm) {
        return http.postForm("/realms/" + realm + "/protocol/openid-connect/token", Map.of("grant_type", "password", "client_id", "admin-cli",
                "username", EMAIL, "password", PASSWORD));
    }

    private List<String> flowAliases(String realm) {
        return admin.flowAliases(realm);
    }
}
