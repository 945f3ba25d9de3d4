package dev.authoritypack.keycloak.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of a request body on the pack's routes that take both JSON objects and
 * HTML forms. The resource reads the body as a string and parses it here, so a malformed body is the caller's
 * mistake (400/415 with an error object) and never reaches a framework reader that would answer 500.
 */
public final class RequestFields {

    /** More fields than any of the pack's forms has, by far. */
    public static final int MAX_FIELDS = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestFields() {
    }

    /** Why a body cannot be read; {@link #status()} is 415 for a media type the route does not take, else 400. */
    public static final class Unreadable extends Exception {
        private final int status;

        Unreadable(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /**
     * Parses a JSON object of string values or an {@code application/x-www-form-urlencoded} body (UTF-8).
     * An empty body without a media type has no fields; JSON {@code null} values count as absent.
     */
    public static Map<String, String> parse(String contentType, String body) throws Unreadable {
        if (contentType == null || contentType.isBlank()) {
            if (body == null || body.isEmpty()) {
                return Map.of();
            }
            throw new Unreadable(415, "Content-Type must be application/json or application/x-www-form-urlencoded");
        }
        MediaTypeHeader type = MediaTypeHeader.parse(contentType);
        if (type != null && type.json()) {
            return json(body);
        }
        if (type != null && type.is("application/x-www-form-urlencoded")) {
            return form(body);
        }
        throw new Unreadable(415, "Content-Type must be application/json or application/x-www-form-urlencoded");
    }

    private static Map<String, String> json(String body) throws Unreadable {
        JsonNode tree;
        try {
            tree = JSON.readTree(body == null ? "" : body);
        } catch (IOException e) {
            throw new Unreadable(400, "The body is not valid JSON");
        }
        if (tree == null || !tree.isObject()) {
            throw new Unreadable(400, "The body must be a JSON object");
        }
        if (tree.size() > MAX_FIELDS) {
            throw new Unreadable(400, "Too many fields");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            if (!value.isTextual()) {
                throw new Unreadable(400, "Field '" + printable(field.getKey()) + "' must be a string");
            }
            fields.put(field.getKey(), value.asText());
        }
        return fields;
    }

    private static Map<String, String> form(String body) throws Unreadable {
        Map<String, String> fields = new LinkedHashMap<>();
        if (body == null || body.isEmpty()) {
            return fields;
        }
        String[] pairs = body.split("&", MAX_FIELDS + 2);
        if (pairs.length > MAX_FIELDS) {
            throw new Unreadable(400, "Too many fields");
        }
        for (String pair : pairs) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                fields.putIfAbsent(name, value); // the first of repeated fields counts, as in a servlet's getParameter
            } catch (IllegalArgumentException e) {
                throw new Unreadable(400, "The form body has a malformed %-escape");
            }
        }
        return fields;
    }

    private static String printable(String name) {
        String cut = name.length() > 40 ? name.substring(0, 40) : name;
        return cut.replaceAll("[^\\p{Alnum}_.-]", "?");
    }
}
