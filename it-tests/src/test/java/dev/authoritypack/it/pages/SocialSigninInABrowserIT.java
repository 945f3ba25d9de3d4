package dev.authoritypack.it.pages;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.MailServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import dev.authoritypack.it.support.PageAudit;
import dev.authoritypack.it.support.RealBrowser;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Social sign-in from the pack's {@code /signin} page through Keycloak's identity brokering, with a real OIDC
 * provider in the test JVM (mock-oauth2-server on 127.0.0.1, set up like the realm's google entry: email trusted as
 * far as the ID token's email_verified says) and a real browser: an enabled provider is a button; a first sign-in
 * creates the account, its email verified only when the provider vouches for it, and ends on the profile, where the
 * linked account shows; the address of an existing account links to it only after its owner confirms by mail; a
 * provider the realm does not offer is a 404.
 */
@PackIntegrationTest
class SocialSigninInABrowserIT {

    private static final String REALM = "authority";
    private static final String ALIAS = "mock-social";
    private static final String ISSUER_ID = "social";
    private static MockOAuth2Server provider;
    @RegisterExtension
    static final RealBrowser chromium = new RealBrowser();
    private static AdminApi admin;
    private static KeycloakServer server;

    @BeforeAll
    static void start(AdminApi adminApi, KeycloakServer keycloak) throws Exception {
        admin = adminApi;
        server = keycloak;
        provider = new MockOAuth2Server();
        provider.start(InetAddress.getByName("127.0.0.1"), 0);
        String issuer = provider.issuerUrl(ISSUER_ID).toString().replaceAll("/$", "");
        Http.Response created = admin.send("POST", "/realms/" + REALM + "/identity-provider/instances", """
                {"alias": "%s", "displayName": "Mock Social", "providerId": "oidc", "enabled": true, "trustEmail": true,
                 "config": {"clientId": "keycloak", "clientSecret": "mock-secret", "clientAuthMethod": "client_secret_post",
                            "issuer": "%s", "authorizationUrl": "%s/authorize", "tokenUrl": "%s/token", "jwksUrl": "%s/jwks",
                            "useJwksUrl": "true", "validateSignature": "true", "defaultScope": "openid email profile", "syncMode": "IMPORT"}}
                """.formatted(ALIAS, issuer, issuer, issuer, issuer));
        assertEquals(201, created.status(), created::toString);
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.send("DELETE", "/realms/" + REALM + "/identity-provider/instances/" + ALIAS, null);
        }
        if (provider != null) {
            provider.shutdown();
        }
    }

    /** The provider's next sign-in: this subject, this address, this email_verified. */
    private static String nextSocialUser(String email, boolean verified) {
        String subject = "social-sub-" + System.nanoTime();
        provider.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER_ID, subject, "JWT", List.of("keycloak"),
                Map.of("email", email, "email_verified", verified, "given_name", "Social", "family_name", "Person",
                        "preferred_username", email), 3600));
        return subject;
    }

    private static void clickTheSocialButton(Page page, PageAudit audit) {
        page.navigate(server.baseUri() + "/signin");
        assertEquals("Sign in with Mock Social", page.locator("#social-" + ALIAS).textContent().trim());
        if (audit != null) {
            audit.audit(page, "sign-in with a social provider");
        }
        page.locator("#social-" + ALIAS).click();
    }

    private static JsonNode theUser(String email) {
        JsonNode users = admin.getJson("/realms/" + REALM + "/users?exact=true&email=" + email);
        assertEquals(1, users.size(), "one account with " + email);
        return users.get(0);
    }

    private static void linkedTo(JsonNode user, String subject) {
        JsonNode links = admin.getJson("/realms/" + REALM + "/users/" + user.path("id").asText() + "/federated-identity");
        assertEquals(ALIAS, links.get(0).path("identityProvider").asText());
        assertEquals(subject, links.get(0).path("userId").asText());
    }

    @Test
    void aFirstSocialSignInCreatesTheAccountAndEndsOnTheProfile() {
        PageAudit audit = new PageAudit();
        String email = "social-" + System.nanoTime() + "@example.com";
        String subject = nextSocialUser(email, true);
        try (BrowserContext context = chromium.newContext()) {
            Page page = context.newPage();
            clickTheSocialButton(page, audit);
            page.waitForURL("**/realms/authority/profile", new Page.WaitForURLOptions().setTimeout(30_000));
            assertTrue(page.locator("#profile-email").textContent().contains(email), page.content());
            assertTrue(page.content().contains("Mock Social"), "the linked account on the profile");
            audit.audit(page, "profile after a social sign-in");
        }
        JsonNode user = theUser(email);
        assertTrue(user.path("emailVerified").asBoolean(), "the provider vouched for the address");
        linkedTo(user, subject);
        assertEquals(List.of(), audit.problems("social sign-in pages"));
    }

    @Test
    void anAddressTheProviderDoesNotVouchForStaysUnverified(MailServer mail) {
        String email = "social-unverified-" + System.nanoTime() + "@example.com";
        nextSocialUser(email, false);
        PageAudit audit = new PageAudit();
        try (BrowserContext context = chromium.newContext()) {
            Page page = context.newPage();
            clickTheSocialButton(page, null);
            page.waitForURL("**/realms/authority/profile", new Page.WaitForURLOptions().setTimeout(30_000));
            assertTrue(page.locator("#profile-resend").isVisible(), "the profile offers a verification mail");
            // the button answers the browser with a page (the API's JSON is for API clients), and the mail goes out
            page.locator("#profile-resend").click();
            page.waitForLoadState();
            assertTrue(page.locator("#email-verify-sent").isVisible(), "the page says the mail is on its way: " + page.content());
            audit.audit(page, "verification mail sent");
            page.locator("#to-profile").click();
            page.waitForURL("**/realms/authority/profile");
        }
        mail.await(email, 1);
        assertEquals(List.of(), audit.problems("verification mail sent"));
        assertFalse(theUser(email).path("emailVerified").asBoolean(), "email_verified: false");
    }

    @Test
    void theAddressOfAnExistingAccountLinksOnlyAfterItsOwnerConfirmsByMail(MailServer mail) {
        PageAudit audit = new PageAudit();
        String email = Fixtures.user(admin, REALM, "social-existing", "Existing-password-1");
        String subject = nextSocialUser(email, true);
        try (BrowserContext context = chromium.newContext()) {
            Page page = context.newPage();
            clickTheSocialButton(page, null);
            page.waitForSelector("#linkAccount");
            audit.audit(page, "social sign-in: account exists");
            assertTrue(admin.getJson("/realms/" + REALM + "/users/" + theUser(email).path("id").asText() + "/federated-identity").isEmpty(),
                    "nothing is linked before the owner confirms");
            page.locator("#linkAccount").click();
            page.waitForLoadState();
            audit.audit(page, "social sign-in: confirm by mail");
            MailServer.Mail confirm = mail.await(email, 1);
            assertTrue(confirm.html().contains("class=\"authority-mail\""), "Keycloak's mail in the pack's frame: " + confirm.html());
            page.navigate(confirm.link(server.baseUri() + "/realms/authority/login-actions/action-token"));
            page.waitForURL("**/realms/authority/profile", new Page.WaitForURLOptions().setTimeout(30_000));
            assertTrue(page.content().contains("Mock Social"), "the linked account on the profile");
        }
        linkedTo(theUser(email), subject);
        assertEquals(List.of(), audit.problems("account-linking pages"));
    }

    @Test
    void aSignedInUserLinksTheProviderFromTheProfile() {
        PageAudit audit = new PageAudit();
        String email = Fixtures.user(admin, REALM, "social-link", "Linking-password-1");
        String subject = nextSocialUser("elsewhere-" + System.nanoTime() + "@example.com", true); // the provider's own address
        try (BrowserContext context = chromium.newContext()) {
            Page page = context.newPage();
            page.navigate(server.baseUri() + "/realms/authority/signin");
            page.locator("#email").fill(email);
            page.locator("#password").fill("Linking-password-1");
            page.locator("#signin-submit").click();
            page.waitForURL("**/realms/authority/profile");
            page.locator("#link-" + ALIAS).click();
            page.waitForSelector("#kc-continue"); // Keycloak asks before it links
            audit.audit(page, "link a social account");
            page.locator("#kc-continue").click();
            page.waitForURL("**/realms/authority/profile", new Page.WaitForURLOptions().setTimeout(30_000));
            assertEquals(0, page.locator("#link-" + ALIAS).count(), "linked: no link button any more");
            assertTrue(page.locator("#profile-linked-accounts").textContent().contains("Mock Social"));
        }
        linkedTo(theUser(email), subject);
        assertEquals(List.of(), audit.problems("account-linking pages"));
    }

    @Test
    void theSignInPageOffersOnlyEnabledProvidersAndTheRouteKnowsNoOther() {
        Http http = new Http(server.baseUri());
        JsonNode page = http.get("/realms/authority/signin", "Accept", "application/json").json();
        List<String> offered = page.path("identity_providers").findValuesAsText("alias");
        assertEquals(List.of(ALIAS), offered, "the realm export's google, github and oidc entries are disabled");
        Http.Response unknown = http.get("/realms/authority/signin/social/google");
        assertEquals(404, unknown.status(), unknown::toString);
        assertEquals("unknown_identity_provider", unknown.json().path("error").asText());
        // the end of a social sign-in without a session goes back to the sign-in page, whatever the state says
        String evil = Base64.getEncoder().encodeToString("https://evil.example/".getBytes());
        Http.Response complete = http.get("/realms/authority/signin/complete?state=" + evil);
        assertEquals(302, complete.status());
        assertEquals("/realms/authority/signin", URI.create(complete.header("Location")).getPath());
        // linking needs a signed-in user and a provider the realm offers
        assertEquals(302, http.get("/realms/authority/profile/link/" + ALIAS).status(), "to the sign-in page first");
        assertEquals("/realms/authority/signin", URI.create(http.get("/realms/authority/profile/link/" + ALIAS).header("Location")).getPath());
        // the forward_url the button carries must be allowed, or the sign-in ends on the profile
        Http.Response start = http.get("/realms/authority/signin/social/" + ALIAS + "?forward_url=" + evil);
        assertEquals(302, start.status(), start::toString);
        assertTrue(start.header("Location").contains("/broker/" + ALIAS + "/login?"), start.header("Location"));
    }
}
