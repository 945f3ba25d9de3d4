package dev.authoritypack.it.support;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Users and clients the tests create through the admin API ({@link AdminApi}), in one place: each test makes its
 * own, with an address no other test uses, and none of them ships in the realm ({@code realm-config/}).
 */
public final class Fixtures {

    private Fixtures() {
    }

    // ---- users ------------------------------------------------------------------------------------------------------

    /** An address no other test uses: {@code prefix-<nanos>@example.com}. */
    public static String email(String prefix) {
        return prefix + "-" + System.nanoTime() + "@example.com";
    }

    /** A new enabled user with a verified {@link #email(String) fresh address} and this password; returns the address. */
    public static String user(AdminApi admin, String realm, String prefix, String password) {
        String email = email(prefix);
        admin.createUser(realm, email, password);
        return email;
    }

    /** The id of the user with this exact address. */
    public static String userId(AdminApi admin, String realm, String email) {
        return admin.getJson("/realms/" + realm + "/users?exact=true&email=" + email).get(0).get("id").asText();
    }

    // ---- clients ----------------------------------------------------------------------------------------------------

    /** A public client that may only use the password grant (direct access grants, no browser flow). */
    public static String passwordGrantClient(AdminApi admin, String realm, String clientId) {
        return admin.createClient(realm, Json.text("clientId", clientId, "publicClient", true,
                "directAccessGrantsEnabled", true, "standardFlowEnabled", false));
    }

    /** A confidential client with a service account (the client_credentials grant), no browser flow. */
    public static String serviceClient(AdminApi admin, String realm, String clientId, String secret, Map<String, String> attributes) {
        ObjectNode client = Json.object("clientId", clientId, "secret", secret, "publicClient", false,
                "serviceAccountsEnabled", true, "standardFlowEnabled", false);
        if (!attributes.isEmpty()) {
            client.set("attributes", Http.JSON.valueToTree(attributes));
        }
        return admin.createClient(realm, client.toString());
    }

    /** A public client that asks the user's consent, with a display name, for the authorization code flow. */
    public static String consentClient(AdminApi admin, String realm, String clientId, String name, String redirectUri) {
        return admin.createClient(realm, Json.text("clientId", clientId, "name", name, "publicClient", true, "consentRequired", true,
                "standardFlowEnabled", true, "redirectUris", Json.array(redirectUri)));
    }

    /**
     * A browser app on its own origin: public, PKCE S256, its redirect URI {@code origin + "/callback"}, and its
     * origin allowed for CORS ({@code webOrigins: ["+"]}, the redirect URI's origin; {@code docs/routes.md}).
     */
    public static String browserApp(AdminApi admin, String realm, String clientId, String origin) {
        return admin.createClient(realm, Json.text("clientId", clientId, "publicClient", true, "standardFlowEnabled", true,
                "redirectUris", Json.array(origin + "/callback"), "webOrigins", Json.array("+"),
                "attributes", Map.of("pkce.code.challenge.method", "S256")));
    }
}
