package dev.authoritypack.keycloak.routes;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Error redirects of {@code /authorize} with an {@code error_description} (RFC 6749 §4.1.2.1; docs/routes.md: "error,
 * error_description, and state"). Keycloak leaves it out for some errors ({@code unsupported_response_type},
 * {@code login_required}, {@code access_denied} of a denied consent, ...); the re-router adds one, in the query or
 * the fragment that carries {@code error}, and leaves every other redirect as it is. {@code form_post} answers
 * (a page, not a redirect) and JWT-secured responses ({@code response=}) are not changed.
 */
final class AuthorizeErrors {

    private static final Map<String, String> DESCRIPTIONS = Map.ofEntries(
            Map.entry("invalid_request", "The authorization request is missing a parameter or is malformed"),
            Map.entry("unauthorized_client", "The client may not use this kind of authorization request"),
            Map.entry("access_denied", "The user or the server denied the request"),
            Map.entry("unsupported_response_type", "The response_type is not supported for this client"),
            Map.entry("invalid_scope", "The requested scope is invalid or unknown"),
            Map.entry("server_error", "The server could not complete the request"),
            Map.entry("temporarily_unavailable", "The server cannot handle the request now; try again later"),
            Map.entry("interaction_required", "The user must interact with the server (prompt=none was requested)"),
            Map.entry("login_required", "The user must sign in (prompt=none was requested)"),
            Map.entry("account_selection_required", "The user must choose an account (prompt=none was requested)"),
            Map.entry("consent_required", "The user must consent (prompt=none was requested)"),
            Map.entry("invalid_request_uri", "The request_uri is invalid"),
            Map.entry("invalid_request_object", "The request object is invalid"),
            Map.entry("request_not_supported", "The request parameter is not supported"),
            Map.entry("request_uri_not_supported", "The request_uri parameter is not supported"),
            Map.entry("registration_not_supported", "The registration parameter is not supported"));

    private AuthorizeErrors() {
    }

    /** The redirect with an {@code error_description} when it carries an {@code error} without one; else unchanged. */
    static String withDescription(String location) {
        if (location == null) {
            return null;
        }
        int hash = location.indexOf('#');
        String beforeHash = hash < 0 ? location : location.substring(0, hash);
        if (hash >= 0) {
            String fragment = location.substring(hash + 1);
            String error = param(fragment, "error");
            if (error != null) {
                return param(fragment, "error_description") != null ? location : beforeHash + "#" + fragment + description(error);
            }
        }
        int question = beforeHash.indexOf('?');
        if (question < 0) {
            return location;
        }
        String query = beforeHash.substring(question + 1);
        String error = param(query, "error");
        if (error == null || param(query, "error_description") != null) {
            return location;
        }
        return beforeHash + description(error) + (hash < 0 ? "" : location.substring(hash));
    }

    private static String description(String error) {
        String text = DESCRIPTIONS.getOrDefault(error, "The authorization request failed");
        return "&error_description=" + URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The raw value of a parameter of an {@code a=b&c=d} string, or {@code null}. */
    private static String param(String params, String name) {
        for (String pair : params.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0 ? "" : pair.substring(eq + 1);
            }
        }
        return null;
    }
}
