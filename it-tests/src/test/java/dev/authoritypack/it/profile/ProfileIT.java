package dev.authoritypack.it.profile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.FormClient;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import dev.authoritypack.it.support.Pkce;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /profile} as {@code docs/account.md} describes it: the signed-in user's details, email verification, MFA, linked accounts, sessions
 * and applications with access, as a page or JSON; its changes (sign out a session or all others, revoke an
 * application, unlink an account) need the session's form token, come from this site, and reach only the user's
 * own sessions, applications and links.
 */
@PackIntegrationTest
class ProfileIT {

    private static final String REALM = "authority";
    private static final String PASSWORD = "Profile-password-1";
    private static final String CONSENT_CLIENT = "profile-consent-it";
    private static final String REDIRECT = "http://localhost:4000/cb";
    private static AdminApi admin;
    private static KeycloakServer server;

    @BeforeAll
    static void setUp(AdminApi adminApi, KeycloakServer keycloak) {
        admin = adminApi;
        server = keycloak;
        Fixtures.consentClient(admin, REALM, CONSENT_CLIENT, "Profile Test App", REDIRECT);
    }

    private static String user(String prefix) {
        return Fixtures.user(admin, REALM, prefix, PASSWORD);
    }

    /** A browser signed in through /signin; the answer's redirect is followed to the profile. */
    private static Http signedIn(String email) {
        Http browser = new Http(server.baseUri());
        Http.Response signin = browser.postForm("/signin", Map.of("email", email, "password", PASSWORD));
        assertEquals(302, signin.status(), signin::toString);
        assertEquals("/realms/authority/profile", local(signin.header("Location")), "a sign-in without forward_url lands on the profile");
        return browser;
    }

    /** A Location as path and query: JAX-RS makes relative ones absolute. */
    private static String local(String location) {
        java.net.URI uri = java.net.URI.create(location);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    private static JsonNode profileJson(Http browser) {
        Http.Response r = browser.get("/realms/authority/profile", "Accept", "application/json");
        assertEquals(200, r.status(), r::toString);
        assertEquals("no-store", r.header("Cache-Control"));
        return r.json();
    }

    private static Http.Response post(Http browser, Map<String, String> form, String... headers) {
        return browser.postForm("/realms/authority/profile", form, headers);
    }

    @Test
    void withoutASessionTheProfileAsksForASignIn() {
        Http http = new Http(server.baseUri());
        Http.Response page = http.get("/realms/authority/profile");
        assertEquals(302, page.status(), page::toString);
        String forward = Base64.getUrlEncoder().withoutPadding().encodeToString("/realms/authority/profile".getBytes(StandardCharsets.UTF_8));
        assertEquals("/realms/authority/signin?forward_url=" + forward, local(page.header("Location")));
        Http.Response json = http.get("/realms/authority/profile", "Accept", "application/json");
        assertEquals(401, json.status());
        assertEquals("login_required", json.json().path("error").asText());
        Http.Response root = http.get("/profile?x=1");
        assertEquals(307, root.status(), "the session cookies live under the issuer");
        assertEquals("/realms/authority/profile?x=1", local(root.header("Location")));
        assertEquals(302, http.postForm("/realms/authority/profile", Map.of("action", "signout_others")).status(), "no session, no change");
    }

    @Test
    void theProfileShowsTheUserTheirSecondFactorAndEverySession() {
        String email = user("profile");
        String userId = admin.getJson("/realms/authority/users?exact=true&email=" + email).get(0).path("id").asText();
        assertEquals(204, admin.send("PUT", "/realms/authority/users/" + userId, Json.text("emailVerified", false)).status());
        Http phone = signedIn(email);
        Http laptop = signedIn(email);
        JsonNode profile = profileJson(laptop);
        assertEquals(email, profile.path("user").path("email").asText());
        assertFalse(profile.path("user").path("email_verified").asBoolean());
        assertEquals("Test", profile.path("user").path("first_name").asText());
        assertFalse(profile.path("mfa").path("enabled").asBoolean());
        assertEquals(2, profile.path("sessions").size(), profile::toPrettyString);
        assertFalse(profile.path("more_sessions").asBoolean(true), "every session is listed");
        assertTrue(profile.path("sessions").get(0).path("current").asBoolean(), "this session first");
        assertFalse(profile.path("sessions").get(1).path("current").asBoolean());
        assertEquals("127.0.0.1", profile.path("sessions").get(0).path("ip_address").asText());
        assertTrue(profile.path("linked_accounts").isArray());
        assertTrue(profile.path("csrf_token").asText().length() >= 32);

        Http.Response page = laptop.get("/realms/authority/profile");
        assertEquals(200, page.status());
        assertTrue(page.header("Content-Type").startsWith("text/html"));
        for (String shown : List.of(email, "Email verified", "profile-resend", "Turn on two-factor authentication", "(this session)",
                "Sign out all other sessions", "<caption>", "scope=\"col\"")) {
            assertTrue(page.body().contains(shown), "the page shows " + shown);
        }
        // the phone's session is the other one on its own profile
        JsonNode fromPhone = profileJson(phone);
        assertEquals(profile.path("sessions").get(1).path("id").asText(), fromPhone.path("sessions").get(0).path("id").asText());
    }

    /**
     * The page writes times for people (docs/pages.md, *Times*): recent ones relative ("just now", "2 minutes ago"),
     * with the date and time in UTC as title, in the page's language, inside {@code <time datetime>} holding the
     * instant the JSON gives; the JSON keeps ISO-8601. And the pack's page carries the realm's security headers.
     */
    @Test
    void theProfileShowsTimesForPeopleInThePagesLanguage() {
        String email = user("times");
        Http browser = signedIn(email);
        String started = profileJson(browser).path("sessions").get(0).path("started").asText();
        assertTrue(started.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), "the JSON keeps ISO-8601: " + started);
        java.time.Instant instant = java.time.Instant.parse(started);

        Http.Response en = browser.get("/realms/authority/profile", "Accept-Language", "en");
        assertEquals(200, en.status(), en::toString);
        java.util.regex.Matcher time = java.util.regex.Pattern.compile("<time datetime=\"" + java.util.regex.Pattern.quote(started)
                + "\" title=\"([^\"]+)\">([^<]+)</time>").matcher(en.body());
        assertTrue(time.find(), "the session's start in <time>: " + en.body());
        assertTrue(time.group(2).matches("just now|1 minute ago|\\d+ minutes ago"), time.group(2));
        String enDate = java.time.format.DateTimeFormatter.ofPattern("MMM d, yyyy", java.util.Locale.ENGLISH)
                .withZone(java.time.ZoneOffset.UTC).format(instant);
        assertTrue(time.group(1).startsWith(enDate) && time.group(1).endsWith(" UTC"), "the date and time as title: " + time.group(1));
        assertFalse(en.body().contains(">" + started + "<"), "no raw instant for people to read");

        String csp = en.header("Content-Security-Policy");
        assertTrue(csp != null && csp.contains("script-src 'self'") && csp.contains("style-src 'self'") && !csp.contains("'unsafe-inline'"),
                "the pack's page has the realm's Content-Security-Policy: " + csp);

        Http.Response de = browser.get("/realms/authority/profile?kc_locale=de");
        assertEquals(200, de.status(), de::toString);
        time = java.util.regex.Pattern.compile("<time datetime=\"" + java.util.regex.Pattern.quote(started)
                + "\" title=\"([^\"]+)\">([^<]+)</time>").matcher(de.body());
        assertTrue(time.find(), "the session's start in <time>: " + de.body());
        assertTrue(time.group(2).matches("gerade eben|vor 1 Minute|vor \\d+ Minuten"), time.group(2));
        String deDate = java.time.format.DateTimeFormatter.ofPattern("dd.MM.yyyy").withZone(java.time.ZoneOffset.UTC).format(instant);
        assertTrue(time.group(1).startsWith(deDate + ", ") && time.group(1).endsWith(" UTC"), "Datum und Uhrzeit als Titel: " + time.group(1));
    }

    @Test
    void signingOutOtherSessionsNeedsTheFormTokenAndKeepsThisOne() {
        String email = user("others");
        Http phone = signedIn(email);
        Http laptop = signedIn(email);
        JsonNode profile = profileJson(laptop);
        String token = profile.path("csrf_token").asText();

        // another site's form, a missing or wrong token, an unknown action: refused, nothing changes
        assertEquals(403, post(laptop, Map.of("action", "signout_others", "csrf_token", token), "Origin", "https://evil.example").status());
        assertEquals(403, post(laptop, Map.of("action", "signout_others", "csrf_token", token), "Sec-Fetch-Site", "cross-site").status());
        assertEquals(403, post(laptop, Map.of("action", "signout_others")).status());
        // one character changed (a token that starts with "x" made "x" + the rest the very token: 1 run in 64)
        String wrong = (token.charAt(0) == 'x' ? "y" : "x") + token.substring(1);
        assertEquals(403, post(laptop, Map.of("action", "signout_others", "csrf_token", wrong)).status());
        Http.Response unknown = post(laptop, Map.of("action", "delete_everything", "csrf_token", token), "Accept", "application/json");
        assertEquals(400, unknown.status());
        assertEquals("invalid_request", unknown.json().path("error").asText());
        // the phone's token is its session's, not the laptop's
        assertEquals(403, post(laptop, Map.of("action", "signout_others", "csrf_token", profileJson(phone).path("csrf_token").asText())).status());
        // a GET with the same parameters is only a page view
        assertEquals(200, laptop.get("/realms/authority/profile?action=signout_others&csrf_token=" + token).status());
        assertEquals(2, profileJson(phone).path("sessions").size());

        Http.Response done = post(laptop, Map.of("action", "signout_others", "csrf_token", token), "Origin", server.baseUri().toString());
        assertEquals(303, done.status(), done::toString);
        assertEquals("/realms/authority/profile", local(done.header("Location")));
        assertEquals(401, phone.get("/realms/authority/profile", "Accept", "application/json").status(), "the phone is signed out");
        assertEquals(1, profileJson(laptop).path("sessions").size(), "the laptop stays signed in");
    }

    /**
     * A user with more sessions than the profile lists (each /api/login or sign-in makes one; docs/load.md measured
     * 8 s for a profile of 10,000): the current session and 50 others, {@code more_sessions} true and the page says
     * so; signing out the others ends every one of them, listed or not.
     */
    @Test
    void aUserWithManySessionsSeesFiftyOthersAndCanEndThemAll() {
        String email = user("many");
        List<Http> others = new java.util.ArrayList<>();
        for (int i = 0; i < 52; i++) {
            others.add(signedIn(email));
        }
        Http laptop = signedIn(email);
        JsonNode profile = profileJson(laptop);
        assertEquals(51, profile.path("sessions").size(), "this session and 50 others");
        assertTrue(profile.path("more_sessions").asBoolean(), profile.path("more_sessions")::toString);
        assertTrue(profile.path("sessions").get(0).path("current").asBoolean(), "this session first");
        java.util.Set<String> ids = new java.util.HashSet<>();
        profile.path("sessions").forEach(s -> ids.add(s.path("id").asText()));
        assertEquals(51, ids.size(), "no session twice");
        Http.Response page = laptop.get("/realms/authority/profile");
        assertTrue(page.body().contains("id=\"profile-more-sessions\""), "the page says there are more");
        assertTrue(page.body().contains("50 others"), "the page says how many it lists");

        Http.Response done = post(laptop, Map.of("action", "signout_others", "csrf_token", profile.path("csrf_token").asText()),
                "Accept", "application/json");
        assertEquals(200, done.status(), done::toString);
        assertEquals("52 other sessions were signed out.", done.json().path("message").asText());
        JsonNode after = profileJson(laptop);
        assertEquals(1, after.path("sessions").size());
        assertFalse(after.path("more_sessions").asBoolean());
        assertFalse(laptop.get("/realms/authority/profile").body().contains("profile-more-sessions"));
        for (Http other : List.of(others.get(0), others.get(51))) {
            assertEquals(401, other.get("/realms/authority/profile", "Accept", "application/json").status(), "every other session ended");
        }
    }

    @Test
    void oneSessionIsSignedOutOnlyWhenItIsTheUsersOwn() {
        String email = user("one");
        String stranger = user("stranger");
        Http phone = signedIn(email);
        Http laptop = signedIn(email);
        Http strangersBrowser = signedIn(stranger);
        String strangersSession = profileJson(strangersBrowser).path("sessions").get(0).path("id").asText();
        JsonNode profile = profileJson(laptop);
        String token = profile.path("csrf_token").asText();
        String phoneSession = profile.path("sessions").get(1).path("id").asText();

        Http.Response foreign = post(laptop, Map.of("action", "signout_session", "session_id", strangersSession, "csrf_token", token),
                "Accept", "application/json");
        assertEquals(404, foreign.status(), "another user's session is not the user's to end");
        assertEquals(200, strangersBrowser.get("/realms/authority/profile", "Accept", "application/json").status());
        assertEquals(404, post(laptop, Map.of("action", "signout_session", "session_id", "no-such-session", "csrf_token", token)).status());

        Http.Response ended = post(laptop, Map.of("action", "signout_session", "session_id", phoneSession, "csrf_token", token), "Accept", "application/json");
        assertEquals(200, ended.status(), ended::toString);
        assertEquals(1, ended.json().path("sessions").size(), "the JSON answer is the updated profile");
        assertEquals(401, phone.get("/realms/authority/profile", "Accept", "application/json").status());
    }

    @Test
    void anApplicationsAccessShowsAndCanBeRevoked() {
        String email = user("consent");
        Http http = signedIn(email);
        FormClient browser = new FormClient(http);
        Http.Response consentPage = browser.open("/realms/authority/protocol/openid-connect/auth?response_type=code&client_id=" + CONSENT_CLIENT
                + "&redirect_uri=" + REDIRECT + "&scope=openid%20email&state=s" + Pkce.S256_PARAMS, REDIRECT);
        assertEquals(200, consentPage.status(), consentPage::toString);
        Http.Response approved = browser.consent(consentPage, true, REDIRECT);
        assertTrue(approved.header("Location").startsWith(REDIRECT) && approved.header("Location").contains("code="), approved::toString);

        JsonNode profile = profileJson(http);
        JsonNode app = profile.path("applications").get(0);
        assertEquals(CONSENT_CLIENT, app.path("client_id").asText(), profile::toPrettyString);
        assertEquals("Profile Test App", app.path("name").asText());
        assertTrue(app.path("scopes").toString().contains("email"), app::toString);
        assertTrue(http.get("/realms/authority/profile").body().contains("Revoke access of Profile Test App"));

        String token = profile.path("csrf_token").asText();
        assertEquals(404, post(http, Map.of("action", "revoke_consent", "client_id", "account", "csrf_token", token)).status(),
                "no consent to that client");
        assertEquals(303, post(http, Map.of("action", "revoke_consent", "client_id", CONSENT_CLIENT, "csrf_token", token)).status());
        assertEquals(0, profileJson(http).path("applications").size());
        Http.Response asksAgain = browser.open("/realms/authority/protocol/openid-connect/auth?response_type=code&client_id=" + CONSENT_CLIENT
                + "&redirect_uri=" + REDIRECT + "&scope=openid&state=s" + Pkce.S256_PARAMS, REDIRECT);
        assertEquals(200, asksAgain.status(), "revoked: the application has to ask again");
    }

    @Test
    void aLinkedAccountCanBeUnlinkedUnlessItIsTheLastWayIn() {
        String email = user("linked");
        String userId = admin.getJson("/realms/authority/users?exact=true&email=" + email).get(0).path("id").asText();
        link(userId, "auth0|" + userId);
        Http http = signedIn(email);
        JsonNode profile = profileJson(http);
        JsonNode auth0 = null;
        for (JsonNode account : profile.path("linked_accounts")) {
            if ("auth0".equals(account.path("provider").asText())) {
                auth0 = account;
            }
        }
        assertTrue(auth0 != null && auth0.path("linked").asBoolean(), profile::toPrettyString);
        String token = profile.path("csrf_token").asText();

        // without a password the link is the only way in: it stays
        JsonNode password = admin.getJson("/realms/authority/users/" + userId + "/credentials").get(0);
        assertEquals(204, admin.send("DELETE", "/realms/authority/users/" + userId + "/credentials/" + password.path("id").asText(), null).status());
        Http.Response last = post(http, Map.of("action", "unlink", "provider", "auth0", "csrf_token", token), "Accept", "application/json");
        assertEquals(400, last.status(), last::toString);
        assertEquals("last_sign_in_method", last.json().path("error").asText());
        assertEquals(1, admin.getJson("/realms/authority/users/" + userId + "/federated-identity").size());

        assertEquals(204, admin.send("PUT", "/realms/authority/users/" + userId + "/reset-password",
                Json.text("type", "password", "value", PASSWORD + "-2", "temporary", false)).status());
        assertEquals(404, post(http, Map.of("action", "unlink", "provider", "google", "csrf_token", token)).status());
        assertEquals(303, post(http, Map.of("action", "unlink", "provider", "auth0", "csrf_token", token)).status());
        assertEquals(0, admin.getJson("/realms/authority/users/" + userId + "/federated-identity").size());
    }

    private static void link(String userId, String auth0Id) {
        Http.Response r = admin.send("POST", "/realms/authority/users/" + userId + "/federated-identity/auth0",
                Json.text("identityProvider", "auth0", "userId", auth0Id, "userName", auth0Id));
        assertEquals(204, r.status(), r::toString);
    }
}
