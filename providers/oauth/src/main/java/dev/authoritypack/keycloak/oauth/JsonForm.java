package dev.authoritypack.keycloak.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

import java.util.Iterator;
import java.util.Map;

/**
 * Seed 002 lets clients send OAuth requests as JSON objects; Keycloak's endpoints read forms. This turns a flat
 * JSON object into the form Keycloak expects: strings as they are, numbers and booleans as text, {@code null}
 * left out, an array of strings as repeated values ({@code scope} joined with spaces, as RFC 6749 writes it).
 * Anything else is the caller's mistake.
 */
final class JsonForm {

    static final int MAX_BYTES = 64 * 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonForm() {
    }

    /** Thrown for a body that is not a flat JSON object; the message is safe to show the caller. */
    static final class InvalidJson extends Exception {
        InvalidJson(String message) {
            super(message);
        }
    }

    static MultivaluedMap<String, String> parse(String body) throws InvalidJson {
        if (body == null || body.isBlank()) {
            throw new InvalidJson("The request body is empty; send a JSON object");
        }
        if (body.length() > MAX_BYTES) {
            throw new InvalidJson("The request body is larger than " + MAX_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidJson("The request body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidJson("The request body must be a JSON object");
        }
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = field.getKey();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                continue;
            }
            if (value.isValueNode()) {
                form.add(name, value.asText());
            } else if (value.isArray()) {
                StringBuilder joined = new StringBuilder();
                for (JsonNode item : value) {
                    if (!item.isValueNode() || item.isNull()) {
                        throw new InvalidJson("Parameter '" + name + "' must be a string or an array of strings");
                    }
                    if ("scope".equals(name)) {
                        joined.append(joined.length() == 0 ? "" : " ").append(item.asText());
                    } else {
                        form.add(name, item.asText());
                    }
                }
                if ("scope".equals(name)) {
                    form.add(name, joined.toString());
                }
            } else {
                throw new InvalidJson("Parameter '" + name + "' must not be a nested object");
            }
        }
        return form;
    }
}
