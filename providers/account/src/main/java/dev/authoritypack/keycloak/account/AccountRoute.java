package dev.authoritypack.keycloak.account;

import dev.authoritypack.keycloak.common.PackRealmResource;

import dev.authoritypack.keycloak.common.Answers;
import dev.authoritypack.keycloak.common.RealmUrls;

import dev.authoritypack.keycloak.common.PackPage;
import dev.authoritypack.keycloak.common.RealmWebOrigins;
import dev.authoritypack.keycloak.common.RequestFields;
import dev.authoritypack.keycloak.common.SameOrigin;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.keycloak.models.KeycloakSession;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the routes of account recovery share: bodies as JSON or form ({@link RequestFields}), answers as JSON or
 * as a page of the login theme, the cross-site check of the pack's browser routes, and error objects
 * ({@code {"error", "error_description"}}, docs/routes.md).
 */
abstract class AccountRoute extends PackRealmResource {

    AccountRoute(KeycloakSession session) {
        super(session);
    }

    /** An answer already decided (a refusal) or the fields of the body. */
    record Input(Map<String, String> fields, Response refusal) {

        String field(String name) {
            String value = fields.get(name);
            return value == null ? "" : value;
        }
    }

    /** Reads a POST: refuses another site's browser request and a body it cannot read, before anything else. */
    Input read(String body) {
        HttpHeaders headers = session.getContext().getRequestHeaders();
        // another site's form is refused; an app on a registered origin calling the JSON API (after the preflight) is not
        if (SameOrigin.crossSite(session.getContext().getUri().getBaseUri(), headers) && !RealmWebOrigins.corsJsonRequest(session, headers)) {
            return new Input(Map.of(), error(403, "cross_site_request", "This form must be sent from this site's own page"));
        }
        try {
            return new Input(RequestFields.parse(headers.getHeaderString(HttpHeaders.CONTENT_TYPE), body), null);
        } catch (RequestFields.Unreadable e) {
            return new Input(Map.of(), error(e.status(), "invalid_request", e.getMessage()));
        }
    }

    /** Reads a POST of the API that names an email: refused also when the email is missing or malformed. */
    Input readEmail(String body) {
        Input input = read(body);
        if (input.refusal() == null && email(input).isEmpty()) {
            return new Input(input.fields(), error(400, "invalid_request", "email must be an email address"));
        }
        return input;
    }

    /** A well-formed email address from the body, or empty (the caller answers 400). Lookup is case-insensitive. */
    static Optional<String> email(Input input) {
        String email = input.field("email").trim();
        if (email.isEmpty() || email.length() > 254 || email.indexOf('@') < 1 || email.indexOf('@') == email.length() - 1
                || email.chars().anyMatch(c -> c < 0x20 || c == 0x7f || Character.isWhitespace(c))) {
            return Optional.empty();
        }
        return Optional.of(email);
    }

    /** Pages answer HTML unless the client prefers JSON; API routes answer JSON unless the client prefers HTML (a browser). */
    boolean json(boolean page) {
        HttpHeaders headers = session.getContext().getRequestHeaders();
        return page ? Answers.prefersJson(headers) : Answers.apiWantsJson(headers);
    }

    Response error(int status, String error, String description) {
        return Answers.error(status, error, description).build();
    }

    static Response json(int status, Map<String, Object> body) {
        return Answers.json(status, body).build();
    }

    static Response message(String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        return json(200, body);
    }

    /** A page of the login theme ({@code account-*.ftl}) with the given attributes. */
    Response page(String template, int status, Map<String, Object> attributes) {
        Map<String, Object> all = new HashMap<>(attributes);
        all.put("signinUrl", realmUrl("signin"));
        return PackPage.render(session, template, status, all);
    }

    /** A URL of the current realm's issuer base (the host the request came to). */
    String realmUrl(String path) {
        return RealmUrls.url(session, path);
    }
}
