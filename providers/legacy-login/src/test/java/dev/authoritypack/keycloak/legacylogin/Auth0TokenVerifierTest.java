package dev.authoritypack.keycloak.legacylogin;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.keycloak.common.util.Base64Url;
import org.keycloak.common.util.Time;
import org.keycloak.crypto.SignatureSignerContext;
import org.keycloak.jose.jws.JWSBuilder;
import org.keycloak.jose.jws.JWSInput;
import org.keycloak.representations.JsonWebToken;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The checks of {@link Auth0TokenVerifier} that need no server: the token's form, its algorithm, its claims. */
class Auth0TokenVerifierTest {

    private static final String ISSUER = "https://tenant.auth0.example/";
    private static final String AUDIENCE = "https://legacy-api.example.com";
    private static final int SKEW = 30;

    private static String rejection(Auth0TokenVerifier.Rejected e) {
        return e.getMessage();
    }

    /** A token signed RS256 with a fresh key by Keycloak's {@link JWSBuilder} (the JDK signs). */
    private static String rs256(JsonWebToken claims) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        return new JWSBuilder().jsonContent(claims).sign(new SignatureSignerContext() {
            @Override
            public String getKid() {
                return "k1";
            }

            @Override
            public String getAlgorithm() {
                return "RS256";
            }

            @Override
            public String getHashAlgorithm() {
                return "SHA-256";
            }

            @Override
            public byte[] sign(byte[] data) {
                try {
                    Signature rsa = Signature.getInstance("SHA256withRSA");
                    rsa.initSign(keys.getPrivate());
                    rsa.update(data);
                    return rsa.sign();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
    }

    private static JsonWebToken valid() {
        long now = Time.currentTime();
        JsonWebToken token = new JsonWebToken().issuer(ISSUER).subject("auth0|1").iat(now).exp(now + 300);
        token.audience(AUDIENCE, ISSUER + "userinfo");
        return token;
    }

    private static String refusal(JsonWebToken claims) {
        return rejection(assertThrows(Auth0TokenVerifier.Rejected.class, () -> Auth0TokenVerifier.checkClaims(claims, ISSUER, AUDIENCE, SKEW)));
    }

    @Nested
    class TheTokensForm {

        @Test
        void aSignedJwtIsReadWithItsClaims() throws Exception {
            JWSInput jws = Auth0TokenVerifier.parse(rs256(valid()));
            assertEquals("RS256", Auth0TokenVerifier.asymmetricAlgorithm(jws));
            JsonWebToken claims = Auth0TokenVerifier.claims(jws);
            assertEquals(ISSUER, claims.getIssuer());
            assertEquals("auth0|1", claims.getSubject());
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "not-a-jwt", "a.b", "%%%.%%%.%%%"})
        void anythingButAJwsIsMalformed(String token) {
            assertEquals("malformed token", rejection(assertThrows(Auth0TokenVerifier.Rejected.class, () -> claimsOf(token))));
        }

        @Test
        void aPayloadThatIsNoClaimSetIsMalformed() {
            String header = Base64Url.encode("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
            for (String payload : new String[]{"[1,2]", "not json", "\"s\""}) {
                String token = header + "." + Base64Url.encode(payload.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
                assertEquals("malformed token", rejection(assertThrows(Auth0TokenVerifier.Rejected.class, () -> claimsOf(token))), payload);
            }
        }

        private static JsonWebToken claimsOf(String token) throws Auth0TokenVerifier.Rejected {
            return Auth0TokenVerifier.claims(Auth0TokenVerifier.parse(token));
        }
    }

    @Nested
    class TheAlgorithm {

        private String refused(String header) {
            String token = Base64Url.encode(header.getBytes(StandardCharsets.UTF_8)) + "."
                    + Base64Url.encode("{}".getBytes(StandardCharsets.UTF_8)) + ".c2ln";
            return rejection(assertThrows(Auth0TokenVerifier.Rejected.class,
                    () -> Auth0TokenVerifier.asymmetricAlgorithm(Auth0TokenVerifier.parse(token))));
        }

        @Test
        void noneIsRefused() throws Exception {
            String unsigned = new JWSBuilder().jsonContent(valid()).none();
            assertEquals("algorithm not allowed: none", rejection(assertThrows(Auth0TokenVerifier.Rejected.class,
                    () -> Auth0TokenVerifier.asymmetricAlgorithm(Auth0TokenVerifier.parse(unsigned)))));
        }

        @Test
        void symmetricAlgorithmsAreRefused() {
            // HMAC keyed with the provider's public key is the classic algorithm confusion
            assertEquals("algorithm not allowed: HS256", refused("{\"alg\":\"HS256\"}"));
            assertEquals("algorithm not allowed: HS512", refused("{\"alg\":\"HS512\"}"));
        }

        @Test
        void anUnknownAlgorithmIsMalformed() {
            // Keycloak reads alg into its Algorithm enum: a name it does not know (in any case) is no JWS to it
            for (String alg : new String[]{"rs256", "XYZ", ""}) {
                String token = Base64Url.encode(("{\"alg\":\"" + alg + "\"}").getBytes(StandardCharsets.UTF_8)) + "."
                        + Base64Url.encode("{}".getBytes(StandardCharsets.UTF_8)) + ".c2ln";
                assertEquals("malformed token", rejection(assertThrows(Auth0TokenVerifier.Rejected.class,
                        () -> Auth0TokenVerifier.parse(token))), alg);
            }
        }

        @Test
        void aHeaderWithoutAlgorithmIsRefusedNotA500() throws Exception {
            // Keycloak's JWSHeader.getRawAlgorithm() throws a NullPointerException here: the route answered 500
            String token = Base64Url.encode("{\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                    + Base64Url.encode("{}".getBytes(StandardCharsets.UTF_8)) + ".c2ln";
            assertEquals("algorithm not allowed: null", rejection(assertThrows(Auth0TokenVerifier.Rejected.class,
                    () -> Auth0TokenVerifier.asymmetricAlgorithm(Auth0TokenVerifier.parse(token)))));
        }

        @ParameterizedTest
        @ValueSource(strings = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"})
        void asymmetricAlgorithmsPass(String alg) throws Exception {
            String token = Base64Url.encode(("{\"alg\":\"" + alg + "\"}").getBytes(StandardCharsets.UTF_8)) + "."
                    + Base64Url.encode("{}".getBytes(StandardCharsets.UTF_8)) + ".c2ln";
            assertEquals(alg, Auth0TokenVerifier.asymmetricAlgorithm(Auth0TokenVerifier.parse(token)));
        }
    }

    @Nested
    class TheClaims {

        @Test
        void aValidTokenPasses() {
            assertDoesNotThrow(() -> Auth0TokenVerifier.checkClaims(valid(), ISSUER, AUDIENCE, SKEW));
        }

        @Test
        void theIssuerMustBeTheProvidersExactly() {
            assertEquals("wrong issuer", refusal(valid().issuer("https://evil.example/")));
            assertEquals("wrong issuer", refusal(valid().issuer("https://tenant.auth0.example")), "no trailing slash is another issuer");
            assertEquals("wrong issuer", refusal(valid().issuer(null)));
        }

        @Test
        void theAudienceMustBeAmongTheTokens() {
            assertEquals("wrong audience", refusal(valid().audience("https://other-api.example.com")));
            assertEquals("wrong audience", refusal(valid().audience((String[]) null)));
            assertDoesNotThrow(() -> Auth0TokenVerifier.checkClaims(valid().audience(AUDIENCE), ISSUER, AUDIENCE, SKEW), "a single aud");
        }

        @Test
        void expIsRequired() {
            assertEquals("expired or no exp", refusal(valid().exp(null)));
            assertEquals("expired or no exp", refusal(valid().exp(0L)), "0 is no exp to Keycloak, a long-expired token here");
        }

        @Test
        void expHasTheClockSkew() {
            long now = Time.currentTime();
            assertDoesNotThrow(() -> Auth0TokenVerifier.checkClaims(valid().exp(now - SKEW + 2), ISSUER, AUDIENCE, SKEW), "within the skew");
            assertEquals("expired or no exp", refusal(valid().exp(now - SKEW - 2)));
        }

        @Test
        void nbfHasTheClockSkew() {
            long now = Time.currentTime();
            assertDoesNotThrow(() -> Auth0TokenVerifier.checkClaims(valid().nbf(now + SKEW - 2), ISSUER, AUDIENCE, SKEW), "within the skew");
            assertEquals("not yet valid", refusal(valid().nbf(now + SKEW + 2)));
            assertEquals("not yet valid", refusal(valid().nbf(now + 600)));
        }

        @Test
        void iatMayNotBeInTheFuture() {
            long now = Time.currentTime();
            assertDoesNotThrow(() -> Auth0TokenVerifier.checkClaims(valid().iat(now + SKEW - 2), ISSUER, AUDIENCE, SKEW), "within the skew");
            assertDoesNotThrow(() -> Auth0TokenVerifier.checkClaims(valid().iat(null), ISSUER, AUDIENCE, SKEW), "iat is optional");
            assertEquals("issued in the future", refusal(valid().iat(now + SKEW + 2)));
        }

        @Test
        void noSkewMeansNone() {
            long now = Time.currentTime();
            Auth0TokenVerifier.Rejected e = assertThrows(Auth0TokenVerifier.Rejected.class,
                    () -> Auth0TokenVerifier.checkClaims(valid().exp(now - 2), ISSUER, AUDIENCE, 0));
            assertEquals("expired or no exp", e.getMessage());
            assertEquals("not yet valid", assertThrows(Auth0TokenVerifier.Rejected.class,
                    () -> Auth0TokenVerifier.checkClaims(valid().nbf(now + 2), ISSUER, AUDIENCE, 0)).getMessage());
        }

        @Test
        void theFirstFailingCheckIsTheReason() {
            long now = Time.currentTime();
            assertEquals("wrong issuer", refusal(valid().issuer("https://evil.example/").audience("x").exp(null)));
            assertEquals("wrong audience", refusal(valid().audience("x").exp(null)));
            assertEquals("expired or no exp", refusal(valid().exp(null).nbf(now + 600)));
            assertEquals("not yet valid", refusal(valid().nbf(now + 600).iat(now + 600)));
        }
    }
}
