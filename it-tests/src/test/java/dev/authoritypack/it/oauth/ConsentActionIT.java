package dev.authoritypack.it.oauth;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.ApiTraffic;
import dev.authoritypack.it.support.Fixtures;
import dev.authoritypack.it.support.FormClient;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consent answer of {@code docs/routes.md}, {@code POST /authorize} with {@code consent_action=approve|deny}: approval continues to
 * the client with a code that a real OAuth client (Nimbus) exchanges; denial is {@code access_denied} with the state;
 * it only answers a consent this browser's sign-in is waiting for, for the same request, from this site.
 */
@PackIntegrationTest
class ConsentActionIT {

    private static final String REALM = "authority";
    private static final String CLIENT = "consent-action-it";
    private static final String REDIRECT = "http://localhost:4000/consent-cb";
    private static final String PASSWORD = "Consent-password-1";
    private static AdminApi admin;
    private static KeycloakServer server;

    @BeforeAll
    static void client(AdminApi adminApi, KeycloakServer keycloak) {
        admin = adminApi;
        server = keycloak;
        Fixtures.consentClient(admin, REALM, CLIENT, "Consent Action App", REDIRECT);
    }

    /** A signed-in browser whose authorization request waits at the consent screen; returns the request's parameters. */
    private static Map<String, String> waitingAtConsent(Http http, String state, CodeVerifier verifier) {
        String email = Fixtures.user(admin, REALM, "consent", PASSWORD);
        assertEquals(302, http.postForm("/signin", Map.of("email", email, "password", PASSWORD)).status());
        Map<String, String> request = new LinkedHashMap<>();
        request.put("response_type", "code");
        request.put("client_id", CLIENT);
        request.put("redirect_uri", REDIRECT);
        request.put("scope", "openid email");
        request.put("state", state);
        request.put("code_challenge", CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue());
        request.put("code_challenge_method", "S256");
        StringBuilder query = new StringBuilder();
        request.forEach((k, v) -> query.append(query.isEmpty() ? "?" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        Http.Response consent = new FormClient(http).open("/realms/authority/authorize" + query, REDIRECT);
        assertEquals(200, consent.status(), "the consent screen: " + consent);
        return request;
    }

    private static Map<String, String> with(Map<String, String> request, String name, String value) {
        Map<String, String> form = new LinkedHashMap<>(request);
        form.put(name, value);
        return form;
    }

    private static String origin() {
        return server.baseUri().toString();
    }

    @Test
    void approvalContinuesToTheClientWithACodeTheClientExchanges() throws Exception {
        Http http = new Http(server.baseUri());
        CodeVerifier verifier = new CodeVerifier();
        Map<String, String> request = waitingAtConsent(http, "state-approve", verifier);

        Http.Response approved = http.postForm("/realms/authority/authorize", with(request, "consent_action", "approve"), "Origin", origin());
        assertEquals(302, approved.status(), approved::toString);
        URI location = URI.create(approved.header("Location"));
        assertTrue(location.toString().startsWith(REDIRECT + "?"), location::toString);
        Map<String, String> answer = query(location);
        assertEquals("state-approve", answer.get("state"));
        TokenResponse tokens = OIDCTokenResponseParser.parse(ApiTraffic.send(new TokenRequest(URI.create(server.baseUri() + "/realms/authority/token"),
                new ClientID(CLIENT), new AuthorizationCodeGrant(new AuthorizationCode(answer.get("code")), URI.create(REDIRECT), verifier), null)
                .toHTTPRequest()));
        assertTrue(tokens.indicatesSuccess(), () -> tokens.toErrorResponse().getErrorObject().toString());

        // the consent is remembered: shown on the profile, and the next request of the client needs no screen
        assertTrue(http.get("/realms/authority/profile", "Accept", "application/json").body().contains(CLIENT));
        Http.Response again = new FormClient(http).open("/realms/authority/authorize?response_type=code&client_id=" + CLIENT + "&redirect_uri=" + REDIRECT
                + "&scope=openid%20email&state=s2&code_challenge=" + request.get("code_challenge") + "&code_challenge_method=S256", REDIRECT);
        assertEquals(302, again.status(), again::toString);
        assertTrue(again.header("Location").contains("code="));
    }

    @Test
    void denialSendsAccessDeniedWithTheState() {
        Http http = new Http(server.baseUri());
        Map<String, String> request = waitingAtConsent(http, "state-deny", new CodeVerifier());
        Http.Response denied = http.postForm("/realms/authority/authorize", with(request, "consent_action", "deny"), "Origin", origin());
        assertEquals(302, denied.status(), denied::toString);
        Map<String, String> answer = query(URI.create(denied.header("Location")));
        assertEquals("access_denied", answer.get("error"));
        assertEquals("state-deny", answer.get("state"));
        assertTrue(answer.get("error_description") != null && !answer.get("error_description").isBlank(),
                "error, error_description and state (issue 32): " + denied.header("Location"));
        assertTrue(!http.get("/realms/authority/profile", "Accept", "application/json").body().contains(CLIENT), "nothing remembered");
    }

    @Test
    void aConsentNotBoundToThisBrowsersPendingRequestGrantsNothing() {
        Http http = new Http(server.baseUri());
        Map<String, String> request = waitingAtConsent(http, "state-bound", new CodeVerifier());

        Http.Response stranger = new Http(server.baseUri()).postForm("/realms/authority/authorize", with(request, "consent_action", "approve"));
        assertEquals(400, stranger.status(), "another browser has no such sign-in: " + stranger);
        assertEquals("invalid_request", stranger.json().path("error").asText());
        Http.Response crossSite = http.postForm("/realms/authority/authorize", with(request, "consent_action", "approve"),
                "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site");
        assertEquals(403, crossSite.status(), crossSite::toString);
        assertEquals(400, http.postForm("/realms/authority/authorize", with(with(request, "state", "other-state"), "consent_action", "approve")).status(),
                "another request's state");
        assertEquals(400, http.postForm("/realms/authority/authorize", with(with(request, "redirect_uri", REDIRECT + "/x"), "consent_action", "approve")).status());
        assertEquals(400, http.postForm("/realms/authority/authorize", with(with(request, "code_challenge", "x".repeat(43)), "consent_action", "approve")).status());
        Http.Response unknown = http.postForm("/realms/authority/authorize", with(request, "consent_action", "yes"));
        assertEquals(400, unknown.status(), "only approve and deny: an unknown value is never an approval");

        // none of these touched the waiting request: the user's own approval still works
        Http.Response approved = http.postForm("/realms/authority/authorize", with(request, "consent_action", "approve"));
        assertEquals(302, approved.status(), approved::toString);
        assertTrue(approved.header("Location").contains("code="), approved::toString);
        // and only once: the sign-in is no longer waiting
        assertEquals(400, http.postForm("/realms/authority/authorize", with(request, "consent_action", "approve")).status());
    }

    @Test
    void aFormPostAuthorizationRequestStillGoesToKeycloak() {
        Http http = new Http(server.baseUri());
        Map<String, String> request = waitingAtConsent(http, "state-form", new CodeVerifier());
        Http.Response page = new FormClient(http).follow(http.postForm("/realms/authority/authorize", request), REDIRECT);
        assertEquals(200, page.status(), "the request sent as a form shows the consent screen again: " + page);
        assertTrue(page.body().contains("Consent Action App"), "Keycloak's consent screen names the application");
        Http.Response root = http.postForm("/authorize", with(request, "consent_action", "approve"));
        assertEquals(307, root.status(), "at the host root the browser is sent to the issuer route, body kept");
        assertEquals(server.baseUri().getPath() + "/realms/authority/authorize", URI.create(root.header("Location")).getPath());
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            params.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }
}
