package dev.authoritypack.it.support;

import java.util.ArrayList;
import java.util.List;

/**
 * A realm as a company has it before it hears of the pack (issue 35), for the enterprise tests that need one on a
 * server of their own: users with passwords (bob with TOTP), a confidential backend and a public single-page app,
 * a browser flow and a login theme of its own, a realm role, a group and a client role. Made through Keycloak's admin
 * API ({@code POST /admin/realms}) from one JSON document, as an operator's own import would.
 */
public final class CompanyRealm {

    public static final String BACKEND = "company-backend";
    public static final String BACKEND_SECRET = "company-backend-secret";
    public static final String SPA = "company-spa";
    public static final String SPA_REDIRECT = "http://localhost/company-spa/callback";
    public static final String ALICE = "alice@company.example";
    public static final String ALICE_PASSWORD = "alice-password-1";
    public static final String BOB = "bob@company.example";
    public static final String BOB_PASSWORD = "bob-password-12";
    /** The raw TOTP key Keycloak stores for bob. */
    public static final String BOB_TOTP_KEY = "company-bob-totp-key-01";
    public static final String FLOW = "company browser";

    private CompanyRealm() {
    }

    /** Deletes a realm of that name if there is one and creates the company's realm under the name. */
    public static void create(AdminApi admin, String realm) {
        admin.send("DELETE", "/realms/" + realm, null);
        Http.Response created = admin.send("POST", "/realms", Json.object(
                "realm", realm, "enabled", true, "loginTheme", "keycloak", "browserFlow", FLOW,
                "roles", Json.object("realm", List.of(Json.object("name", "employee", "description", "the company's own"))),
                "groups", List.of(Json.object("name", "staff", "realmRoles", List.of("employee"))),
                "authenticationFlows", List.of(
                        Json.object("alias", FLOW, "description", "the company's own", "providerId", "basic-flow", "topLevel", true, "builtIn", false,
                                "authenticationExecutions", List.of(
                                        Json.object("authenticator", "auth-cookie", "authenticatorFlow", false, "requirement", "ALTERNATIVE", "priority", 10),
                                        Json.object("flowAlias", "company forms", "authenticatorFlow", true, "requirement", "ALTERNATIVE", "priority", 20))),
                        Json.object("alias", "company forms", "providerId", "basic-flow", "topLevel", false, "builtIn", false,
                                "authenticationExecutions", List.of(
                                        Json.object("authenticator", "auth-username-password-form", "authenticatorFlow", false, "requirement", "REQUIRED", "priority", 10),
                                        Json.object("flowAlias", "company second factor", "authenticatorFlow", true, "requirement", "CONDITIONAL", "priority", 20))),
                        Json.object("alias", "company second factor", "providerId", "basic-flow", "topLevel", false, "builtIn", false,
                                "authenticationExecutions", List.of(
                                        Json.object("authenticator", "conditional-user-configured", "authenticatorFlow", false, "requirement", "REQUIRED", "priority", 10),
                                        Json.object("authenticator", "auth-otp-form", "authenticatorFlow", false, "requirement", "REQUIRED", "priority", 20)))),
                "clients", List.of(
                        Json.object("clientId", BACKEND, "enabled", true, "publicClient", false, "secret", BACKEND_SECRET,
                                "serviceAccountsEnabled", true, "standardFlowEnabled", false, "directAccessGrantsEnabled", false),
                        Json.object("clientId", SPA, "enabled", true, "publicClient", true, "standardFlowEnabled", true,
                                "directAccessGrantsEnabled", true, "redirectUris", List.of(SPA_REDIRECT), "webOrigins", List.of("+"))),
                "users", List.of(
                        user(ALICE, ALICE_PASSWORD, null),
                        user(BOB, BOB_PASSWORD, Json.object("type", "otp",
                                "secretData", Json.text("value", BOB_TOTP_KEY),
                                "credentialData", Json.text("subType", "totp", "digits", 6, "counter", 0, "period", 30, "algorithm", "HmacSHA1")))))
                .toString());
        if (created.status() != 201) {
            throw new AssertionError("create realm " + realm + ": " + created);
        }
    }

    private static Object user(String email, String password, Object secondCredential) {
        List<Object> credentials = new ArrayList<>();
        credentials.add(Json.object("type", "password", "value", password, "temporary", false));
        if (secondCredential != null) {
            credentials.add(secondCredential);
        }
        return Json.object("username", email, "email", email, "emailVerified", true, "enabled", true,
                "firstName", "Company", "lastName", "Person", "groups", List.of("/staff"), "credentials", credentials);
    }
}
