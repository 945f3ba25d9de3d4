package dev.authoritypack.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Realm attributes set through the admin API, as an operator sets them in the console. */
public final class RealmAttributes {

    private RealmAttributes() {
    }

    /** Sets attributes (others kept); returns the previous values ("" when unset), which restore them when set again. */
    public static Map<String, String> set(AdminApi admin, String realm, Map<String, String> values) {
        JsonNode current = admin.getJson("/realms/" + realm);
        ObjectNode attrs = ((ObjectNode) current.get("attributes")).deepCopy();
        Map<String, String> previous = new HashMap<>();
        values.forEach((k, v) -> {
            previous.put(k, attrs.hasNonNull(k) ? attrs.get(k).asText() : "");
            attrs.put(k, v);
        });
        Http.Response r = admin.send("PUT", "/realms/" + realm, Json.text("attributes", attrs));
        assertEquals(204, r.status(), r::toString);
        return previous;
    }
}
