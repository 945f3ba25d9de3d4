package dev.authoritypack.it.enterprise;

import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.ApiTraffic;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.KeycloakServer;
import dev.authoritypack.it.support.PackIntegrationTest;
import dev.authoritypack.it.support.Pkce;
import dev.authoritypack.it.support.RealmAttributes;
import dev.authoritypack.it.support.SideServer;
import dev.authoritypack.keycloak.routes.DocumentedRoute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A realm the pack was never applied to answers as stock Keycloak does (issue 35, docs/existing-keycloak.md): the
 * same realm ({@value #REALM}, made from the same JSON through the admin API: Keycloak's defaults, a confidential and
 * a public client with the same ids and secret, one user) on the suite's server, which has the pack, and on a second
 * Keycloak of the same distribution without the pack's jars ({@link SideServer#stock}). Every request goes to both and
 * the answers must be equal — status, every header, the body — after {@link Answer} has normalised what differs
 * between two servers by nature (their address, dates, ids, keys, tokens, cookie values); any other difference fails
 * with the lines that differ. Runs once, in the dev-file run (a second server: about a minute, most of it Keycloak's
 * build of the fresh distribution for {@code start-dev}).
 */
@PackIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StockComparisonIT {

    static final String REALM = "compared";
    private static final String SECRET = "compared-backend-secret";
    private static final String EMAIL = "carol@compared.example";
    private static final String PASSWORD = "carol-password-1";
    private static final String REDIRECT = "http://localhost/compared-spa/callback";

    private KeycloakServer pack;
    private SideServer stock;

    @BeforeAll
    void theSameRealmOnBothServers(KeycloakServer server, AdminApi admin) {
        assumeTrue("dev-file".equals(System.getProperty("it.db", "dev-file")), "a server of its own: runs once, in the dev-file run");
        this.pack = server;
        ApiTraffic.stockRealm(REALM, true); // Keycloak's answers, not the documented API's
        stock = SideServer.stock("stock-keycloak");
        create(admin);
        create(stock.admin());
    }

    @AfterAll
    void stop() {
        if (stock != null) {
            stock.close();
            new AdminApi(pack.baseUri()).send("DELETE", "/realms/" + REALM, null); // the suite's later classes meet no extra realm
        }
    }

    private static void create(AdminApi admin) {
        admin.send("DELETE", "/realms/" + REALM, null);
        String realm = Json.text("realm", REALM, "enabled", true,
                "clients", List.of(
                        Json.object("clientId", "compared-backend", "enabled", true, "publicClient", false, "secret", SECRET,
                                "serviceAccountsEnabled", true, "standardFlowEnabled", false),
                        Json.object("clientId", "compared-spa", "enabled", true, "publicClient", true, "standardFlowEnabled", true,
                                "directAccessGrantsEnabled", true, "redirectUris", List.of(REDIRECT), "webOrigins", List.of("+"),
                                "attributes", Map.of("post.logout.redirect.uris", REDIRECT))),
                "users", List.of(Json.object("username", EMAIL, "email", EMAIL, "emailVerified", true, "enabled", true,
                        "firstName", "Carol", "lastName", "Compared",
                        "credentials", List.of(Json.object("type", "password", "value", PASSWORD, "temporary", false)))));
        Http.Response created = admin.send("POST", "/realms", realm);
        assertEquals(201, created.status(), created::toString);
    }

    // ------------------------------------------------------------------------------------------- the checks

    @Test
    void theRealmAsCreatedIsTheSame() {
        List<String> packs = Answer.json(new AdminApi(pack.baseUri()).getJson("/realms/" + REALM), pack.baseUri());
        List<String> stocks = Answer.json(stock.admin().getJson("/realms/" + REALM), stock.baseUri());
        String diff = Answer.diff("GET /admin/realms/" + REALM, stocks, packs);
        assertTrue(diff.isEmpty(), "the pack changed a realm made through the admin API:\n" + diff);
    }

    @Test
    void discoveryAndKeys() {
        compareAll(List.of(
                exchange("discovery", h -> h.get(realm("/.well-known/openid-configuration"))),
                exchange("discovery, OAuth 2.0 form", h -> h.get("/.well-known/oauth-authorization-server/realms/" + REALM)),
                exchange("JWKS", h -> h.get(realm("/protocol/openid-connect/certs"))),
                exchange("discovery from another origin", h -> h.get(realm("/.well-known/openid-configuration"), "Origin", "http://app.example")),
                exchange("realm's public information", h -> h.get("/realms/" + REALM))));
    }

    @Test
    void tokenEndpoint() {
        String token = "/protocol/openid-connect/token";
        compareAll(List.of(
                exchange("client_credentials, good secret", h -> h.postForm(realm(token),
                        Map.of("grant_type", "client_credentials", "client_id", "compared-backend", "client_secret", SECRET))),
                exchange("client_credentials, good secret in Basic", h -> h.postForm(realm(token), Map.of("grant_type", "client_credentials"),
                        "Authorization", basic("compared-backend", SECRET))),
                exchange("client_credentials, bad secret", h -> h.postForm(realm(token),
                        Map.of("grant_type", "client_credentials", "client_id", "compared-backend", "client_secret", "wrong"))),
                exchange("client_credentials, bad secret in Basic", h -> h.postForm(realm(token), Map.of("grant_type", "client_credentials"),
                        "Authorization", basic("compared-backend", "wrong"))),
                exchange("client_credentials, unknown client", h -> h.postForm(realm(token),
                        Map.of("grant_type", "client_credentials", "client_id", "no-such-client", "client_secret", "x"))),
                exchange("password grant, good password", h -> passwordGrant(h, PASSWORD)),
                exchange("password grant, wrong password", h -> passwordGrant(h, "wrong-password")),
                exchange("password grant, unknown user", h -> h.postForm(realm(token), Map.of("grant_type", "password",
                        "client_id", "compared-spa", "username", "nobody@compared.example", "password", "x"))),
                exchange("form without grant_type", h -> h.postForm(realm(token), Map.of("client_id", "compared-spa"))),
                exchange("unsupported grant type", h -> h.postForm(realm(token), Map.of("grant_type", "urn:example:nothing", "client_id", "compared-spa"))),
                exchange("JSON body", h -> h.postJson(realm(token), Json.text("grant_type", "client_credentials", "client_id", "compared-backend",
                        "client_secret", SECRET))),
                exchange("no body", h -> h.send(h.request(realm(token)).POST(HttpRequest.BodyPublishers.noBody()).build())),
                exchange("GET", h -> h.get(realm(token))),
                exchange("registration without a token", h -> h.postJson(realm("/clients-registrations/openid-connect"),
                        Json.text("redirect_uris", List.of(REDIRECT)))),
                exchange("refresh with a made-up token", h -> h.postForm(realm(token), Map.of("grant_type", "refresh_token",
                        "client_id", "compared-spa", "refresh_token", "not-a-token")))));
    }

    /**
     * The two answers of a never-applied realm that are deliberately not stock's (docs/existing-keycloak.md): a form
     * body whose {@code %}-escapes are broken and a client registration whose body is JSON {@code null}. Stock
     * Keycloak fails on both with a 5xx; the pack answers {@code 400} on every realm (routes' MalformedFormAnswers and
     * RegistrationBodyCheck).
     */
    @Test
    void undecodableBodiesAreTheDeliberateDifferences() {
        Function<Http, Http.Response> brokenForm = h -> h.send(h.request(realm("/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=%zz")).build());
        Http.Response stocks = brokenForm.apply(stock.http());
        Http.Response packs = brokenForm.apply(new Http(pack.baseUri()));
        assertTrue(stocks.status() >= 500, "stock Keycloak: " + stocks);
        assertEquals(400, packs.status(), packs::toString);
        assertEquals("invalid_request", packs.json().path("error").asText(), packs::toString);

        Function<Http, Http.Response> nullRegistration = h -> h.postJson(realm("/clients-registrations/openid-connect"), "null");
        stocks = nullRegistration.apply(stock.http());
        packs = nullRegistration.apply(new Http(pack.baseUri()));
        assertTrue(stocks.status() >= 500, "stock Keycloak: " + stocks);
        assertEquals(400, packs.status(), packs::toString);
        assertEquals("invalid_client_metadata", packs.json().path("error").asText(), packs::toString);
    }

    @Test
    void authorizationEndpoint() {
        String auth = "/protocol/openid-connect/auth?response_type=code&scope=openid&state=s1";
        compareAll(List.of(
                exchange("login page", h -> h.get(realm(auth + "&client_id=compared-spa&redirect_uri=" + enc(REDIRECT) + Pkce.S256_PARAMS))),
                exchange("login page, German", h -> h.get(realm(auth + "&client_id=compared-spa&redirect_uri=" + enc(REDIRECT) + "&ui_locales=de"))),
                exchange("unknown client id", h -> h.get(realm(auth + "&client_id=no-such-client&redirect_uri=" + enc(REDIRECT)))),
                exchange("redirect uri not registered", h -> h.get(realm(auth + "&client_id=compared-spa&redirect_uri=" + enc("http://evil.example/cb")))),
                exchange("no response type", h -> h.get(realm("/protocol/openid-connect/auth?client_id=compared-spa&redirect_uri=" + enc(REDIRECT)))),
                exchange("unsupported response type", h -> h.get(realm("/protocol/openid-connect/auth?response_type=token+id_token+nonsense&client_id=compared-spa&redirect_uri="
                        + enc(REDIRECT)))),
                exchange("wrong password on the login form", StockComparisonIT::wrongPasswordOnTheForm)));
    }

    @Test
    void accountConsoleAndAccountApi() {
        compareAll(List.of(
                exchange("account console", h -> h.get(realm("/account"))),
                exchange("account console page", h -> h.get(realm("/account/personal-info"))),
                exchange("account REST without a token", h -> h.get(realm("/account/"), "Accept", "application/json")),
                exchange("account REST with a token", h -> h.get(realm("/account/"), "Accept", "application/json",
                        "Authorization", "Bearer " + userToken(h))),
                exchange("account REST credentials", h -> h.get(realm("/account/credentials"), "Accept", "application/json",
                        "Authorization", "Bearer " + userToken(h))),
                exchange("account REST, a made-up token", h -> h.get(realm("/account/"), "Accept", "application/json",
                        "Authorization", "Bearer not-a-token"))));
    }

    @Test
    void userinfoAndLogout() {
        compareAll(List.of(
                exchange("userinfo with a token", h -> h.get(realm("/protocol/openid-connect/userinfo"), "Authorization", "Bearer " + userToken(h))),
                exchange("userinfo without a token", h -> h.get(realm("/protocol/openid-connect/userinfo"))),
                exchange("userinfo with a made-up token", h -> h.get(realm("/protocol/openid-connect/userinfo"), "Authorization", "Bearer not-a-token")),
                exchange("logout page", h -> h.get(realm("/protocol/openid-connect/logout"))),
                exchange("logout with a redirect not registered", h -> h.get(realm("/protocol/openid-connect/logout?client_id=compared-spa&post_logout_redirect_uri="
                        + enc("http://evil.example/")))),
                exchange("logout of a refresh token", h -> h.postForm(realm("/protocol/openid-connect/logout"), Map.of("client_id", "compared-spa",
                        "refresh_token", passwordGrant(h, PASSWORD).json().path("refresh_token").asText()))),
                exchange("logout with a made-up refresh token", h -> h.postForm(realm("/protocol/openid-connect/logout"), Map.of("client_id", "compared-spa",
                        "refresh_token", "not-a-token")))));
    }

    /**
     * The pack's documented paths under the realm are no routes of a stock realm: the answer is stock Keycloak's, for
     * each path and method (mostly Keycloak's 404; under {@code /account/} its account console).
     */
    @Test
    void thePacksRouteNamesAnswerAsOnStockKeycloak() {
        List<Exchange> exchanges = new ArrayList<>();
        for (String path : List.of("/api/login", "/oauth/token", "/signin", "/account/password/reset")) {
            exchanges.add(exchange("POST " + path + " (form)", h -> h.postForm(realm(path), Map.of("username", EMAIL, "password", PASSWORD))));
            exchanges.add(exchange("POST " + path + " (JSON)", h -> h.postJson(realm(path), Json.text("email", EMAIL, "password", PASSWORD))));
            exchanges.add(exchange("GET " + path, h -> h.get(realm(path))));
        }
        for (DocumentedRoute route : DocumentedRoute.all()) {
            for (String method : route.methods()) {
                String path = route.path();
                exchanges.add(exchange(method + " " + path, h -> method.equals("GET") ? h.get(realm(path)) : h.postForm(realm(path), Map.of())));
            }
            exchanges.add(exchange("OPTIONS " + route.path() + " preflight", h -> h.send(h.request(realm(route.path()))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "http://app.example").header("Access-Control-Request-Method", "POST").build())));
        }
        compareAll(exchanges);
    }

    /**
     * The comparison can fail: the same realm opted in ({@code authority.pack.enabled=true}, what an apply writes
     * first) answers differently at once — the pack's cache header on discovery, its rate-limit headers and its
     * {@code invalid_client} on the token endpoint. Last, then the realm is opted out again.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void theComparisonSeesThePackWhenTheRealmOptsIn() {
        AdminApi admin = new AdminApi(pack.baseUri());
        RealmAttributes.set(admin, REALM, Map.of("authority.pack.enabled", "true"));
        try {
            long deadline = System.nanoTime() + 30_000_000_000L; // the pack's handlers keep a realm's answer 5 s
            while (!"public, max-age=3600".equals(new Http(pack.baseUri()).get(realm("/.well-known/openid-configuration")).header("Cache-Control"))) {
                assertTrue(System.nanoTime() < deadline, "the opt-in did not reach the pack's handlers within 30 s");
                KeycloakServer.sleep(250);
            }
            List<String> seen = new ArrayList<>();
            for (Exchange e : List.of(
                    exchange("discovery", h -> h.get(realm("/.well-known/openid-configuration"))),
                    exchange("bad secret", h -> h.postForm(realm("/protocol/openid-connect/token"),
                            Map.of("grant_type", "client_credentials", "client_id", "compared-backend", "client_secret", "wrong"))))) {
                String diff = Answer.diff(e.name(), Answer.lines(e.request().apply(stock.http()), stock.baseUri()),
                        Answer.lines(e.request().apply(new Http(pack.baseUri())), pack.baseUri()));
                seen.add(diff);
            }
            assertTrue(seen.get(0).contains("+ pack:  header cache-control: public, max-age=3600"), seen.get(0));
            assertTrue(seen.get(1).contains("+ pack:  header x-ratelimit-limit") && seen.get(1).contains("invalid_client"), seen.get(1));
        } finally {
            RealmAttributes.set(admin, REALM, Map.of("authority.pack.enabled", "false"));
        }
    }

    // ------------------------------------------------------------------------------------------- helpers

    private record Exchange(String name, Function<Http, Http.Response> request) {
    }

    private static Exchange exchange(String name, Function<Http, Http.Response> request) {
        return new Exchange(name, request);
    }

    /** Each exchange on both servers, each with a client of its own (no cookie of another); every difference listed. */
    private void compareAll(List<Exchange> exchanges) {
        StringBuilder differences = new StringBuilder();
        for (Exchange e : exchanges) {
            Http.Response stocks = e.request().apply(new Http(stock.baseUri()));
            Http.Response packs = e.request().apply(new Http(pack.baseUri()));
            differences.append(Answer.diff(e.name() + " (" + packs.raw().request().method() + " " + packs.raw().uri().getRawPath() + ")",
                    Answer.lines(stocks, stock.baseUri()), Answer.lines(packs, pack.baseUri())));
        }
        assertTrue(differences.isEmpty(), "realm '" + REALM + "' on the pack's server does not answer as on stock Keycloak:\n" + differences);
    }

    private static String realm(String path) {
        return "/realms/" + REALM + path;
    }

    private static Http.Response passwordGrant(Http h, String password) {
        return h.postForm(realm("/protocol/openid-connect/token"), Map.of("grant_type", "password", "client_id", "compared-spa",
                "scope", "openid", "username", EMAIL, "password", password));
    }

    private static String userToken(Http h) {
        Http.Response r = passwordGrant(h, PASSWORD);
        assertEquals(200, r.status(), r::toString);
        return r.json().path("access_token").asText();
    }

    /** Keycloak's login form sent back with a wrong password: its error page, as a browser without scripts sees it. */
    private static Http.Response wrongPasswordOnTheForm(Http h) {
        Http.Response page = h.get(realm("/protocol/openid-connect/auth?response_type=code&scope=openid&client_id=compared-spa&redirect_uri="
                + enc(REDIRECT) + Pkce.S256_PARAMS));
        assertEquals(200, page.status(), page::toString);
        String action = dev.authoritypack.it.support.FormClient.formAction(page.body(), "kc-form-login");
        return h.postForm(action, Map.of("username", EMAIL, "password", "wrong-password", "credentialId", ""));
    }

    private static String basic(String user, String password) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

}
