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
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Auth0's stand-in: an OIDC token issuer on 127.0.0.1 with an RSA key published at
 * {@code /.well-known/jwks.json} (as Auth0 does), signing access tokens with Nimbus JOSE. Its key can be rotated.
 */
public final class TestIssuer implements AutoCloseable {

    private final HttpServer server;
    private volatile RSAKey key;
    private final AtomicInteger jwksFetches = new AtomicInteger();

    public TestIssuer() throws Exception {
        key = newKey("k1");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/.well-known/jwks.json", exchange -> {
            jwksFetches.incrementAndGet();
            byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    private static RSAKey newKey(String kid) throws Exception {
        return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
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
        server.stop(0);
    }
}
