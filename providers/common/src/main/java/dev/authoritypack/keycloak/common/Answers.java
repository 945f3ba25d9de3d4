package dev.authoritypack.keycloak.common;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.locale.LocaleSelectorProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place that decides how the pack answers: JSON or a page, the OAuth error object, redirects, and the
 * headers every such answer carries. Browser routes ({@code /signin}, {@code /mfa/*}, {@code /profile}, the
 * account pages) answer a page unless the request prefers {@code application/json}; API routes
 * ({@code /account/*} JSON) answer JSON unless the request prefers HTML. Errors are Keycloak's
 * {@link OAuth2ErrorRepresentation} ({@code error}, {@code error_description}: RFC 6749 §5.2), as Keycloak's own
 * endpoints write them. Every answer about one person's sign-in or account is {@code Cache-Control: no-store}.
 * docs/routes.md lists the answers per route.
 */
public final class Answers {

    public static final String NO_STORE = "no-store";
    /**
     * Routing-context flag: this answer is the pack's own, not Keycloak's (routes' {@code PackCors} then lets a
     * registered origin read it). Set in Vert.x handlers directly, in JAX-RS code by {@link #markPackAnswer()}.
     */
    public static final String PACK_ANSWER = "dev.authoritypack.keycloak.packAnswer";

    private Answers() {
    }

    /** A browser route's rule: JSON only when the request prefers it over HTML (a bare {@code *}{@code /*} gets HTML). */
    public static boolean prefersJson(HttpHeaders headers) {
        for (MediaType type : headers.getAcceptableMediaTypes()) { // sorted by preference (q) by JAX-RS
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !type.isWildcardType()) {
                return true;
            }
            if (type.isCompatible(MediaType.TEXT_HTML_TYPE) && !type.isWildcardType()) {
                return false;
            }
        }
        return false;
    }

    /** An API route's rule: JSON unless the request prefers HTML (a browser that navigated to it). */
    public static boolean apiWantsJson(HttpHeaders headers) {
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isCompatible(MediaType.TEXT_HTML_TYPE) && !type.isWildcardType()) {
                return false;
            }
            if (!type.isWildcardType()) {
                return true;
            }
        }
        return true;
    }

    /** The request of this session prefers JSON (browser-route rule). */
    public static boolean prefersJson(KeycloakSession session) {
        return prefersJson(session.getContext().getRequestHeaders());
    }

    /** A JSON answer that no cache keeps. */
    public static Response.ResponseBuilder json(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.CACHE_CONTROL, NO_STORE).entity(body);
    }

    /** The OAuth error object ({@code error}, {@code error_description}) with {@code no-store}. */
    public static Response.ResponseBuilder error(int status, String error, String description) {
        return json(status, new OAuth2ErrorRepresentation(error, description));
    }

    /** An error object with fields beyond RFC 6749's (for example {@code retry_after}); {@code null} values are left out. */
    public static Map<String, Object> errorWith(String error, String description, String name, Object value) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        if (value != null) {
            body.put(name, value);
        }
        return body;
    }

    /**
     * 302 to {@code location} with {@code no-store}; for a client that asked for JSON also a body naming the target
     * ({@code {"status":"ok","redirect":…}}), so a program that does not follow redirects learns where to go.
     */
    public static Response redirect(String location, boolean json) {
        Response.ResponseBuilder r = Response.status(Response.Status.FOUND).location(URI.create(location)).header(HttpHeaders.CACHE_CONTROL, NO_STORE);
        if (json) {
            r.type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("status", "ok", "redirect", location));
        }
        return r.build();
    }

    /** 303 to a page of the realm after a form POST (post/redirect/get: a reload does not repeat the change). */
    public static Response seeOther(KeycloakSession session, String realmPath) {
        return Response.seeOther(URI.create(RealmUrls.path(session, realmPath))).header(HttpHeaders.CACHE_CONTROL, NO_STORE).build();
    }

    /**
     * A route that needs a signed-in browser, without one: {@code 401 login_required} for JSON, else 302 to the
     * sign-in page with {@code forward_url} = Base64url of the page to come back to (docs/signin.md). A language the
     * request asked for ({@code kc_locale}, {@code ui_locales}) goes along, so the sign-in page speaks it.
     */
    public static Response signInFirst(KeycloakSession session, String returnTo) {
        if (prefersJson(session)) {
            return error(401, "login_required", "Sign in first at /signin").build();
        }
        List<String> query = new ArrayList<>();
        if (returnTo != null) {
            query.add("forward_url=" + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(RealmUrls.path(session, returnTo).getBytes(StandardCharsets.UTF_8)));
        }
        for (String name : List.of(LocaleSelectorProvider.KC_LOCALE_PARAM, UiLocales.PARAM)) {
            String value = session.getContext().getUri().getQueryParameters().getFirst(name);
            if (value != null) {
                query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
        String signin = RealmUrls.path(session, "signin") + (query.isEmpty() ? "" : "?" + String.join("&", query));
        return Response.status(Response.Status.FOUND).location(URI.create(signin)).header(HttpHeaders.CACHE_CONTROL, NO_STORE).build();
    }

    /** Marks the current answer as the pack's own (see {@link #PACK_ANSWER}); a no-op outside a Vert.x request. */
    public static void markPackAnswer() {
        VertxRequest.put(PACK_ANSWER, Boolean.TRUE);
    }
}
