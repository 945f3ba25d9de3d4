package dev.authoritypack.it.legacy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.authoritypack.it.support.AdminApi;
import dev.authoritypack.it.support.Http;
import dev.authoritypack.it.support.Json;
import dev.authoritypack.it.support.LocalSite;

import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Auth0's stand-in: an OIDC token issuer on 127.0.0.1 with an RSA key published at
 * {@code /.well-known/jwks.json} (as Auth0 does), signing access tokens with Nimbus JOSE. Its key can be rotated.
 */
public final class TestIssuer implements AutoCloseable {

    private final LocalSite site;
    private volatile RSAKey key;
    private final AtomicInteger jwksFetches = new AtomicInteger();

    public TestIssuer() throws Exception {
        key = newKey("k1");
        site = LocalSite.serve(path -> {
            if (!path.startsWith("/.well-known/jwks.json")) {
                return null;
            }
            jwksFetches.incrementAndGet();
            return LocalSite.Content.json(new JWKSet(key.toPublicJWK()).toString());
        });
    }

    private static RSAKey newKey(String kid) throws Exception {
        return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
    }

    public String issuer() {
        return site.origin() + "/";
    }

    public String jwksUrl() {
        return issuer() + ".well-known/jwks.json";
    }

    RSAKey key() {
        return key;
    }

    int jwksFetches() {
        return jwksFetches.get();
    }

    void rotate(String kid) throws Exception {
        key = newKey(kid);
    }

    /** The realm's {@code auth0} identity provider trusting this issuer, as the admin API takes it. */
    public String identityProviderJson() {
        return """
                {"alias": "auth0", "providerId": "oidc", "enabled": true, "hideOnLogin": true, "linkOnly": true,
                 "config": {"issuer": "%s", "jwksUrl": "%s", "useJwksUrl": "true", "validateSignature": "true",
                            "clientId": "keycloak", "clientSecret": "unused", "clientAuthMethod": "client_secret_post",
                            "authorizationUrl": "%sauthorize", "tokenUrl": "%soauth/token"}}
                """.formatted(issuer(), jwksUrl(), issuer(), issuer());
    }

    /**
     * Makes the realm trust this issuer for /api/login (its {@code auth0} identity provider, the audience, the
     * allowed machine client and the callback), as an operator configures it ({@code docs/legacy-login.md}); closing it restores the
     * realm's attributes.
     */
    public AutoCloseable trustedBy(AdminApi admin, String realm, String audience, String machine) {
        String idpPath = "/realms/" + realm + "/identity-provider/instances/auth0";
        JsonNode originalIdp = admin.getJson(idpPath); // as shipped: off until an operator configures it
        Http.Response idp = admin.send("PUT", idpPath, identityProviderJson());
        if (idp.status() != 204) {
            throw new AssertionError("auth0 identity provider: " + idp);
        }
        JsonNode original = admin.getJson("/realms/" + realm).get("attributes");
        ObjectNode attributes = original.deepCopy();
        attributes.put("authority.legacy-login.audience", audience);
        attributes.put("authority.legacy-login.allowed-clients", machine);
        attributes.put("authority.legacy-login.callback-url", "https://app.example.com/legacy/callback");
        attributes.put("authority.legacy-login.redirect-allow-list", "https://app.example.com/");
        Http.Response put = admin.send("PUT", "/realms/" + realm, Json.text("attributes", attributes));
        if (put.status() != 204) {
            throw new AssertionError("realm attributes: " + put);
        }
        return () -> {
            admin.send("PUT", "/realms/" + realm, Json.text("attributes", original));
            admin.send("PUT", idpPath, originalIdp.toString());
        };
    }

    /** An Auth0 machine (client-credentials) access token of the client for the audience, valid five minutes. */
    public String machineToken(String audience, String machine) {
        Instant now = Instant.now();
        return sign(new JWTClaimsSet.Builder().issuer(issuer()).audience(audience).subject(machine + "@clients")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("azp", machine).claim("gty", "client-credentials").claim("scope", "read:users legacy:login").build());
    }

    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        site.close();
    }
}
