package dev.authoritypack.it.enterprise;

import dev.authoritypack.it.support.ApiTraffic;
import dev.authoritypack.it.support.CompanyRealm;
import dev.authoritypack.it.support.FormClient;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.PackIntegrationTest;
import dev.authoritypack.it.support.PackRealmScript;
import dev.authoritypack.it.support.Pkce;
import dev.authoritypack.it.support.SideServer;
import dev.authoritypack.it.support.Totp;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The pack off a realm and then off the server (docs/existing-keycloak.md, "Remove the pack from a realm"): a
 * company's realm given the pack with {@code --bind-flows}, given back with {@code remove-pack}, then the server
 * restarted without the pack's jars — its users sign in with Keycloak's own pages and flows, the second factor
 * included. On a pack server of its own (a copy of the suite's distribution, the jars then deleted): once, in the
 * dev-file run.
 */
@PackIntegrationTest
class PackOffTheServerIT {

    private static final String REALM = "leaving";

    @Test
    void aRealmGivenBackSignsItsUsersInOnceTheJarsAreGone() throws Exception {
        assumeTrue("dev-file".equals(System.getProperty("it.db", "dev-file")), "a server of its own: runs once, in the dev-file run");
        try (SideServer server = SideServer.withPack("pack-off", List.of())) {
            CompanyRealm.create(server.admin(), REALM);
            ApiTraffic.stockRealm(REALM, false);
            PackRealmScript script = new PackRealmScript(server.baseUri());
            script.succeed("apply-pack", REALM, "--bind-flows");
            PackRealmScript.await(() -> server.http().get("/realms/" + REALM + "/signin").status() == 200, "the pack to serve " + REALM);

            String removed = script.succeed("remove-pack", REALM);
            ApiTraffic.stockRealm(REALM, true);
            server.restartWithoutThePack();

            assertFalse(Files.readString(server.log()).contains("dev.authoritypack"), "no class of the pack is loaded any more");
            assertEquals(CompanyRealm.FLOW, server.admin().getJson("/realms/" + REALM).path("browserFlow").asText(), removed);
            Http http = server.http();
            assertEquals(404, http.get("/realms/" + REALM + "/signin").status());
            Http.Response alice = http.postForm("/realms/" + REALM + "/protocol/openid-connect/token", Map.of("grant_type", "password",
                    "client_id", CompanyRealm.SPA, "username", CompanyRealm.ALICE, "password", CompanyRealm.ALICE_PASSWORD));
            assertEquals(200, alice.status(), "Keycloak's own direct grant: " + alice);
            Http.Response bob = http.postForm("/realms/" + REALM + "/protocol/openid-connect/token", Map.of("grant_type", "password",
                    "client_id", CompanyRealm.SPA, "username", CompanyRealm.BOB, "password", CompanyRealm.BOB_PASSWORD,
                    "totp", Totp.codeOfStoredKey(CompanyRealm.BOB_TOTP_KEY, 0)));
            assertEquals(200, bob.status(), "bob with his second factor: " + bob);

            // the company's browser flow on Keycloak's own login page, in the company's theme, to a code
            FormClient form = new FormClient(new Http(server.baseUri()));
            Http.Response page = form.open("/realms/" + REALM + "/protocol/openid-connect/auth?client_id=" + CompanyRealm.SPA
                    + "&response_type=code&scope=openid&redirect_uri=" + URLEncoder.encode(CompanyRealm.SPA_REDIRECT, StandardCharsets.UTF_8)
                    + Pkce.S256_PARAMS, CompanyRealm.SPA_REDIRECT);
            assertEquals(200, page.status(), page::toString);
            assertTrue(page.body().contains("kc-form-login") && !page.body().contains("authority.css"), "Keycloak's own page");
            Http.Response done = form.login(page, CompanyRealm.ALICE, CompanyRealm.ALICE_PASSWORD, CompanyRealm.SPA_REDIRECT);
            String location = done.header("Location");
            assertTrue(done.status() == 302 && location != null && location.startsWith(CompanyRealm.SPA_REDIRECT) && location.contains("code="), done::toString);
        } finally {
            ApiTraffic.stockRealm(REALM, false);
        }
    }

}
