package dev.authoritypack.keycloak.legacylogin;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.util.JsonSerialization;
import org.keycloak.util.TokenUtil;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The request of {@code POST /api/login}: a JSON body {@code {"email": <Base64>, "redirect_url": …}} and an
 * {@code Authorization: Bearer} header with the Auth0 access token. The caller's mistakes are refused here, before
 * anything of the realm's configuration is read (a malformed request is a 4xx, never a 503), in the legacy API's (docs/legacy-login.md) order:
 * the body's type, the JSON, the bearer token (401, or the allow-listed redirect), the email.
 *
 * @param bearer      the Auth0 token: three dot-separated parts, not yet verified
 * @param email       the decoded email, lower case
 * @param redirectUrl {@code redirect_url} as sent, or {@code null}; only ever followed when allow-listed
 */
record LegacyLoginRequest(String bearer, String email, String redirectUrl) {

    static LegacyLoginRequest read(HttpHeaders headers, String body, LegacyLoginAnswers answers) throws LegacyLoginAnswers.Refused {
        MediaType type = headers.getMediaType();
        if (type == null || !type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            throw answers.fail("content_type", 400, "Send a JSON body (Content-Type: application/json)");
        }
        JsonNode json = jsonObject(body);
        if (json == null) {
            throw answers.fail("malformed_json", 400, "The body must be a JSON object");
        }
        String redirectUrl = text(json, "redirect_url");
        String bearer = bearer(headers);
        if (!threeParts(bearer)) {
            throw answers.unauthorized("no bearer token, or not a JWT", redirectUrl);
        }
        String emailParam = text(json, "email");
        if (emailParam == null || emailParam.isBlank()) {
            throw answers.fail("email_missing", 400, "Email is required");
        }
        String email = decodeEmail(emailParam);
        if (email == null) {
            throw answers.fail("email_not_base64", 400, "Email is required (the email must be Base64-encoded)");
        }
        return new LegacyLoginRequest(bearer, email, redirectUrl);
    }

    /** The body as a JSON object, or {@code null} when it is empty, not JSON or another kind of JSON value. */
    static JsonNode jsonObject(String body) {
        try {
            JsonNode json = JsonSerialization.mapper.readTree(body == null ? "" : body);
            return json != null && json.isObject() ? json : null;
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * The token of the request's {@code Authorization: Bearer} header, or {@code null}: no header, several, another
     * scheme (DPoP included: {@code /api/login} takes bearer tokens only) or no token. The header is parsed by
     * Keycloak's {@link AppAuthManager#extractAuthorizationHeaderTokenOrReturnNull} (the scheme in any case; the
     * token a single word), which refuses several {@code Authorization} headers with a {@link NotAuthorizedException}
     * that would otherwise become this route's 500.
     */
    static String bearer(HttpHeaders headers) {
        AppAuthManager.AuthHeader header;
        try {
            header = AppAuthManager.extractAuthorizationHeaderTokenOrReturnNull(headers);
        } catch (NotAuthorizedException severalHeaders) {
            return null;
        }
        return header != null && TokenUtil.TOKEN_TYPE_BEARER.equalsIgnoreCase(header.getScheme()) ? header.getToken() : null;
    }

    /** Whether {@code token} has the three parts of a signed JWT (header, payload, signature). */
    static boolean threeParts(String token) {
        return token != null && token.chars().filter(c -> c == '.').count() == 2;
    }

    /**
     * The email of the legacy API's (docs/legacy-login.md) {@code email} field: Base64 of the standard or the URL alphabet, padded or not,
     * surrounding blanks ignored, lower case; {@code null} when it decodes to no address (no {@code @}, control
     * characters) or does not decode.
     */
    static String decodeEmail(String encoded) {
        for (Base64.Decoder decoder : new Base64.Decoder[]{Base64.getDecoder(), Base64.getUrlDecoder()}) {
            try {
                String email = new String(decoder.decode(encoded.trim()), StandardCharsets.UTF_8).trim();
                if (email.contains("@") && email.chars().noneMatch(c -> c < 0x20)) {
                    return email.toLowerCase(Locale.ROOT);
                }
            } catch (IllegalArgumentException notThisAlphabet) {
                // next
            }
        }
        return null;
    }

    /** A string field of the body; {@code null} when absent or not a string. */
    static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }
}
