package dev.authoritypack.keycloak.legacylogin;

import dev.authoritypack.keycloak.common.Answers;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.representations.AccessTokenResponse;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code POST /api/login} answers, in the legacy API's (docs/legacy-login.md) shapes ({@code {"status": …, "message": …}}, never cached),
 * each answer recorded in the route's {@code LOGIN} event first: the reason as the event's {@code reason} detail
 * (never the caller's data), then {@code error} or {@code success}.
 */
final class LegacyLoginAnswers {

    /** A refusal whose answer is ready: thrown by a step of the route, answered by the route. */
    static final class Refused extends Exception {
        private final transient Response answer;

        private Refused(Response answer) {
            super(null, null, false, false);
            this.answer = answer;
        }

        Response answer() {
            return answer;
        }
    }

    private final EventBuilder event;
    private final LegacyLoginSettings settings;

    LegacyLoginAnswers(EventBuilder event, LegacyLoginSettings settings) {
        this.event = event;
        this.settings = settings;
    }

    /** The route's {@code LOGIN} event, for the details the steps add (the Auth0 client, the user). */
    EventBuilder event() {
        return event;
    }

    /** A refused request: {@code status} with the legacy API's (docs/legacy-login.md) error body; a 400 is recorded as {@code invalid_request}. */
    Refused fail(String reason, int status, String message) {
        event.detail("reason", reason).error(status == 400 ? Errors.INVALID_REQUEST : reason);
        return new Refused(error(status, message));
    }

    /**
     * A token that cannot be trusted for this login: 401, or a 302 to {@code redirectUrl} when the realm's allow-list
     * has it (docs/legacy-login.md: sends a browser back to the legacy site's login page).
     */
    Refused unauthorized(String reason, String redirectUrl) {
        event.detail("reason", reason).error(Errors.INVALID_TOKEN);
        if (redirectUrl != null && settings.redirectAllowed(redirectUrl)) {
            return new Refused(Response.status(Response.Status.FOUND).location(URI.create(redirectUrl)).build());
        }
        return new Refused(error(401, "Unauthorized or invalid token"));
    }

    /** The realm token, in the answer body and in the legacy site's callback URL. */
    Response success(AccessTokenResponse tokens, String callback, ClientModel client) {
        String token = tokens.getToken();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", "success");
        answer.put("url", callbackUrl(callback, token));
        answer.put("token", token);
        answer.put("expires_in", tokens.getExpiresIn());
        answer.put("message", "User logged in");
        event.client(client).session(tokens.getSessionState()).success();
        return Response.ok(answer, MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.CACHE_CONTROL, Answers.NO_STORE).build();
    }

    /** {@code callback} with the token as its {@code token} query parameter, after any parameters it has. */
    static String callbackUrl(String callback, String token) {
        return callback + (callback.contains("?") ? "&" : "?") + "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    }

    /** Seed 004's error body: {@code {"status":"error","message":…}}. */
    static Response error(int status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "error");
        body.put("message", message);
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.CACHE_CONTROL, Answers.NO_STORE).entity(body).build();
    }
}
