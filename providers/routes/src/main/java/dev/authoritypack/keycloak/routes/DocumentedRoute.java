package dev.authoritypack.keycloak.routes;

import dev.authoritypack.keycloak.oauth.DocumentedOAuthResourceFactory;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static dev.authoritypack.keycloak.routes.DocumentedRoute.Targets.JSON;
import static dev.authoritypack.keycloak.routes.DocumentedRoute.Targets.OIDC;
import static dev.authoritypack.keycloak.routes.DocumentedRoute.Targets.PUBLIC_HOUR;

/**
 * The one table of documented paths (docs/routes.md) and the Keycloak endpoint that serves each.
 *
 * <p>A documented path works relative to every realm's issuer ({@code /realms/{realm}/<path>}) and,
 * for the configured default realm, at the host root ({@code /<path>}). {@link DocumentedRouteRerouter}
 * re-routes both onto {@code /realms/{realm}/<target>}: either a stock Keycloak endpoint or a realm resource
 * of this pack. Adding a route is adding a row. docs/routes.md renders this table; DocumentedRouteTest keeps
 * the two in step.
 */
public enum DocumentedRoute {

    AUTHORIZE("/authorize", OIDC + "auth", null, null, "GET", "POST"),
    TOKEN("/token", OIDC + "token", JSON + "token", null, "POST"),
    OAUTH_TOKEN("/oauth/token", OIDC + "token", JSON + "token", null, "POST"),
    OAUTH_INTROSPECT("/oauth/introspect", OIDC + "token/introspect", JSON + "introspect", null, "POST"),
    OAUTH_REVOKE("/oauth/revoke", OIDC + "revoke", JSON + "revoke", null, "POST"),
    DEVICE_CODE("/device/code", OIDC + "auth/device", JSON + "device/code", null, "POST"),
    /** Always through the pack: the documented API names the device code {@code code}, RFC 8628 {@code device_code}. */
    DEVICE_TOKEN("/device/token", JSON + "device/token", JSON + "device/token", null, "POST"),
    ACTIVATE("/activate", "device", null, null, "GET", "POST"),
    USERINFO("/userinfo", OIDC + "userinfo", null, null, "GET", "POST"),
    OAUTH2_USERINFO("/oauth2/userinfo", OIDC + "userinfo", null, null, "GET", "POST"),
    DISCOVERY("/.well-known/openid-configuration", ".well-known/openid-configuration", null, PUBLIC_HOUR, "GET"),
    JWKS("/.well-known/jwks.json", OIDC + "certs", null, PUBLIC_HOUR, "GET"),
    REGISTER("/register", "clients-registrations/openid-connect", null, null, "POST"),
    SIGNIN("/signin", "signin", null, null, "GET", "POST"),
    SIGNOUT("/signout", "signout", null, null, "POST"),
    MFA_SETUP("/mfa/setup", "mfa/setup", null, null, "GET", "POST"),
    MFA_ENABLE("/mfa/enable", "mfa/enable", null, null, "POST"),
    MFA_VERIFY("/mfa/verify", "mfa/verify", null, null, "GET", "POST"),
    MFA_DISABLE("/mfa/disable", "mfa/disable", null, null, "POST"),
    FORGOT_PASSWORD("/forgot-password", "password-reset/forgot", null, null, "GET", "POST"),
    ACCOUNT_PASSWORD_RESET("/account/password/reset", "password-reset/request", null, null, "POST"),
    /** GET is the page the mailed link opens (a new-password form); POST sets the password. */
    ACCOUNT_PASSWORD_CONFIRM("/account/password/confirm", "password-reset/confirm", null, null, "GET", "POST"),
    /** GET is the page the mailed link opens (a button: mail scanners fetch links); POST verifies. */
    ACCOUNT_EMAIL_VERIFY("/account/email/verify", "email-verification/verify", null, null, "GET", "POST"),
    ACCOUNT_EMAIL_RESEND("/account/email/resend", "email-verification/resend", null, null, "POST"),
    /** GET is the signed-in user's page; POST changes one thing on it (sign out a session, revoke, unlink). */
    PROFILE("/profile", "profile", null, null, "GET", "POST"),
    API_LOGIN("/api/login", "legacy-login", null, null, "POST"),
    HEALTH_CHECK("/health_check", "health-check", null, null, "GET"),
    /** The OpenAPI document of all of this (repository: providers/routes/src/main/resources/openapi/). */
    OPENAPI("/openapi.json", "openapi", null, PUBLIC_HOUR, "GET"),
    ;

    private final String path;
    private final String target;
    private final String jsonTarget;
    private final String cacheControl;
    private final Set<String> methods;

    DocumentedRoute(String path, String target, String jsonTarget, String cacheControl, String... methods) {
        this.path = path;
        this.target = target;
        this.jsonTarget = jsonTarget;
        this.cacheControl = cacheControl;
        this.methods = Set.of(methods);
    }

    /**
     * Path under {@code /realms/{realm}/} that serves a request whose body is JSON (docs/routes.md), or {@code null}
     * when the route takes no JSON body. Keycloak's endpoints only consume forms; the pack translates.
     */
    public String jsonTarget() {
        return jsonTarget;
    }

    /** The documented path, relative to a base URL, starting with {@code /}. */
    public String path() {
        return path;
    }

    /**
     * Path under {@code /realms/{realm}/} that serves a form POST when it differs from {@link #target()}, else
     * {@code null}: the documented {@code POST /authorize} also answers the consent screen ({@code consent_action});
     * its {@code POST /activate} sends {@code user_code} and must reach Keycloak's user-code check whatever it accepts;
     * its {@code POST /device/code} answers a {@code verification_uri} at the base it was sent to.
     */
    public String formPostTarget() {
        return switch (this) {
            case AUTHORIZE -> Targets.JSON + "authorize";
            case OAUTH_INTROSPECT -> Targets.JSON + "introspect"; // token_type_hint corrected from the token (RFC 7662 §2.1)
            case ACTIVATE -> Targets.JSON + "activate";
            case DEVICE_CODE -> Targets.JSON + "device/code"; // verification_uri at the base the device used (VerificationUri)
            default -> null;
        };
    }

    /** Path under {@code /realms/{realm}/} that actually serves the route. */
    public String target() {
        return target;
    }

    /** Methods the route answers besides CORS preflight ({@code OPTIONS}). */
    public Set<String> methods() {
        return methods;
    }

    /** {@code Cache-Control} to set on the answer, or {@code null} to keep Keycloak's. */
    public String cacheControl() {
        return cacheControl;
    }

    /**
     * Browser routes that depend on the realm's session cookies, which Keycloak scopes to {@code /realms/{realm}/}:
     * a browser never sends them to a host-root path, so at the host root these answer {@code 307} to the same
     * route at the issuer (method, body and query kept) instead of being served without the session.
     */
    public boolean usesRealmCookies() {
        return switch (this) {
            case AUTHORIZE, ACTIVATE, SIGNOUT, MFA_SETUP, MFA_ENABLE, MFA_VERIFY, MFA_DISABLE, PROFILE -> true;
            default -> false;
        };
    }

    /**
     * Routes a realm resource of the pack answers (not a Keycloak endpoint): the pack answers their CORS preflight
     * and CORS headers itself (PackCors), where Keycloak's endpoints answer their own.
     */
    public boolean servedByPack() {
        return !target.startsWith(Targets.OIDC) && !target.equals("device") && !target.startsWith(".well-known/")
                && !target.startsWith("clients-registrations/");
    }

    /** Routes whose endpoint authenticates the calling client (RFC 6749 §2.3): a failure is {@code 401 invalid_client}. */
    public boolean authenticatesClients() {
        return switch (this) {
            case TOKEN, OAUTH_TOKEN, OAUTH_INTROSPECT, OAUTH_REVOKE, DEVICE_CODE, DEVICE_TOKEN -> true;
            default -> false;
        };
    }

    /** Keycloak's own paths of the same endpoints: the realm when the path is one of them, else {@code null}. */
    public static String clientAuthenticationRealm(String path) {
        RealmPath realmPath = RealmPath.of(path);
        if (realmPath == null) {
            return null;
        }
        String rest = realmPath.rest();
        for (String endpoint : List.of("/protocol/openid-connect/token", "/protocol/openid-connect/token/introspect",
                "/protocol/openid-connect/revoke", "/protocol/openid-connect/auth/device")) {
            if (rest.equals(endpoint) || rest.equals(endpoint + "/")) {
                return realmPath.realm();
            }
        }
        return null;
    }

    public boolean allows(String method) {
        String m = method.toUpperCase(Locale.ROOT);
        return methods.contains(m) || "OPTIONS".equals(m) || ("HEAD".equals(m) && methods.contains("GET"));
    }

    /**
     * Finds the route a request path names.
     *
     * @param path         the request path relative to Keycloak's base URI, starting with {@code /}
     * @param defaultRealm realm served at the host root, or {@code null} when host-root routes are off
     */
    public static Optional<Match> match(String path, String defaultRealm) {
        if (path.startsWith("/realms/")) {
            RealmPath realmPath = RealmPath.of(path);
            return realmPath == null ? Optional.empty() : byPath(realmPath.rest()).map(r -> new Match(realmPath.realm(), r, false));
        }
        if (defaultRealm == null) {
            return Optional.empty();
        }
        return byPath(path).map(r -> new Match(defaultRealm, r, true));
    }

    private static Optional<DocumentedRoute> byPath(String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (DocumentedRoute r : values()) {
            if (r.path.equals(p)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    public static List<DocumentedRoute> all() {
        return List.of(values());
    }

    /** The table as docs/routes.md shows it, between its {@code routes:begin} and {@code routes:end} markers. */
    public static String markdownTable() {
        StringBuilder md = new StringBuilder()
                .append("| methods | documented path | served by, under `/realms/{realm}/` | JSON body served by | Cache-Control | at the host root |\n")
                .append("| --- | --- | --- | --- | --- | --- |\n");
        for (DocumentedRoute r : values()) {
            md.append("| ").append(String.join(", ", new java.util.TreeSet<>(r.methods)))
                    .append(" | `").append(r.path).append("` | `").append(r.target)
                    .append("` | ").append(r.jsonTarget == null ? "—" : "`" + r.jsonTarget + "`")
                    .append(" | ").append(r.cacheControl == null ? "Keycloak's" : "`" + r.cacheControl + "`")
                    .append(" | ").append(r.usesRealmCookies() ? "`307` to the issuer route" : "served")
                    .append(" |\n");
        }
        return md.toString();
    }

    /** Prefixes and values the rows share. */
    static final class Targets {
        static final String OIDC = "protocol/openid-connect/";
        static final String JSON = DocumentedOAuthResourceFactory.ID + "/";
        static final String PUBLIC_HOUR = "public, max-age=3600";

        private Targets() {
        }
    }

    /** A request path resolved to a realm and a route. */
    public record Match(String realm, DocumentedRoute route, boolean hostRoot) {

        /** The same documented route under the realm's issuer. */
        public String issuerPath() {
            return "/realms/" + realm + route.path;
        }

        /** The path, relative to the base URI, that Keycloak serves the route at. */
        public String targetPath() {
            return "/realms/" + realm + "/" + route.target;
        }

        /** Where a form POST goes when the route has a {@link DocumentedRoute#formPostTarget()}. */
        public String formPostTargetPath() {
            return "/realms/" + realm + "/" + route.formPostTarget();
        }

        /** Where a request with a JSON body goes. */
        public String jsonTargetPath() {
            return "/realms/" + realm + "/" + route.jsonTarget;
        }
    }
}
