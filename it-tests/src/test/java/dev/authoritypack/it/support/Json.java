package dev.authoritypack.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON bodies for the tests, built with the suite's Jackson ({@link Http#JSON}) instead of by hand: every string is
 * escaped, every brace closed. {@code Json.object("email", email, "enabled", false)} is
 * {@code {"email":"...","enabled":false}}, keys in the order given. Values are strings, numbers, booleans, null,
 * {@link JsonNode}s, maps, lists or arrays. Deliberately broken bodies (the malformed-input tests) stay literal text.
 */
public final class Json {

    private Json() {
    }

    /** An object of alternating keys and values. */
    public static ObjectNode object(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs: " + List.of(keysAndValues));
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return Http.JSON.valueToTree(map);
    }

    /** An array of the values. */
    public static ArrayNode array(Object... values) {
        return Http.JSON.valueToTree(values);
    }

    /** {@link #object} as text, for the requests that take a body as a string. */
    public static String text(Object... keysAndValues) {
        return object(keysAndValues).toString();
    }
}
