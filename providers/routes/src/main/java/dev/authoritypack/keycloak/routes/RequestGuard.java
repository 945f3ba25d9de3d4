package dev.authoritypack.keycloak.routes;

import dev.authoritypack.keycloak.common.MediaTypeHeader;

import java.util.List;
import java.util.Set;

/**
 * What may reach the endpoints behind the documented routes, and Keycloak's own paths of the same endpoints.
 * Keycloak (through RESTEasy) answers {@code 500} to a {@code Content-Type} it cannot parse and to a media type
 * its form endpoints do not consume; here each is the caller's mistake, {@code 400} or {@code 415} with an error
 * object, decided from the headers before Keycloak reads the request. Valid requests pass unchanged. Pure
 * functions; {@link DocumentedRouteRerouter} applies them.
 */
public final class RequestGuard {

    private static final Set<String> CHARSETS = Set.of("utf-8", "utf8", "us-ascii", "iso-8859-1");

    private RequestGuard() {
    }

    /** The bodies an endpoint reads. */
    public enum Accepts {
        FORM, FORM_OR_JSON, JSON,
        /** reads no body (GET endpoints): only a malformed {@code Content-Type} is refused */
        NOTHING
    }

    /** Why a request is refused. */
    public record Refusal(int status, String description) {
    }

    /** The bodies the endpoint behind a documented route reads. */
    public static Accepts accepts(DocumentedRoute route) {
        return switch (route) {
            case TOKEN, OAUTH_TOKEN, OAUTH_INTROSPECT, OAUTH_REVOKE, DEVICE_CODE, DEVICE_TOKEN,
                 FORGOT_PASSWORD, ACCOUNT_PASSWORD_RESET, ACCOUNT_PASSWORD_CONFIRM, ACCOUNT_EMAIL_VERIFY, ACCOUNT_EMAIL_RESEND -> Accepts.FORM_OR_JSON;
            case REGISTER, API_LOGIN -> Accepts.JSON;
            case DISCOVERY, JWKS, HEALTH_CHECK -> Accepts.NOTHING;
            default -> Accepts.FORM; // authorize, activate, userinfo, signin, signout, mfa
        };
    }

    private static final List<String> NATIVE_FORM = List.of("/protocol/openid-connect/auth", "/protocol/openid-connect/token",
            "/protocol/openid-connect/token/introspect", "/protocol/openid-connect/revoke", "/protocol/openid-connect/auth/device",
            "/protocol/openid-connect/userinfo", "/protocol/openid-connect/logout", "/device");
    private static final List<String> NATIVE_NOTHING = List.of("/protocol/openid-connect/certs", "/.well-known/openid-configuration");

    /** The bodies Keycloak's own path of a documented endpoint reads, or {@code null} for any other path. */
    public static Accepts acceptsNative(String path) {
        RealmPath realmPath = RealmPath.of(path);
        if (realmPath == null) {
            return null;
        }
        String rest = realmPath.rest().length() > 1 && realmPath.rest().endsWith("/")
                ? realmPath.rest().substring(0, realmPath.rest().length() - 1) : realmPath.rest();
        if (NATIVE_FORM.contains(rest)) {
            return Accepts.FORM;
        }
        if (rest.equals("/clients-registrations/openid-connect")) {
            return Accepts.JSON;
        }
        return NATIVE_NOTHING.contains(rest) ? Accepts.NOTHING : null;
    }

    /** Keycloak's own path of OIDC dynamic client registration (the endpoint behind {@code /register}). */
    public static boolean isRegistration(String path) {
        return path.startsWith("/realms/") && (path.endsWith("/clients-registrations/openid-connect")
                || path.endsWith("/clients-registrations/openid-connect/"));
    }

    /**
     * The check every request of the server gets, documented route or not: a {@code Content-Type} that is not a
     * media type at all (Keycloak's JAX-RS layer answers it with a 500); {@code null} when it may pass.
     */
    public static Refusal unparseable(String header) {
        return header != null && !header.isBlank() && MediaTypeHeader.parse(header) == null
                ? new Refusal(400, "Content-Type is not a valid media type") : null;
    }

    /** Checks the {@code Content-Type} of a request with a body; {@code null} when it may pass. */
    public static Refusal contentType(String header, Accepts accepts, boolean hasBody) {
        if (header == null || header.isBlank()) {
            return null; // no body, or Keycloak's default
        }
        MediaTypeHeader type = MediaTypeHeader.parse(header);
        if (type == null) {
            return unparseable(header);
        }
        if (type.charset() != null && !CHARSETS.contains(type.charset())) {
            return new Refusal(415, "charset " + printable(type.charset()) + " is not supported; use UTF-8");
        }
        if (!hasBody || accepts == Accepts.NOTHING) {
            return null;
        }
        boolean form = type.is("application/x-www-form-urlencoded");
        boolean json = type.json();
        boolean ok = switch (accepts) {
            case FORM -> form;
            case FORM_OR_JSON -> form || json;
            case JSON -> json;
            case NOTHING -> true;
        };
        if (ok) {
            return null;
        }
        // 400 invalid_request, as OAuth endpoints answer a request they cannot use (RFC 6749 §5.2) and /api/login a
        // non-JSON /api/login; 415 stays for a charset, which no route of the API reads
        return new Refusal(400, switch (accepts) {
            case FORM -> "Content-Type must be application/x-www-form-urlencoded";
            case JSON -> "Send a JSON body (Content-Type: application/json)";
            default -> "Content-Type must be application/x-www-form-urlencoded or application/json";
        });
    }

    /**
     * Whether an {@code Accept} header is a list of media ranges RESTEasy can negotiate with: each element a media
     * type (or {@code *}, which Java's old {@code HttpURLConnection} sends) whose {@code q} is a number from 0 to 1.
     * RESTEasy answers some that are not ({@code a/b/c}, {@code ;;;}, {@code *}{@code /*;q=-1} beside another range)
     * with a 500 on Keycloak's device endpoint and on every page that negotiates (the pack's pages, /profile);
     * RFC 9110 §12.5.1 lets a server disregard such a header, and {@link DocumentedRouteRerouter} does: the request
     * goes on as if it had none.
     */
    public static boolean acceptable(String accept) {
        if (accept == null) {
            return true;
        }
        for (String element : accept.split(",", -1)) {
            String range = element.trim();
            if (range.isEmpty()) {
                continue; // RFC 9110 §5.6.1: empty list elements are allowed
            }
            if (range.equals("*") || range.startsWith("*;") || range.startsWith("* ")) {
                range = "*/*" + range.substring(1);
            }
            MediaTypeHeader type = MediaTypeHeader.parse(range);
            if (type == null || (type.q() != null && !qvalue(type.q()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean qvalue(String q) {
        if (q.length() > 8 || !q.matches("[0-9.]+")) {
            return false;
        }
        try {
            double v = Double.parseDouble(q);
            return v >= 0 && v <= 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 30 ? s.substring(0, 30) : s;
        return cut.replaceAll("[^\\p{Alnum}._-]", "?");
    }
}
