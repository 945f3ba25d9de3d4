package dev.authoritypack.it.account;

import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.FormClient;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.MailServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Email verification by mail: /account/email/resend and /account/email/verify, JSON and the mailed page. */
@PackIntegrationTest
class EmailVerificationIT {

    static final String PASSWORD = "Verify-password-1";
    static final String VERIFY_LINK = "/realms/authority/account/email/verify?token=";

    private static AccountFixture fx;
    private static MailServer mail;
    private static Map<String, String> previous;

    @BeforeAll
    static void setUp(AdminApi admin, KeycloakServer server, MailServer mailServer) {
        fx = new AccountFixture(admin, server);
        mail = mailServer;
        previous = fx.attributes(Map.of("authority.account.mails-per-client-address", "100000"));
    }

    @AfterAll
    static void tearDown() {
        fx.attributes(previous);
    }

    private String unverifiedUser(String prefix) {
        String email = fx.user(prefix, PASSWORD);
        fx.updateUser(email, Json.text("emailVerified", false, "requiredActions", List.of("VERIFY_EMAIL")));
        return email;
    }

    private Http.Response resend(String base, String email) {
        return fx.http().postJson(base + "/account/email/resend", Json.text("email", email));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/realms/authority"})
    void theMailedLinkVerifiesWithAPostNeverAGet(String base) {
        String email = unverifiedUser("verify");
        Http.Response r = resend(base, email);
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.json().get("message").asText().startsWith("If an account"), r::toString);
        MailServer.Mail m = mail.await(email, 1);
        assertEquals("Verify your email address", m.subject());
        assertFalse(m.html().isEmpty());
        String link = m.link(fx.server.baseUri() + VERIFY_LINK);

        Http browser = fx.http();
        for (String accept : new String[]{"text/html", "*/*", "application/json"}) {
            assertEquals(200, browser.get(link, "Accept", accept).status());
        }
        assertEquals(200, browser.method("HEAD", link).status());
        assertFalse(fx.userRep(email).get("emailVerified").asBoolean(), "opening the link verifies nothing");

        Http.Response page = browser.get(link, "Accept", "text/html");
        assertTrue(page.body().contains("id=\"email-verify-form\""), page.body());
        Http.Response done = browser.postForm(FormClient.formAction(page.body(), "email-verify-form"), FormClient.hiddenInputs(page.body()),
                "Accept", "text/html", "Origin", fx.server.baseUri().toString(), "Sec-Fetch-Site", "same-origin");
        assertEquals(200, done.status(), done::toString);
        assertTrue(done.body().contains("id=\"email-verify-done\""), done.body());
        assertTrue(fx.userRep(email).get("emailVerified").asBoolean());
        assertEquals(0, fx.userRep(email).get("requiredActions").size(), "Keycloak's VERIFY_EMAIL action is gone");

        Http.Response again = fx.http().postJson(base + "/account/email/verify",
                Json.text("token", m.token(fx.server.baseUri() + VERIFY_LINK)));
        assertEquals(400, again.status(), "a verification token works once");
        assertEquals("invalid_token", again.json().get("error").asText());
    }

    @Test
    void jsonVerification() {
        String email = unverifiedUser("json");
        resend("", email);
        String token = mail.await(email, 1).token(fx.server.baseUri() + VERIFY_LINK);
        Http.Response r = fx.http().postJson("/account/email/verify", Json.text("token", token));
        assertEquals(200, r.status(), r::toString);
        assertTrue(r.json().get("email_verified").asBoolean());
        Http.Response garbage = fx.http().postJson("/account/email/verify", Json.text("token", "garbage"));
        assertEquals(400, garbage.status());
        assertEquals("invalid_token", garbage.json().get("error").asText());
        Http.Response missing = fx.http().postJson("/account/email/verify", "{}");
        assertEquals(400, missing.status());
        assertEquals("invalid_request", missing.json().get("error").asText());
        // a reset token is not a verification token, nor the other way round
        Http.Response wrongType = fx.http().postJson("/account/password/confirm",
                Http.JSON.createObjectNode().put("token", token).put("password", "Whatever-password-7").toString());
        assertEquals("invalid_token", wrongType.json().get("error").asText());
    }

    @Test
    void resendMailsOnlyUnverifiedEnabledAccountsOncePerCooldown() {
        String unverified = unverifiedUser("cooldown");
        assertEquals(200, resend("", unverified).status());
        assertEquals(200, resend("", unverified).status());
        mail.await(unverified, 1);
        mail.assertNoMoreThan(unverified, 1, Duration.ofSeconds(2));

        String verified = fx.user("already", PASSWORD);
        String disabled = unverifiedUser("disabled");
        fx.updateUser(disabled, Json.text("enabled", false));
        assertEquals(200, resend("", verified).status());
        assertEquals(200, resend("", disabled).status());
        mail.assertNoMoreThan(verified, 0, Duration.ofSeconds(2));
        mail.assertNoMoreThan(disabled, 0, Duration.ZERO);
    }

    @Test
    void anotherSitesFormVerifiesNothing() {
        String email = unverifiedUser("csrf");
        resend("", email);
        String token = mail.await(email, 1).token(fx.server.baseUri() + VERIFY_LINK);
        Http.Response forged = fx.http().postForm("/realms/authority/account/email/verify", Map.of("token", token),
                "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site");
        assertEquals(403, forged.status(), forged::toString);
        assertFalse(fx.userRep(email).get("emailVerified").asBoolean());
    }
}
