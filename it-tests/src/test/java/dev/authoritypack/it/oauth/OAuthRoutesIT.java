package dev.authoritypack.it.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.device.DeviceCodeGrant;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.AuthenticationSuccessResponse;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.ApiTraffic;
import dev.authoritypack.it.support.FormClient;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import dev.authoritypack.it.support.Pkce;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static dev.authoritypack.it.oauth.OAuthClients.CONFIDENTIAL;
import static dev.authoritypack.it.oauth.OAuthClients.CONFIDENTIAL_SECRET;
import static dev.authoritypack.it.oauth.OAuthClients.CONSENT;
import static dev.authoritypack.it.oauth.OAuthClients.JWT_CLIENT;
import static dev.authoritypack.it.oauth.OAuthClients.NO_DIRECT;
import static dev.authoritypack.it.oauth.OAuthClients.ORIGIN;
import static dev.authoritypack.it.oauth.OAuthClients.PASSWORD;
import static dev.authoritypack.it.oauth.OAuthClients.REDIRECT;
import static dev.authoritypack.it.oauth.OAuthClients.RESOURCE_SERVER;
import static dev.authoritypack.it.oauth.OAuthClients.SHORT_DEVICE;
import static dev.authoritypack.it.oauth.OAuthClients.SPA;
import static dev.authoritypack.it.oauth.OAuthClients.USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every documented OAuth/OIDC route, driven with the Nimbus OAuth 2.0 SDK as a real client would, at both bases:
 * the host root ({@code ""}, default realm) and the realm's issuer ({@code /realms/authority}).
 */
@PackIntegrationTest
class OAuthRoutesIT {

    private static OAuthClients clients;
    private static KeycloakServer server;

    @BeforeAll
    static void clients(AdminApi admin, KeycloakServer keycloak) throws Exception {
        clients = OAuthClients.setUp(admin);
        server = keycloak;
    }

    private static URI at(String base, String path) {
        return URI.create(server.baseUri() + base + path);
    }

    private static String issuer() {
        return server.issuer(OAuthClients.REALM).toString();
    }

    private static HTTPResponse send(HTTPRequest request) throws Exception {
        request.setFollowRedirects(false);
        return ApiTraffic.send(request);
    }

    private static TokenResponse token(String base, ClientAuthentication auth, AuthorizationGrant grant, Scope scope) throws Exception {
        return OIDCTokenResponseParser.parse(send(new TokenRequest(at(base, "/oauth/token"), auth, grant, scope).toHTTPRequest()));
    }

    private static ClientSecretBasic confidentialBasic() {
        return new ClientSecretBasic(new ClientID(CONFIDENTIAL), new Secret(CONFIDENTIAL_SECRET));
    }

    private static ClientSecretBasic resourceServer() {
        return new ClientSecretBasic(new ClientID(RESOURCE_SERVER), new Secret(clients.resourceServerSecret));
    }

    /** Verifies a token's signature with the keys published at the documented JWKS route, and its issuer. */
    private static void assertSignedByRealm(String base, JWT jwt) throws Exception {
        JWKSet keys = JWKSet.parse(new Http(server.baseUri()).get(base + "/.well-known/jwks.json").body());
        SignedJWT signed = (SignedJWT) jwt;
        RSAKey key = (RSAKey) keys.getKeyByKeyId(signed.getHeader().getKeyID());
        assertNotNull(key, "token kid not in " + base + "/.well-known/jwks.json");
        assertTrue(signed.verify(new RSASSAVerifier(key)), "signature");
        assertEquals(issuer(), signed.getJWTClaimsSet().getIssuer());
    }

    /** Runs the browser part of an authorization request and returns the redirect back to the client. */
    /**
     * The shared user's sign-in, as a person would do it: Keycloak's brute-force protection holds a user from a
     * sign-in until its background thread has recorded the success (DefaultBlockingBruteForceProtector, Lockout.java),
     * so a sign-in right after the previous one may be answered 423 with {@code Retry-After: 1}; a person tries again
     * a second later on the page shown, and so does this, once. A real lockout (a longer wait) is not retried.
     */
    private static Http.Response signIn(FormClient browser, Http.Response login, String stopAt) {
        Http.Response r = browser.login(login, USER, PASSWORD, stopAt);
        if (r.status() == 423 && "1".equals(r.header("Retry-After"))) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            r = browser.login(r, USER, PASSWORD, stopAt); // the page shown again, with its form
        }
        return r;
    }

    private static URI authorize(String base, AuthenticationRequest request) {
        FormClient browser = new FormClient(new Http(server.baseUri()));
        Http.Response login = browser.open(request.toURI().toString(), REDIRECT);
        assertEquals(200, login.status(), login::toString);
        Http.Response back = signIn(browser, login, REDIRECT);
        assertEquals(302, back.status(), back::toString);
        return URI.create(back.header("Location"));
    }

    // ---- discovery and keys ---------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "/realms/authority"})
    void discoveryIsTheIssuersWithPublicCaching(String base, Http http) {
        Http.Response r = http.get(base + "/.well-known/openid-configuration", "Origin", "http://127.0.0.1:3111");
        assertEquals(200, r.status(), r::toString);
        assertEquals("public, max-age=3600", r.header("Cache-Control"));
        assertVaryOrigin(r);
        assertNull(r.header("Pragma"));
        assertEquals(issuer(), r.json().get("issuer").asText(), "discovery must name the realm issuer, the iss of every token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/realms/authority"})
    void jwksIsServedWithPublicCaching(String base, Http http) throws Exception {
        Http.Response r = http.get(base + "/.well-known/jwks.json", "Origin", "http://127.0.0.1:3111");
        assertEquals(200, r.status(), r::toString);
        assertEquals("public, max-age=3600", r.header("Cache-Control"));
        assertVaryOrigin(r);
        assertFalse(JWKSet.parse(r.body()).getKeys().isEmpty());
    }

    /**
     * A cached public document must be kept per Origin: Keycloak echoes the caller's origin in its CORS headers, and
     * a second app on another origin would otherwise get the first one's copy, which its browser refuses (issue 33).
     */
    private static void assertVaryOrigin(Http.Response r) {
        java.util.List<String> vary = r.raw().headers().allValues("Vary").stream().flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .map(String::trim).toList();
        assertTrue(vary.stream().anyMatch("Origin"::equalsIgnoreCase), "Vary: " + vary);
    }

    // ---- authorization endpoint -----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"S256", "plain"})
    void authorizationCodeWithPkceAtTheHostRoot(String method) throws Exception {
        codeFlowWithPkce("", CodeChallengeMethod.parse(method));
    }

    @Test
    void authorizationCodeWithPkceAtTheIssuer() throws Exception {
        codeFlowWithPkce("/realms/authority", CodeChallengeMethod.S256);
    }

    private void codeFlowWithPkce(String base, CodeChallengeMethod method) throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        Nonce nonce = new Nonce();
        AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "profile"),
                new ClientID(SPA), URI.create(REDIRECT))
                .endpointURI(at(base, "/authorize")).state(state).nonce(nonce).codeChallenge(verifier, method).build();

        AuthenticationResponse response = AuthenticationResponseParser.parse(authorize(base, request));
        assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
        assertEquals(state, response.getState());
        AuthorizationCode code = response.toSuccessResponse().getAuthorizationCode();

        // a wrong verifier is refused, the right one gets tokens
        TokenResponse wrong = OIDCTokenResponseParser.parse(send(new TokenRequest(at(base, "/oauth/token"), new ClientID(SPA),
                new AuthorizationCodeGrant(code, URI.create(REDIRECT), new CodeVerifier()), null).toHTTPRequest()));
        assertFalse(wrong.indicatesSuccess());
        assertEquals("invalid_grant", wrong.toErrorResponse().getErrorObject().getCode());

        AuthenticationResponse again = AuthenticationResponseParser.parse(authorize(base, new AuthenticationRequest.Builder(request)
                .state(state).build()));
        AuthorizationCode code2 = again.toSuccessResponse().getAuthorizationCode();
        TokenRequest tokenRequest = new TokenRequest(at(base, "/token"), new ClientID(SPA),
                new AuthorizationCodeGrant(code2, URI.create(REDIRECT), verifier), null);
        TokenResponse ok = OIDCTokenResponseParser.parse(send(tokenRequest.toHTTPRequest()));
        assertTrue(ok.indicatesSuccess(), () -> ok.toErrorResponse().getErrorObject().toString());
        OIDCTokenResponse tokens = (OIDCTokenResponse) ok.toSuccessResponse();
        assertSignedByRealm(base, tokens.getOIDCTokens().getIDToken());
        assertEquals(nonce.getValue(), tokens.getOIDCTokens().getIDToken().getJWTClaimsSet().getStringClaim("nonce"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/realms/authority"})
    void publicClientsMustUsePkce(String base) throws Exception {
        State state = new State();
        AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"),
                new ClientID(SPA), URI.create(REDIRECT)).endpointURI(at(base, "/authorize")).state(state).nonce(new Nonce()).build();
        Http.Response r = new FormClient(new Http(server.baseUri())).open(request.toURI().toString(), REDIRECT);
        assertEquals(302, r.status(), r::toString);
        AuthenticationResponse response = AuthenticationResponseParser.parse(URI.create(r.header("Location")));
        assertFalse(response.indicatesSuccess());
        assertEquals("invalid_request", response.toErrorResponse().getErrorObject().getCode());
        assertEquals(state, response.getState());
    }

    @Test
    void hostRootAuthorizeRedirectsToTheIssuerRouteKeepingTheQuery(Http http) {
        String query = "response_type=code&client_id=" + SPA + "&redirect_uri=" + REDIRECT + "&scope=openid&state=s%20t";
        Http.Response r = http.get("/authorize?" + query);
        assertEquals(307, r.status(), "Keycloak's session cookies live under the issuer path: " + r);
        assertEquals("/realms/authority/authorize?" + query, r.header("Location"));
    }

    @Test
    void anUnregisteredRedirectUriGetsAnErrorPageNotARedirect(Http http) {
        Http.Response r = new FormClient(http).open("/authorize?response_type=code&client_id=" + SPA
                + "&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&scope=openid&state=s&code_challenge=abcdefghijabcdefghijabcdefghijabcdefghij123&code_challenge_method=plain", null);
        assertEquals(400, r.status(), r::toString);
        assertNull(r.header("Location"));
        assertTrue(r.body().contains("redirect"), "the page should say what is wrong");
    }

    @Test
    void promptNoneWithoutSessionReturnsLoginRequired(Http http) throws Exception {
        State state = new State();
        AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"),
                new ClientID(SPA), URI.create(REDIRECT)).endpointURI(at("", "/authorize")).state(state)
                .prompt(com.nimbusds.openid.connect.sdk.Prompt.parse("none"))
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).build();
        Http.Response r = new FormClient(http).open(request.toURI().toString(), REDIRECT);
        assertEquals(302, r.status(), r::toString);
        AuthenticationResponse response = AuthenticationResponseParser.parse(URI.create(r.header("Location")));
        assertEquals("login_required", response.toErrorResponse().getErrorObject().getCode());
        assertEquals(state, response.getState());
    }

    @ParameterizedTest
    @ValueSource(strings = {"code id_token", "id_token token", "id_token"})
    void hybridAndImplicitResponseTypes(String responseType) throws Exception {
        Nonce nonce = new Nonce();
        AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.parse(responseType), new Scope("openid"),
                new ClientID(SPA), URI.create(REDIRECT)).endpointURI(at("", "/authorize")).state(new State()).nonce(nonce)
                .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).build();
        AuthenticationResponse response = AuthenticationResponseParser.parse(authorize("", request));
        assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
        AuthenticationSuccessResponse success = response.toSuccessResponse();
        assertNotNull(success.getIDToken());
        assertSignedByRealm("", success.getIDToken());
        assertEquals(responseType.contains("code"), success.getAuthorizationCode() != null);
        assertEquals(java.util.List.of(responseType.split(" ")).contains("token"), success.getAccessToken() != null);
    }

    // ---- parameters of the authorization request the API documents (docs/conformance.md) ----------------------

    /** C003, C007, C161: {@code token} alone and the hybrid {@code code token}, {@code code id_token token}; the implicit access token reads /userinfo. */
    @ParameterizedTest
    @ValueSource(strings = {"token", "code token", "code id_token token"})
    void implicitAndHybridResponseTypesWithAnAccessToken(String responseType) throws Exception {
        // built by hand: Nimbus' OpenID request refuses "token" alone, which OAuth 2.0 (and the API) allow
        String url = "/authorize?response_type=" + java.net.URLEncoder.encode(responseType, java.nio.charset.StandardCharsets.UTF_8)
                + "&client_id=" + SPA + "&redirect_uri=" + java.net.URLEncoder.encode(REDIRECT, java.nio.charset.StandardCharsets.UTF_8)
                + "&scope=openid&state=st-imp&nonce=n-imp" + Pkce.S256_PARAMS;
        FormClient browser = new FormClient(new Http(server.baseUri()));
        Http.Response login = browser.open(url, REDIRECT);
        Http.Response back = signIn(browser, login, REDIRECT);
        assertEquals(302, back.status(), back::toString);
        String fragment = URI.create(back.header("Location")).getRawFragment();
        assertNotNull(fragment, "the answer is in the fragment: " + back.header("Location"));
        Map<String, String> answer = new java.util.HashMap<>();
        for (String pair : fragment.split("&")) {
            int eq = pair.indexOf('=');
            answer.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
        }
        assertNotNull(answer.get("access_token"), "an access token: " + fragment);
        assertEquals("st-imp", answer.get("state"));
        assertEquals(responseType.contains("code"), answer.containsKey("code"), fragment);
        assertEquals(responseType.contains("id_token"), answer.containsKey("id_token"), fragment);
        UserInfoResponse info = UserInfoResponse.parse(send(new UserInfoRequest(at("", "/userinfo"), new BearerAccessToken(answer.get("access_token")))
                .toHTTPRequest()));
        assertTrue(info.indicatesSuccess(), () -> "/userinfo with the implicit token: " + info.toErrorResponse().getErrorObject());
    }

    /** C017, C032: a code works once, and only with the redirect_uri it was issued for. */
    @Test
    void anAuthorizationCodeIsSingleUseAndBoundToItsRedirectUri() throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"), new ClientID(SPA),
                URI.create(REDIRECT)).endpointURI(at("", "/authorize")).state(new State()).codeChallenge(verifier, CodeChallengeMethod.S256).build();
        AuthorizationCode code = AuthenticationResponseParser.parse(authorize("", request)).toSuccessResponse().getAuthorizationCode();
        TokenResponse first = OIDCTokenResponseParser.parse(send(new TokenRequest(at("", "/oauth/token"), new ClientID(SPA),
                new AuthorizationCodeGrant(code, URI.create(REDIRECT), verifier), null).toHTTPRequest()));
        assertTrue(first.indicatesSuccess(), () -> first.toErrorResponse().getErrorObject().toString());
        TokenResponse second = OIDCTokenResponseParser.parse(send(new TokenRequest(at("", "/oauth/token"), new ClientID(SPA),
                new AuthorizationCodeGrant(code, URI.create(REDIRECT), verifier), null).toHTTPRequest()));
        assertEquals("invalid_grant", second.toErrorResponse().getErrorObject().getCode(), "a code is single-use");

        CodeVerifier verifier2 = new CodeVerifier();
        AuthorizationCode code2 = AuthenticationResponseParser.parse(authorize("", new AuthenticationRequest.Builder(request)
                .codeChallenge(verifier2, CodeChallengeMethod.S256).build())).toSuccessResponse().getAuthorizationCode();
        TokenResponse otherRedirect = OIDCTokenResponseParser.parse(send(new TokenRequest(at("", "/token"), new ClientID(SPA),
                new AuthorizationCodeGrant(code2, URI.create(REDIRECT + "other"), verifier2), null).toHTTPRequest()));
        assertFalse(otherRedirect.indicatesSuccess(), "another redirect_uri than the authorization request's");
        assertEquals("invalid_grant", otherRedirect.toErrorResponse().getErrorObject().getCode());
    }

    /** C142: response_mode query and fragment put the answer where asked. */
    @ParameterizedTest
    @ValueSource(strings = {"query", "fragment"})
    void responseModeQueryOrFragment(String mode) throws Exception {
        AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"), new ClientID(SPA),
                URI.create(REDIRECT)).endpointURI(at("", "/authorize")).state(new State())
                .responseMode(new com.nimbusds.oauth2.sdk.ResponseMode(mode)).codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256).build();
        URI back = authorize("", request);
        String where = mode.equals("query") ? back.getRawQuery() : back.getRawFragment();
        assertTrue(where != null && where.contains("code="), mode + ": " + back);
    }

    /** C144, C146, C147: display is accepted; prompt=login and max_age=0 ask a signed-in user to sign in again. */
    @Test
    void displayPromptAndMaxAge() throws Exception {
        FormClient browser = new FormClient(new Http(server.baseUri()));
        String query = "/realms/authority/authorize?response_type=code&client_id=" + SPA + "&redirect_uri="
                + java.net.URLEncoder.encode(REDIRECT, java.nio.charset.StandardCharsets.UTF_8) + "&scope=openid&state=s" + Pkce.S256_PARAMS;
        for (String display : new String[]{"page", "popup", "modal"}) {
            Http.Response page = browser.open(query + "&display=" + display, REDIRECT);
            assertEquals(200, page.status(), page::toString);
            assertTrue(page.body().contains("kc-form-login"), "display=" + display + ": the sign-in page");
        }
        Http.Response login = browser.open(query, REDIRECT);
        Http.Response signedIn = signIn(browser, login, REDIRECT);
        assertEquals(302, signedIn.status(), signedIn::toString);
        Http.Response sso = browser.open(query, REDIRECT);
        assertTrue(sso.status() == 302 && sso.header("Location").contains("code="), "signed in: no second sign-in without prompt " + sso);
        Thread.sleep(2100); // max_age counts whole seconds since the sign-in: 0 allows the same second
        for (String ask : new String[]{"&prompt=login", "&max_age=0", "&max_age=1"}) {
            Http.Response again = browser.open(query + ask, REDIRECT);
            assertEquals(200, again.status(), ask + ": " + again);
            assertTrue(again.body().contains("kc-form-login") || again.body().contains("password"), ask + ": asked to sign in again");
        }
        // prompt=consent: Keycloak asks only clients that require consent (docs/compatibility.md); this one does not
        Http.Response consent = browser.open(query + "&prompt=consent", REDIRECT);
        assertTrue(consent.status() == 302 && consent.header("Location").contains("code="), "prompt=consent: " + consent);
    }

    // ---- token endpoint -------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "/realms/authority"})
    void clientCredentialsWithEveryClientAuthMethod(String base) throws Exception {
        assertTrue(token(base, confidentialBasic(), new ClientCredentialsGrant(), null).indicatesSuccess(), "client_secret_basic");
        assertTrue(token(base, new ClientSecretPost(new ClientID(CONFIDENTIAL), new Secret(CONFIDENTIAL_SECRET)),
                new ClientCredentialsGrant(), null).indicatesSuccess(), "client_secret_post");
        PrivateKeyJWT jwt = new PrivateKeyJWT(new JWTAuthenticationClaimsSet(new ClientID(JWT_CLIENT), new Audience(issuer())),
                JWSAlgorithm.RS256, clients.jwtClientKey.toPrivateKey(), clients.jwtClientKey.getKeyID(), null);
        TokenResponse r = token(base, jwt, new ClientCredentialsGrant(), null);
        assertTrue(r.indicatesSuccess(), () -> "private_key_jwt: " + r.toErrorResponse().getErrorObject());

        TokenResponse bad = token(base, new ClientSecretBasic(new ClientID(CONFIDENTIAL), new Secret("wrong")), new ClientCredentialsGrant(), null);
        assertEquals("invalid_client", ((TokenErrorResponse) bad).getErrorObject().getCode());
        assertEquals(401, ((TokenErrorResponse) bad).getErrorObject().getHTTPStatusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/realms/authority"})
    void passwordGrantOnlyForClientsAllowedDirectGrants(String base) throws Exception {
        TokenResponse allowed = token(base, confidentialBasic(), new ResourceOwnerPasswordCredentialsGrant(USER, new Secret(PASSWORD)), new Scope("openid"));
        assertTrue(allowed.indicatesSuccess(), () -> allowed.toErrorResponse().getErrorObject().toString());
        TokenResponse refused = token(base, new ClientSecretBasic(new ClientID(NO_DIRECT), new Secret("no-direct-secret")),
                new ResourceOwnerPasswordCredentialsGrant(USER, new Secret(PASSWORD)), null);
        assertFalse(refused.indicatesSuccess());
        ErrorObject error = refused.toErrorResponse().getErrorObject();
        assertEquals("unauthorized_client", error.getCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/realms/authority"})
    void refreshAndOfflineAccess(String base) throws Exception {
        TokenResponse offline = token(base, confidentialBasic(), new ResourceOwnerPasswordCredentialsGrant(USER, new Secret(PASSWORD)),
                new Scope("openid", "offline_access"));
        RefreshToken refresh = offline.toSuccessResponse().getTokens().getRefreshToken();
        assertNotNull(refresh);
        assertEquals("Offline", SignedJWT.parse(refresh.getValue()).getJWTClaimsSet().getStringClaim("typ"));
        TokenResponse refreshed = token(base, confidentialBasic(), new RefreshTokenGrant(refresh), null);
        assertTrue(refreshed.indicatesSuccess(), () -> refreshed.toErrorResponse().getErrorObject().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oauth/token", "/token", "/realms/authority/oauth/token", "/realms/authority/token"})
    void tokenRequestsAsJson(String path, Http http) {
        Http.Response r = http.postJson(path, """
                {"grant_type": "client_credentials", "client_id": "%s", "client_secret": "%s"}""".formatted(CONFIDENTIAL, CONFIDENTIAL_SECRET));
        assertEquals(200, r.status(), r::toString);
        assertEquals("Bearer", r.json().get("token_type").asText());
        Http.Response password = http.postJson(path, """
                {"grant_type": "password", "username": "%s", "password": "%s", "scope": ["openid", "email"]}""".formatted(USER, PASSWORD),
                "Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((CONFIDENTIAL + ":" + CONFIDENTIAL_SECRET).getBytes()));
        assertEquals(200, password.status(), password::toString);
        assertTrue(password.json().get("scope").asText().contains("email"));
    }

    // ---- introspection and revocation -----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "/realms/authority"})
    void introspectionAndRevocation(String base) throws Exception {
        AccessToken token = token(base, confidentialBasic(), new ResourceOwnerPasswordCredentialsGrant(USER, new Secret(PASSWORD)), null)
                .toSuccessResponse().getTokens().getAccessToken();
        TokenIntrospectionResponse active = TokenIntrospectionResponse.parse(send(
                new TokenIntrospectionRequest(at(base, "/oauth/introspect"), resourceServer(), token).toHTTPRequest()));
        assertTrue(active.toSuccessResponse().isActive(), "the shipped resource server is in the audience of access tokens");
        assertEquals(USER, active.toSuccessResponse().getUsername());

        Http http = new Http(server.baseUri());
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString((RESOURCE_SERVER + ":" + clients.resourceServerSecret).getBytes());
        Http.Response json = http.postJson(base + "/oauth/introspect", Json.text("token", token.getValue()), "Authorization", basic);
        assertEquals(200, json.status(), json::toString);
        assertTrue(json.json().get("active").asBoolean());

        HTTPResponse revoked = send(new TokenRevocationRequest(at(base, "/oauth/revoke"), confidentialBasic(), token).toHTTPRequest());
        assertEquals(200, revoked.getStatusCode());
        TokenIntrospectionResponse inactive = TokenIntrospectionResponse.parse(send(
                new TokenIntrospectionRequest(at(base, "/oauth/introspect"), resourceServer(), token).toHTTPRequest()));
        assertFalse(inactive.toSuccessResponse().isActive(), "a revoked token is inactive");

        HTTPResponse unknown = send(new TokenRevocationRequest(at(base, "/oauth/revoke"), confidentialBasic(), new BearerAccessToken("not-a-token")).toHTTPRequest());
        assertEquals(200, unknown.getStatusCode(), "RFC 7009: unknown tokens are answered 200 too");
        Http.Response revokeJson = http.postJson(base + "/oauth/revoke", Json.text("token", "also-unknown"),
                "Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString((CONFIDENTIAL + ":" + CONFIDENTIAL_SECRET).getBytes()));
        assertEquals(200, revokeJson.status(), revokeJson::toString);
    }

    /** Issue 32, RFC 7662 §2.1: refresh and access tokens are found without a hint, with a wrong one, as form or JSON, at both bases. */
    @ParameterizedTest
    @ValueSource(strings = {"", "/realms/authority"})
    void introspectionFindsRefreshTokensWhateverTheHint(String base) throws Exception {
        var tokens = token(base, confidentialBasic(), new ResourceOwnerPasswordCredentialsGrant(USER, new Secret(PASSWORD)), null)
                .toSuccessResponse().getTokens();
        Http http = new Http(server.baseUri());
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString((CONFIDENTIAL + ":" + CONFIDENTIAL_SECRET).getBytes());
        // each token introspected by a client Keycloak lets read it: the refresh token by its client, the access token
        // by the resource server in its audience (docs/routes.md, "Introspection audience")
        String resourceServer = "Basic " + java.util.Base64.getEncoder().encodeToString((RESOURCE_SERVER + ":" + clients.resourceServerSecret).getBytes());
        Map<String, String> tokenValues = Map.of("refresh", tokens.getRefreshToken().getValue(), "access", tokens.getAccessToken().getValue());
        java.util.List<String> failures = new java.util.ArrayList<>();
        for (var token : tokenValues.entrySet()) {
            for (String hint : new String[]{null, "access_token", "refresh_token", "no_such_type"}) {
                Map<String, String> form = new java.util.HashMap<>(Map.of("token", token.getValue()));
                if (hint != null) {
                    form.put("token_type_hint", hint);
                }
                String caller = token.getKey().equals("access") ? resourceServer : basic;
                Http.Response asForm = http.postForm(base + "/oauth/introspect", form, "Authorization", caller);
                Http.Response asJson = http.postJson(base + "/oauth/introspect", Http.JSON.valueToTree(form).toString(), "Authorization", caller);
                for (Http.Response r : List.of(asForm, asJson)) {
                    if (r.status() != 200 || !r.json().path("active").asBoolean()) {
                        failures.add(token.getKey() + " token, hint " + hint + ": " + r.status() + " " + r.body());
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        Http.Response garbage = http.postForm(base + "/oauth/introspect", Map.of("token", "not-a-token", "token_type_hint", "refresh_token"),
                "Authorization", basic);
        assertEquals(200, garbage.status(), garbage::toString);
        assertFalse(garbage.json().path("active").asBoolean(), "an unknown token is inactive whatever the hint");
    }

    /** Issue 32, RFC 7009 §2.2: an unknown token is revoked with 200 and nothing to read, form or JSON, at both bases. */
    @ParameterizedTest
    @ValueSource(strings = {"", "/realms/authority"})
    void revokingGarbageAnswers200WithoutABody(String base) {
        Http http = new Http(server.baseUri());
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString((CONFIDENTIAL + ":" + CONFIDENTIAL_SECRET).getBytes());
        for (Http.Response r : List.of(http.postForm(base + "/oauth/revoke", Map.of("token", "not-a-token"), "Authorization", basic),
                http.postJson(base + "/oauth/revoke", Json.text("token", "also-not-a-token"), "Authorization", basic),
                http.postForm("/realms/authority/protocol/openid-connect/revoke", Map.of("token", "x.y.z"), "Authorization", basic))) {
            assertEquals(200, r.status(), r::toString);
            assertEquals("", r.body(), "nothing for the client to read: " + r);
        }
    }

    /** Issue 32: every error redirect of /authorize carries error, error_description and state, at both bases. */
    @ParameterizedTest
    @ValueSource(strings = {"", "/realms/authority"})
    void authorizeErrorRedirectsCarryADescription(String base, Http http) throws Exception {
        FormClient browser = new FormClient(http);
        String query = "client_id=" + SPA + "&redirect_uri=" + java.net.URLEncoder.encode(REDIRECT, java.nio.charset.StandardCharsets.UTF_8)
                + "&scope=openid&state=st-1&code_challenge=" + Pkce.S256_CHALLENGE + "&code_challenge_method=S256";
        Http.Response unsupported = browser.open(base + "/authorize?response_type=foo&" + query, REDIRECT);
        assertErrorRedirect(unsupported, "unsupported_response_type");
        Http.Response loginRequired = browser.open(base + "/authorize?response_type=code&prompt=none&" + query, REDIRECT);
        assertErrorRedirect(loginRequired, "login_required");
        Http.Response invalidScope = browser.open(base + "/authorize?response_type=code&" + query.replace("scope=openid", "scope=openid%20no-such-scope"), REDIRECT);
        assertErrorRedirect(invalidScope, "invalid_scope");
    }

    private static void assertErrorRedirect(Http.Response r, String error) throws Exception {
        assertEquals(302, r.status(), r::toString);
        AuthenticationResponse response = AuthenticationResponseParser.parse(URI.create(r.header("Location")));
        ErrorObject object = response.toErrorResponse().getErrorObject();
        assertEquals(error, object.getCode(), r.header("Location"));
        assertNotNull(object.getDescription(), "error_description: " + r.header("Location"));
        assertFalse(object.getDescription().isBlank(), r.header("Location"));
        assertEquals("st-1", response.getState().getValue(), r.header("Location"));
    }

    @Test
    void introspectionNeedsClientAuthentication(Http http) {
        Http.Response r = http.postForm("/oauth/introspect", Map.of("token", "x"));
        assertTrue(r.status() == 400 || r.status() == 401, r::toString);
        assertNotNull(r.json().get("error"));
    }

    // ---- userinfo ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"/userinfo", "/oauth2/userinfo", "/realms/authority/userinfo", "/realms/authority/oauth2/userinfo"})
    void userinfoWithBearerToken(String path) throws Exception {
        AccessToken token = token("", confidentialBasic(), new ResourceOwnerPasswordCredentialsGrant(USER, new Secret(PASSWORD)), new Scope("openid", "email"))
                .toSuccessResponse().getTokens().getAccessToken();
        UserInfoResponse info = UserInfoResponse.parse(send(new UserInfoRequest(at("", path), (BearerAccessToken) token).toHTTPRequest()));
        assertTrue(info.indicatesSuccess(), () -> info.toErrorResponse().getErrorObject().toString());
        assertEquals(USER, info.toSuccessResponse().getUserInfo().getEmailAddress());
        UserInfoResponse post = UserInfoResponse.parse(send(new UserInfoRequest(at("", path), HTTPRequest.Method.POST, (BearerAccessToken) token).toHTTPRequest()));
        assertTrue(post.indicatesSuccess());
        UserInfoResponse none = UserInfoResponse.parse(send(new UserInfoRequest(at("", path), new BearerAccessToken("invalid")).toHTTPRequest()));
        assertEquals(401, none.toErrorResponse().getErrorObject().getHTTPStatusCode());
    }

    // ---- device flow ------------------------------------------------------------------------------------------

    private static DeviceAuthorizationSuccessResponse deviceCode(String base, String clientId) throws Exception {
        DeviceAuthorizationResponse r = DeviceAuthorizationResponse.parse(send(
                new DeviceAuthorizationRequest(at(base, "/device/code"), new ClientID(clientId), new Scope("openid")).toHTTPRequest()));
        assertTrue(r.indicatesSuccess(), () -> r.toErrorResponse().getErrorObject().toString());
        return r.toSuccessResponse();
    }

    /** Polls {@code /device/token} with the {@code code} parameter it accepts besides {@code device_code} ({@code docs/routes.md}). */
    private static Http.Response pollWithCode(String base, String clientId, String deviceCode) {
        return new Http(server.baseUri()).postForm(base + "/device/token", Map.of("client_id", clientId, "code", deviceCode));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/realms/authority"})
    void deviceFlowWithSeed001CodeParameter(String base) throws Exception {
        DeviceAuthorizationSuccessResponse device = deviceCode(base, SPA);
        // the device shows the documented address at the base it asked (docs/pages.md), which leads to the activation page
        URI activate = URI.create(server.baseUri() + base + "/activate");
        assertEquals(activate, device.getVerificationURI());
        assertEquals(URI.create(activate + "?user_code=" + device.getUserCode().getValue()), device.getVerificationURIComplete());
        assertEquals(200, new FormClient(new Http(server.baseUri())).open(base + "/activate", null).status(), "the activation page");

        Http.Response pending = pollWithCode(base, SPA, device.getDeviceCode().getValue());
        assertEquals(400, pending.status(), pending::toString);
        assertEquals("authorization_pending", pending.json().get("error").asText());
        Http.Response slowDown = pollWithCode(base, SPA, device.getDeviceCode().getValue());
        assertEquals("slow_down", slowDown.json().get("error").asText(), "polling faster than the interval");

        FormClient browser = new FormClient(new Http(server.baseUri()));
        Http.Response login = confirmTheCode(browser, device.getVerificationURIComplete().getRawPath() + "?"
                + device.getVerificationURIComplete().getRawQuery(), device.getUserCode().getValue());
        assertEquals(200, login.status(), login::toString);
        Http.Response done = signIn(browser, login, null);
        assertEquals(200, done.status(), done::toString);
        if (done.body().contains("name=\"accept\"")) {
            done = browser.consent(done, true, null); // Keycloak asks the user to confirm the device grant
            assertEquals(200, done.status(), done::toString);
        }

        Thread.sleep(device.getInterval() * 1000L + 1000);
        Http.Response tokens = pollWithCode(base, SPA, device.getDeviceCode().getValue());
        assertEquals(200, tokens.status(), tokens::toString);
        assertNotNull(tokens.json().get("access_token"));
        Http.Response reused = pollWithCode(base, SPA, device.getDeviceCode().getValue());
        assertEquals(400, reused.status(), "a device code is single-use: " + reused);

        // the standard RFC 8628 request (device_code, grant_type) works at the same route, here from Nimbus
        DeviceAuthorizationSuccessResponse second = deviceCode(base, SPA);
        TokenResponse pendingNimbus = OIDCTokenResponseParser.parse(send(new TokenRequest(at(base, "/device/token"), new ClientID(SPA),
                new DeviceCodeGrant(second.getDeviceCode()), null).toHTTPRequest()));
        assertEquals("authorization_pending", pendingNimbus.toErrorResponse().getErrorObject().getCode());
    }

    /**
     * The page {@code verification_uri_complete} opens: the code filled in and nothing started until the user confirms
     * it (RFC 8628 §5.4); the confirmation leads to the sign-in of the device grant.
     */
    private static Http.Response confirmTheCode(FormClient browser, String url, String userCode) {
        Http.Response page = browser.open(url, null);
        assertEquals(200, page.status(), page::toString);
        assertTrue(page.body().contains("value=\"" + userCode + "\""), "the code is filled in: " + page);
        assertFalse(page.body().contains("kc-form-login"), "no sign-in before the user confirms the code");
        String action = FormClient.formAction(page.body(), "kc-user-verify-device-user-code-form");
        // as a browser posts the page's form (Keycloak's /device decides by Accept between the page and the device API)
        return browser.follow(browser.http().postForm(action, Map.of("device_user_code", userCode),
                "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"), null);
    }

    /** Issue 32: {@code GET /activate?user_code=} shows the form with the code, at both bases; a code that is not one is not shown. */
    @ParameterizedTest
    @ValueSource(strings = {"", "/realms/authority"})
    void activateWithAUserCodeShowsTheFormPrefilled(String base) throws Exception {
        DeviceAuthorizationSuccessResponse device = deviceCode(base, SPA);
        FormClient browser = new FormClient(new Http(server.baseUri()));
        Http.Response login = confirmTheCode(browser, base + "/activate?user_code=" + device.getUserCode().getValue(), device.getUserCode().getValue());
        assertTrue(login.body().contains("kc-form-login"), "confirming the code leads to the sign-in: " + login);

        Http.Response unknown = browser.open(base + "/activate?user_code=ABCD-EFGH", null);
        assertEquals(200, unknown.status(), unknown::toString);
        assertTrue(unknown.body().contains("value=\"ABCD-EFGH\""), "an unknown code is shown too; it is checked when confirmed");
        Http.Response hostile = browser.open(base + "/activate?user_code=%22%3E%3Cscript%3Ealert(1)%3C/script%3E", null);
        assertEquals(200, hostile.status(), hostile::toString);
        assertFalse(hostile.body().contains("<script>alert(1)"), "what cannot be a code is not written into the page");
        assertTrue(hostile.body().contains("id=\"device_user_code\""), "the empty form");
    }

    /** {@code POST /activate} with {@code user_code} ({@code docs/pages.md}), from a client that accepts anything (as curl does). */
    @Test
    void postActivateWithTheDocumentedUserCode(Http http) throws Exception {
        DeviceAuthorizationSuccessResponse device = deviceCode("", SPA);
        FormClient browser = new FormClient(new Http(server.baseUri()));
        // another site's page cannot enter the code into this browser (review of issue 24, F4): nothing is bound
        for (String[] headers : new String[][]{{"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"}, {"Origin", "null"},
                {"Sec-Fetch-Site", "same-site"}}) {
            Http.Response crossSite = browser.http().postForm("/realms/authority/activate", Map.of("user_code", device.getUserCode().getValue()),
                    headers);
            assertEquals(403, crossSite.status(), crossSite::toString);
            assertEquals("cross_site_request", crossSite.json().path("error").asText());
        }
        Http.Response wrong = browser.http().postForm("/realms/authority/activate", Map.of("user_code", "WRONG-CODE"));
        assertEquals(200, wrong.status(), wrong::toString);
        assertTrue(wrong.body().contains("device_user_code") && !wrong.body().contains("kc-form-login"), "the code page again, with its error");

        Http.Response login = browser.follow(browser.http().postForm("/realms/authority/activate",
                Map.of("user_code", device.getUserCode().getValue())), null);
        assertEquals(200, login.status(), login::toString);
        assertTrue(login.body().contains("kc-form-login"), "the sign-in of the device grant: " + login);
        Http.Response done = signIn(browser, login, null);
        if (done.body().contains("name=\"accept\"")) {
            done = browser.consent(done, true, null);
        }
        assertEquals(200, done.status(), done::toString);
        Thread.sleep(device.getInterval() * 1000L + 500);
        Http.Response tokens = pollWithCode("", SPA, device.getDeviceCode().getValue());
        assertEquals(200, tokens.status(), tokens::toString);

        // at the host root the POST goes to the issuer route, method and body kept
        Http.Response root = http.postForm("/activate", Map.of("user_code", "WRONG-CODE"));
        assertEquals(307, root.status(), root::toString);
        assertEquals("/realms/authority/activate", root.header("Location"));
    }

    @Test
    void deviceFlowDeniedAndExpired() throws Exception {
        DeviceAuthorizationSuccessResponse device = deviceCode("", CONSENT);
        FormClient browser = new FormClient(new Http(server.baseUri()));
        Http.Response login = confirmTheCode(browser, "/activate?user_code=" + device.getUserCode().getValue(), device.getUserCode().getValue());
        Http.Response consent = signIn(browser, login, null);
        assertEquals(200, consent.status(), consent::toString);
        browser.consent(consent, false, null);
        Http.Response denied = pollWithCode("", CONSENT, device.getDeviceCode().getValue());
        assertEquals("access_denied", denied.json().get("error").asText(), denied::toString);

        DeviceAuthorizationSuccessResponse shortLived = deviceCode("", SHORT_DEVICE);
        Thread.sleep(3000);
        Http.Response expired = pollWithCode("", SHORT_DEVICE, shortLived.getDeviceCode().getValue());
        assertEquals("expired_token", expired.json().get("error").asText(), expired::toString);
    }

    @Test
    void deviceCodeRequestAsJson(Http http) {
        Http.Response r = http.postJson("/device/code", Json.text("client_id", SPA, "scope", "openid"));
        assertEquals(200, r.status(), r::toString);
        assertNotNull(r.json().get("user_code"));
        Http.Response poll = http.postJson("/device/token", Json.text("client_id", SPA, "code", r.json().get("device_code").asText()));
        assertEquals("authorization_pending", poll.json().get("error").asText(), poll::toString);
    }

    // ---- CORS -------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"/oauth/token", "/realms/authority/oauth/token"})
    void corsForAnAllowedOriginOnly(String path, Http http) {
        Http.Response preflight = http.send(http.request(path).method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
                .header("Origin", ORIGIN).header("Access-Control-Request-Method", "POST").build());
        assertEquals(200, preflight.status(), preflight::toString);
        assertTrue(String.valueOf(preflight.header("Access-Control-Allow-Methods")).contains("POST"), preflight::toString);

        String form = Http.form(Map.of("grant_type", "client_credentials", "client_id", CONFIDENTIAL, "client_secret", CONFIDENTIAL_SECRET));
        Http.Response allowed = http.send(http.request(path).header("Origin", ORIGIN)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build());
        assertEquals(200, allowed.status(), allowed::toString);
        assertEquals(ORIGIN, allowed.header("Access-Control-Allow-Origin"));

        Http.Response other = http.send(http.request(path).header("Origin", "https://evil.example")
                .header("Content-Type", "application/x-www-form-urlencoded").POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build());
        assertNull(other.header("Access-Control-Allow-Origin"), "a browser on another origin must not read the answer");
    }

    // ---- dynamic client registration --------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "/realms/authority"})
    void registrationChecksRedirectUris(String base, AdminApi admin, Http http) {
        String iat = "Bearer " + admin.initialAccessToken(OAuthClients.REALM);
        Http.Response ok = http.postJson(base + "/register", Json.text("client_name", "dcr-ok", "redirect_uris", List.of("https://app.example.com/cb", "http://127.0.0.1:9999/cb")), "Authorization", iat);
        assertEquals(201, ok.status(), ok::toString);
        assertNotNull(ok.json().get("client_id"));

        for (String bad : new String[]{"http://app.example.com/cb", "https://app.example.com/cb#fragment", "javascript:alert(1)"}) {
            Http.Response r = http.postJson(base + "/register", Json.text("redirect_uris", List.of(bad)), "Authorization", iat);
            assertEquals(400, r.status(), bad + ": " + r);
            assertEquals("invalid_redirect_uri", r.json().get("error").asText(), bad);
            assertNotNull(r.json().get("error_description"));
        }
    }

    @Test
    void keycloaksDefaultRegistrationPoliciesStillAct(Http http) {
        // anonymous registration: Keycloak's default "Trusted Hosts" policy (no trusted hosts) still refuses it
        Http.Response anonymous = http.postJson("/register", Json.text("redirect_uris", List.of("https://app.example.com/cb")));
        assertEquals(403, anonymous.status(), anonymous::toString);
        assertTrue(anonymous.json().get("error_description").asText().contains("Trusted Hosts"), anonymous::toString);
    }

    // ---- malformed input --------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"/token", "/oauth/token", "/oauth/introspect", "/oauth/revoke", "/device/code", "/device/token",
            "/realms/authority/oauth/token", "/realms/authority/device/token"})
    void malformedBodiesGetOAuthErrors(String path, Http http) {
        for (String body : new String[]{"{", "[1,2]", "\"text\"", "{\"grant_type\": {\"nested\": 1}}", "", "{\"scope\": [{\"a\": 1}]}", "null"}) {
            Http.Response r = http.postJson(path, body);
            assertEquals(400, r.status(), body + " -> " + r);
            assertEquals("invalid_request", r.json().get("error").asText(), body);
        }
        Http.Response text = http.send(http.request(path).header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
        assertEquals(400, text.status(), text::toString);
        assertEquals("invalid_request", text.json().get("error").asText());
        Http.Response empty = http.postForm(path, Map.of());
        assertTrue(empty.status() >= 400 && empty.status() < 500, empty::toString);
        assertNotNull(empty.json().get("error"), empty::toString);
        Http.Response huge = http.postJson(path, "{\"client_id\": \"" + "x".repeat(100_000) + "\"}");
        assertTrue(huge.status() >= 400 && huge.status() < 500, huge.status() + "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/authorize", "/token", "/oauth/token", "/oauth/introspect", "/oauth/revoke", "/device/code",
            "/device/token", "/activate", "/userinfo", "/oauth2/userinfo", "/.well-known/openid-configuration",
            "/.well-known/jwks.json", "/register", "/realms/authority/oauth/token"})
    void wrongMethodsGet405(String path, Http http) {
        Http.Response r = http.method("DELETE", path);
        assertEquals(405, r.status(), r::toString);
        JsonNode body = r.json();
        assertEquals("invalid_request", body.get("error").asText());
        assertNotNull(r.header("Allow"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/oauth/token", "/oauth/introspect", "/oauth/revoke", "/device/token"})
    void missingParametersAreClientErrors(String path, Http http) {
        Http.Response r = http.postForm(path, Map.of("client_id", CONFIDENTIAL, "client_secret", CONFIDENTIAL_SECRET));
        assertTrue(r.status() >= 400 && r.status() < 500, r::toString);
        assertNotNull(r.json().get("error"), r::toString);
    }
}
