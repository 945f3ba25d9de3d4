package dev.authoritypack.it.oauth;

import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.authoritypack.it.support.AdminApi;

/** The clients and user the OAuth route tests use, created through the admin API (not shipped in the realm). */
final class OAuthClients {

    static final String REALM = "authority";
    static final String REDIRECT = "http://localhost:4000/cb";
    static final String ORIGIN = "http://localhost:4000";
    static final String SPA = "it-spa";
    static final String CONFIDENTIAL = "it-confidential";
    static final String CONFIDENTIAL_SECRET = "it-confidential-secret";
    static final String NO_DIRECT = "it-no-direct-grant";
    static final String JWT_CLIENT = "it-private-key-jwt";
    static final String CONSENT = "it-consent";
    static final String SHORT_DEVICE = "it-short-device-code";
    static final String RESOURCE_SERVER = "authority-resource-server";
    static final String USER = "oauth-user@example.com";
    static final String PASSWORD = "Oauth-user-password-1";

    final RSAKey jwtClientKey;
    final String resourceServerSecret;

    private OAuthClients(RSAKey jwtClientKey, String resourceServerSecret) {
        this.jwtClientKey = jwtClientKey;
        this.resourceServerSecret = resourceServerSecret;
    }

    private static OAuthClients instance;

    static synchronized OAuthClients setUp(AdminApi admin) throws Exception {
        if (instance != null) {
            return instance;
        }
        admin.createClient(REALM, """
                {"clientId": "%s", "publicClient": true, "standardFlowEnabled": true, "implicitFlowEnabled": true,
                 "directAccessGrantsEnabled": false, "redirectUris": ["%s"], "webOrigins": ["%s"],
                 "attributes": {"oauth2.device.authorization.grant.enabled": "true"}}
                """.formatted(SPA, REDIRECT, ORIGIN));
        admin.createClient(REALM, """
                {"clientId": "%s", "publicClient": false, "secret": "%s", "standardFlowEnabled": true,
                 "directAccessGrantsEnabled": true, "serviceAccountsEnabled": true,
                 "redirectUris": ["%s"], "webOrigins": ["%s"],
                 "attributes": {"oauth2.device.authorization.grant.enabled": "true"}}
                """.formatted(CONFIDENTIAL, CONFIDENTIAL_SECRET, REDIRECT, ORIGIN));
        admin.createClient(REALM, """
                {"clientId": "%s", "publicClient": false, "secret": "no-direct-secret", "standardFlowEnabled": true,
                 "directAccessGrantsEnabled": false, "serviceAccountsEnabled": true, "redirectUris": ["%s"]}
                """.formatted(NO_DIRECT, REDIRECT));
        admin.createClient(REALM, """
                {"clientId": "%s", "publicClient": true, "consentRequired": true, "standardFlowEnabled": true,
                 "redirectUris": ["%s"], "attributes": {"oauth2.device.authorization.grant.enabled": "true"}}
                """.formatted(CONSENT, REDIRECT));
        admin.createClient(REALM, """
                {"clientId": "%s", "publicClient": true, "standardFlowEnabled": false,
                 "attributes": {"oauth2.device.authorization.grant.enabled": "true", "oauth2.device.code.lifespan": "2"}}
                """.formatted(SHORT_DEVICE));
        RSAKey key = new RSAKeyGenerator(2048).keyID("it-jwt-key").keyUse(KeyUse.SIGNATURE).generate();
        String jwks = "{\\\"keys\\\":[" + key.toPublicJWK().toJSONString().replace("\"", "\\\"") + "]}";
        admin.createClient(REALM, """
                {"clientId": "%s", "publicClient": false, "clientAuthenticatorType": "client-jwt",
                 "standardFlowEnabled": false, "serviceAccountsEnabled": true,
                 "attributes": {"use.jwks.string": "true", "jwks.string": "%s", "token.endpoint.auth.signing.alg": "RS256"}}
                """.formatted(JWT_CLIENT, jwks));
        try {
            admin.createUser(REALM, USER, PASSWORD);
        } catch (AssertionError exists) {
            // a previous class of this run created it
        }
        instance = new OAuthClients(key, admin.clientSecret(REALM, RESOURCE_SERVER));
        return instance;
    }
}
